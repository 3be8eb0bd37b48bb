// SPDX-License-Identifier: Apache-2.0
// The IA-64 port's own translation: region registers, the long-format VHPT, the pinned image and the
// software page tables that TLB misses are refilled from (formats in ia64/arch.hpp).
//
// Region use:
//   0  RAM and the image, identity-mapped (virtual == physical), write-back
//   4  the devices the port uses, at 1<<63 | physical address, uncached
//   5  mappings made and removed at run time (Paging::scratch_va)
// Every region has its own region ID (rid_base + region number; guests will get others), 4 KiB as the
// preferred page size, and the VHPT walker enabled.
#include <ia64/internal.hpp>

#include <hv/string.hpp>

namespace hv::ia64 {
namespace {

constexpr u32 rid_base = 0x100;
constexpr unsigned vhpt_shift = 16; // 64 KiB: 2048 entries
constexpr usize vhpt_entries = (1u << vhpt_shift) / sizeof(VhptEntry);

/// The VHPT lives in the image: pinned by the data translation register, the walker's references to
/// it never miss (a miss there would be a VHPT translation fault).
alignas(1u << vhpt_shift) VhptEntry vhpt[vhpt_entries];

PhysAddr root_table = 0;
bool live = false;          // translation on, VHPT and IVT in place
MemoryRange pinned[1] = {}; // the image's translation registers (virtual == physical)
usize pinned_count = 0;

// Table pages are reached through the direct map (identity) for writes. Reads on the miss path go by
// physical address so that walking the tables never takes a miss on the tables themselves.
u64* table_slot(PhysAddr table, unsigned index) { return reinterpret_cast<u64*>(table) + index; }
u64 read_slot(PhysAddr table, unsigned index) { return hv_ia64_phys_load(table + 8ull * index); }

void vhpt_invalidate_all() {
  for (usize i = 0; i < vhpt_entries; ++i) {
    vhpt[i].tag = vhpt_tag_invalid;
    vhpt[i].pte = 0;
    vhpt[i].itir = 0;
    vhpt[i].software = 0;
  }
  memory_fence();
}

/// Writes the translation for `va` where the walker will look for it: the entry thash names, tagged
/// with ttag. Both are the processor's own (the long format's hash and tag are implementation-specific).
void vhpt_fill(u64 va, const Insertion& ins) {
  auto* e = reinterpret_cast<volatile VhptEntry*>(thash(va));
  e->tag = vhpt_tag_invalid;
  memory_fence();
  e->pte = ins.pte;
  e->itir = encode_itir(ins.page_shift);
  e->software = ins.va;
  memory_fence();
  e->tag = ttag(va);
}

void vhpt_forget(u64 va) {
  auto* e = reinterpret_cast<volatile VhptEntry*>(thash(va));
  VhptEntry seen{e->pte, e->itir, e->tag, e->software};
  if (vhpt_matches(seen, ttag(va))) e->tag = vhpt_tag_invalid;
  memory_fence();
}

/// Purges [va, va + 2^shift) from the TLB, in pages that never overlap a translation register.
void purge_range(u64 va, unsigned shift) {
  const u64 end = va + (1ull << shift);
  u64 a = va;
  while (a < end) {
    unsigned chosen = 0;
    for (usize k = array_size(supported_page_shifts); k-- > 0;) {
      const unsigned s = supported_page_shifts[k];
      const u64 size = 1ull << s;
      if (!is_aligned(a, size) || a + size > end) continue;
      bool overlaps = false;
      for (usize i = 0; i < pinned_count; ++i)
        if (a < pinned[i].end() && pinned[i].base < a + size) overlaps = true;
      if (!overlaps) {
        chosen = s;
        break;
      }
    }
    if (chosen == 0) { // inside a pinned range: the TR covers it, there is nothing in the TC to purge
      a += pt::page_size;
      continue;
    }
    hv_ia64_purge(a, chosen);
    a += 1ull << chosen;
  }
}

/// The slot for `va` at `level`, creating the tables above it from `frames`. A larger leaf on the way is
/// split into the equivalent next-level entries first. nullptr when `frames` runs out.
u64* slot_for(FrameSource& frames, u64 va, unsigned level) {
  u64* slot = table_slot(root_table, region_of(va));
  for (unsigned l = pt::levels + 1; l > level; --l) {
    // *slot is an entry at level l (the root's entries count as level 5): it must point to a table of
    // level l - 1.
    if (pt::is_leaf(*slot)) {
      const PhysAddr split = frames.alloc_zeroed_page();
      if (split == 0) return nullptr;
      const u64 leaf = *slot;
      const unsigned child_shift = pt::level_shift(l - 1);
      for (unsigned i = 0; i < pt::entries; ++i)
        *table_slot(split, i) =
            (leaf & ~pte::ppn_mask) | ((pte_address(leaf) + (static_cast<u64>(i) << child_shift)) & pte::ppn_mask);
      *slot = pt::table_entry(split);
      if (live) {
        const u64 leaf_va = va & ~((1ull << pt::level_shift(l)) - 1);
        vhpt_invalidate_all(); // a large leaf may have left entries in many VHPT slots
        purge_range(leaf_va, pt::level_shift(l));
      }
    } else if (!pt::is_table(*slot)) {
      const PhysAddr table = frames.alloc_zeroed_page();
      if (table == 0) return nullptr;
      *slot = pt::table_entry(table);
    }
    slot = table_slot(pte_address(*slot), pt::index(va, l - 1));
  }
  return slot;
}

/// Maps [va, va + size) to [pa, ...) with the largest leaves alignment allows.
bool map_range(FrameSource& frames, u64 va, PhysAddr pa, u64 size, MapAttr attr) {
  const u64 first = align_down(va, pt::page_size);
  pa = align_down(pa, pt::page_size);
  const u64 end = align_up(va + size, pt::page_size);
  for (u64 a = first; a < end;) {
    unsigned level = 1;
    for (unsigned l = 3; l > 1; --l) {
      const u64 span = 1ull << pt::level_shift(l);
      if (is_aligned(a, span) && is_aligned(pa, span) && end - a >= span) {
        level = l;
        break;
      }
    }
    u64* slot = slot_for(frames, a, level);
    if (slot == nullptr) return false;
    *slot = make_pte(pa, attr);
    const u64 span = 1ull << pt::level_shift(level);
    a += span;
    pa += span;
  }
  return true;
}

/// Finds the leaf translating `va`: its entry and the log2 of its span.
bool lookup(u64 va, u64& leaf, unsigned& leaf_shift) {
  if (root_table == 0 || !pt::va_supported(va)) return false;
  u64 e = read_slot(root_table, region_of(va));
  for (unsigned level = pt::levels; level >= 1; --level) {
    if (!pt::is_table(e)) return false;
    e = read_slot(pte_address(e), pt::index(va, level));
    if (pt::is_leaf(e)) {
      leaf = e;
      leaf_shift = pt::level_shift(level);
      return true;
    }
  }
  return false;
}

/// The smallest architected page at least as large as [start, end) once aligned down to its own size.
unsigned pin_shift(u64 start, u64 end) {
  for (unsigned s : supported_page_shifts)
    if (s >= 24 && align_down(start, 1ull << s) + (1ull << s) >= end) return s;
  return 0;
}

} // namespace

bool refill_tlb(u64 va, bool instruction) {
  u64 leaf = 0;
  unsigned shift = 0;
  if (!live || !lookup(va, leaf, shift)) return false;
  const Insertion ins = page_for_miss(va, leaf, shift, pinned, pinned_count);
  if (ins.page_shift == 0) return false;
  vhpt_fill(va, ins);
  hv_ia64_tc_insert(ins.va, ins.pte, encode_itir(ins.page_shift), instruction ? 1 : 0);
  return true;
}

} // namespace hv::ia64

namespace hv::port {
using namespace hv::ia64;

bool Paging::init(FrameSource& frames) {
  root_table = frames.alloc_zeroed_page();
  if (root_table == 0) return false;
  constexpr MapAttr rwx = MapAttr::read | MapAttr::write | MapAttr::execute;
  usize ram_count = 0;
  const MemoryRange* ram = frames.ram(ram_count);
  for (usize i = 0; i < ram_count; ++i)
    if (!map_range(frames, ram[i].base, ram[i].base, ram[i].size, rwx)) return false;
  const u64 image_start = reinterpret_cast<uptr>(__image_start);
  const u64 image_end = reinterpret_cast<uptr>(__image_end);
  if (!map_range(frames, image_start, image_start, image_end - image_start, rwx)) return false;
  const MemoryRange devices[] = {console_device(), exit_device()};
  for (const MemoryRange device : devices) {
    if (device.size == 0) continue;
    const u64 base = align_down(device.base, page_size);
    const u64 end = align_up(device.base + device.size, page_size);
    if (!map_range(frames, device_offset | base, base, end - base, MapAttr::read | MapAttr::write | MapAttr::device))
      return false;
  }

  // The image: one instruction and one data translation register, identity, write-back like the
  // direct map around it (two mappings of one page must agree on the memory attribute).
  const unsigned shift = pin_shift(image_start, image_end);
  if (shift == 0) return false;
  const u64 pin_base = align_down(image_start, 1ull << shift);
  pinned[0] = MemoryRange{pin_base, 1ull << shift};
  pinned_count = 1;

  vhpt_invalidate_all();
  u64 rr[8];
  for (unsigned vrn = 0; vrn < 8; ++vrn) rr[vrn] = encode_rr({rid_base + vrn, pt::page_shift, true});
  hv_ia64_load_region_registers(rr);
  hv_ia64_load_pta(encode_pta({reinterpret_cast<uptr>(vhpt), vhpt_shift, true, true}));
  hv_ia64_pin_image(pin_base, make_pte(pin_base, rwx), encode_itir(shift));
  // Misses are refilled by the trap path from here on, so the IVT must be in place before translation
  // is (it is since entry; this makes Paging independent of that).
  hv_ia64_install_ivt(hv_ia64_ivt);
  live = true;
  hv_ia64_switch_to_virtual(hypervisor_psr);
  return true;
}

bool Paging::map_page(FrameSource& frames, VirtAddr va, PhysAddr pa, MapAttr attr) {
  if (!is_aligned(va, page_size) || !is_aligned(pa, page_size) || !pt::va_supported(va)) return false;
  u64* slot = slot_for(frames, va, 1);
  if (slot == nullptr) return false;
  *slot = make_pte(pa, attr);
  memory_fence();
  if (live) {
    vhpt_forget(va);
    hv_ia64_purge(va, pt::page_shift);
  }
  return true;
}

void Paging::unmap_page(VirtAddr va) {
  va = align_down(va, page_size);
  u64 leaf = 0;
  unsigned shift = 0;
  // Only 4 KiB leaves are removed: a page inside a large direct-map leaf stays mapped (splitting it
  // needs frames, which this call does not get).
  if (!lookup(va, leaf, shift) || shift != pt::page_shift) return;
  u64 e = read_slot(root_table, region_of(va));
  for (unsigned level = pt::levels; level > 1; --level) e = read_slot(pte_address(e), pt::index(va, level));
  *table_slot(pte_address(e), pt::index(va, 1)) = 0;
  memory_fence();
  if (live) {
    vhpt_forget(va);
    hv_ia64_purge(va, pt::page_shift);
  }
}

bool Paging::translate(VirtAddr va, PhysAddr& out) {
  u64 leaf = 0;
  unsigned shift = 0;
  if (!lookup(va, leaf, shift)) return false;
  out = pte_address(leaf) + (va & ((1ull << shift) - 1));
  return true;
}

PhysAddr Paging::root() { return root_table; }

void* Paging::direct_map(PhysAddr pa) { return reinterpret_cast<void*>(static_cast<uptr>(pa)); }

void Paging::zero_page(PhysAddr pa) { memset(direct_map(pa), 0, page_size); }

} // namespace hv::port

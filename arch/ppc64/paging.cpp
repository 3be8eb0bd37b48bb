// SPDX-License-Identifier: Apache-2.0
// The hypervisor's own radix translation (Power ISA 3.0, radix host: LPCR[HR]=1, LPCR[UPRT]=1).
//
// A partition table whose entry 0 is the host's points at a process table with two trees:
//   process 1 (PIDR), used for quadrant 0 (effective addresses 0x0...): the identity map of all RAM
//     and of the image, and the scratch page; this is the tree root() reports;
//   process 0, used for quadrant 3 (0xC...): only the exception vector page, at the offset where
//     LPCR[AIL]=3 sends interrupts (0xC000'0000'0000'4000 + vector).
// The two must be separate trees because the walk ignores the quadrant bits: in one tree the vector
// window would be the identity map of physical 0x4000, which is skiboot's.
#include <port.hpp>

#include <hv/core/limits.hpp>

#include <ppc64/byte_order.hpp>
#include <ppc64/guest_state.h>
#include <ppc64/image.hpp>
#include <ppc64/opal.hpp>
#include <ppc64/radix_tree.hpp>
#include <ppc64/registers.hpp>
#include <ppc64/smp.hpp>
#include <ppc64/tlb.hpp>

namespace hv::port {
namespace {

constexpr u32 vector_pid = 0;                  // quadrant 3 always translates with process 0
constexpr u32 hypervisor_pid = HYPERVISOR_PID; // quadrant 0 translates with PIDR
constexpr u64 vector_window = 0x4000;          // AIL=3's vector base, quadrant bits dropped

// Partition table entry, doubleword 0: HR (the partition's host translates radix); doubleword 1:
// GR (its process-scoped translation is radix) and the process table's base and size (2^(12+PRTS)).
constexpr u64 partition_host_radix = 1ull << 63;
constexpr u64 process_table_radix = 1ull << 63;
constexpr u64 process_table_size_4k = 0;
// PTCR[PATS]: the partition table is 2^(12+PATS) bytes, 16 per entry: with 4 pages, LPIDs 0 (the
// hypervisor's) to 1023, room for every guest the domain table holds (limits::max_domains).
constexpr u32 partition_table_order = 2;
constexpr u64 partition_table_size = partition_table_order;
static_assert((4096u << partition_table_order) / 16 > limits::max_domains, "an LPID for every domain");

PhysAddr hypervisor_root = 0;
PhysAddr hypervisor_partition_table = 0;

bool inside_ram(const MemoryRange* ram, usize count, MemoryRange r) {
  for (usize i = 0; i < count; ++i)
    if (r.base >= ram[i].base && r.end() <= ram[i].end()) return true;
  return false;
}

void write_table_entry(PhysAddr table, u64 index, u64 doubleword0, u64 doubleword1) {
  auto* entry = static_cast<u64*>(Paging::direct_map(table)) + 2 * index;
  entry[0] = ppc64::to_big_endian(doubleword0);
  entry[1] = ppc64::to_big_endian(doubleword1);
}

void switch_to(PhysAddr partition_table) {
  asm volatile("ptesync" : : : "memory"); // the tables are in memory before the MMU may read them
  ppc64::write_spr<ppc64::spr::ptcr>(partition_table | partition_table_size);
  ppc64::write_spr<ppc64::spr::lpidr>(0);
  ppc64::write_spr<ppc64::spr::pidr>(hypervisor_pid);
  ppc64::update_lpcr(0, ppc64::lpcr::hr | ppc64::lpcr::uprt);
  ppc64::tlb::flush_all_local();
  // Identity-mapped, so the next instruction is where it was.
  asm volatile("mtmsrd %0\n\tisync" : : "r"(ppc64::read_msr() | ppc64::msr::ir | ppc64::msr::dr) : "memory");
}

} // namespace

bool Paging::init(FrameSource& frames) {
  const PhysAddr partition_table = frames.alloc_zeroed_block(partition_table_order);
  const PhysAddr process_table = frames.alloc_zeroed_page();
  const PhysAddr root = ppc64::radix::create(frames);
  const PhysAddr vector_root = ppc64::radix::create(frames);
  if (partition_table == 0 || process_table == 0 || root == 0 || vector_root == 0) return false;

  const MapAttr normal = MapAttr::read | MapAttr::write | MapAttr::execute;
  usize count = 0;
  const MemoryRange* ram = frames.ram(count);
  for (usize i = 0; i < count; ++i) {
    const u64 base = align_up(ram[i].base, page_size);
    const u64 end = align_down(ram[i].end(), page_size);
    if (end > base && !ppc64::radix::map_range(frames, root, base, base, end - base, normal)) return false;
  }
  const MemoryRange image = Machine::image_range();
  if (!inside_ram(ram, count, image) &&
      !ppc64::radix::map_range(frames, root, image.base, image.base, align_up(image.size, page_size), normal))
    return false;
  if (!ppc64::radix::map_range(frames, vector_root, vector_window, ppc64::physical_address(ppc64_vector_page),
                               page_size, MapAttr::read | MapAttr::execute))
    return false;

  write_table_entry(partition_table, 0, partition_host_radix | ppc64::radix::root_descriptor(root),
                    process_table_radix | process_table | process_table_size_4k);
  write_table_entry(process_table, vector_pid, ppc64::radix::root_descriptor(vector_root), 0);
  write_table_entry(process_table, hypervisor_pid, ppc64::radix::root_descriptor(root), 0);

  // Tell firmware the CPUs run radix (on POWER9 it sets the HID0 bit that sizes the TLB for it).
  ppc64::opal::call(ppc64::opal::token::reinit_cpus, ppc64::opal::reinit_mmu_radix);
  hypervisor_root = root;
  hypervisor_partition_table = partition_table;
  switch_to(partition_table);
  return true;
}

bool Paging::map_page(FrameSource& frames, VirtAddr va, PhysAddr pa, MapAttr attr) {
  if (va % page_size != 0 || pa % page_size != 0) return false;
  if (!ppc64::radix::map_page(frames, hypervisor_root, va, pa, attr)) return false;
  ppc64::tlb::flush_page_local(va, hypervisor_pid); // a replaced mapping may be cached
  return true;
}

void Paging::unmap_page(VirtAddr va) {
  if (ppc64::radix::unmap_page(hypervisor_root, va)) ppc64::tlb::flush_page_local(va, hypervisor_pid);
}

bool Paging::translate(VirtAddr va, PhysAddr& out) { return ppc64::radix::translate(hypervisor_root, va, out); }

// The root of the hypervisor's own tree (process table entry 1, quadrant 0).
PhysAddr Paging::root() { return hypervisor_root; }

// dcbz zeroes a whole cache block in one instruction, eight times fewer than doubleword stores: 128 bytes
// on POWER9, the CPU this port runs on. The direct map is cacheable RAM, which dcbz requires.
void Paging::zero_page(PhysAddr pa) {
  constexpr usize cache_block = 128;
  auto* p = static_cast<unsigned char*>(direct_map(pa));
  for (usize at = 0; at < page_size; at += cache_block) asm volatile("dcbz 0, %0" : : "r"(p + at) : "memory");
}

} // namespace hv::port

namespace hv::ppc64 {

void use_hypervisor_translation() { port::switch_to(port::hypervisor_partition_table); }

} // namespace hv::ppc64

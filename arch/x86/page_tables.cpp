// SPDX-License-Identifier: Apache-2.0
#include <x86/instructions.hpp>
#include <x86/page_tables.hpp>

namespace hv::x86 {
namespace {

constexpr unsigned entries_per_table = 512;

u64* table_at(PhysAddr pa) { return reinterpret_cast<u64*>(static_cast<uptr>(pa)); }

constexpr unsigned index_at(u64 va, unsigned level) { return (va >> (12 + 9 * level)) % entries_per_table; }

constexpr bool is_present(u64 entry) { return (entry & pte_present) != 0; }
constexpr bool is_large(u64 entry) { return (entry & pte_large) != 0; }

} // namespace

u64 leaf_flags(MapAttr attr) {
  u64 flags = pte_present;
  if (has(attr, MapAttr::write)) flags |= pte_writable;
  if (has(attr, MapAttr::device)) flags |= pte_cache_disable | pte_write_through;
  return flags;
}

// The entry for `va` at `target_level` (0: the page table, 1: the directory). With `frames`, creates
// missing tables and splits a large page on the way; without, returns null where the walk ends early.
u64* PageTables::entry_slot(FrameSource* frames, u64 va, unsigned target_level) const {
  u64* table = table_at(root_);
  for (unsigned level = levels_ - 1; level > target_level; --level) {
    u64& entry = table[index_at(va, level)];
    if (!is_present(entry)) {
      if (frames == nullptr) return nullptr;
      const PhysAddr fresh = frames->alloc_zeroed_page();
      if (fresh == 0) return nullptr;
      entry = fresh | (level == levels_ - 1 ? top_flags_ : upper_flags_);
    } else if (level == 1 && is_large(entry)) {
      if (frames == nullptr) return nullptr;
      const PhysAddr fresh = frames->alloc_zeroed_page();
      if (fresh == 0) return nullptr;
      // The same 2 MiB as 512 small pages with the same flags, then the directory points at them.
      u64* small = table_at(fresh);
      const u64 base = entry & pte_address_mask & ~(large_page_size - 1);
      const u64 flags = entry & ~pte_address_mask & ~pte_large;
      for (unsigned i = 0; i < entries_per_table; ++i) small[i] = (base + i * small_page_size) | flags;
      entry = fresh | upper_flags_;
      flush_tlb();
    }
    table = table_at(entry & pte_address_mask);
  }
  return &table[index_at(va, target_level)];
}

bool PageTables::map(FrameSource& frames, u64 va, PhysAddr pa, u64 size, u64 flags, bool* replaced) {
  const unsigned level = size == large_page_size ? 1 : 0;
  u64* slot = entry_slot(&frames, va, level);
  if (slot == nullptr) return false;
  if (replaced != nullptr) *replaced = is_present(*slot);
  *slot = pa | flags | (level == 1 ? pte_large : 0);
  return true;
}

bool PageTables::map_identity(FrameSource& frames, PhysAddr base, PhysAddr end, u64 flags) {
  for (u64 pa = align_down(base, small_page_size); pa < end;) {
    u64* directory_entry = entry_slot(&frames, pa, 1);
    if (directory_entry == nullptr) return false;
    const u64 chunk = align_down(pa, large_page_size);
    const u64 large_entry = chunk | flags | pte_large;
    if (*directory_entry == large_entry) { // already mapped just so (the image inside RAM, say)
      pa = chunk + large_page_size;
      continue;
    }
    if (pa == chunk && pa + large_page_size <= end && !is_present(*directory_entry)) {
      *directory_entry = large_entry;
      pa += large_page_size;
      continue;
    }
    if (!map(frames, pa, pa, small_page_size, flags)) return false;
    pa += small_page_size;
  }
  return true;
}

bool PageTables::unmap(u64 va) {
  u64* slot = entry_slot(nullptr, va, 0);
  if (slot == nullptr || !is_present(*slot)) return false;
  *slot = 0;
  return true;
}

bool PageTables::take_write(u64 va) {
  u64* slot = entry_slot(nullptr, va, 0);
  if (slot == nullptr || !is_present(*slot) || (*slot & pte_writable) == 0) return false;
  *slot &= ~pte_writable;
  return true;
}

bool PageTables::translate(u64 va, PhysAddr& out, bool write) const {
  const u64* table = table_at(root_);
  for (unsigned level = levels_ - 1;; --level) {
    const u64 entry = table[index_at(va, level)];
    if (!is_present(entry)) return false;
    if (level == 0 || (level == 1 && is_large(entry))) {
      if (write && (entry & pte_writable) == 0) return false;
      const u64 span = level == 0 ? small_page_size : large_page_size;
      out = (entry & pte_address_mask & ~(span - 1)) + (va & (span - 1));
      return true;
    }
    table = table_at(entry & pte_address_mask);
  }
}

// Every entry of a table above level 0 leads to a table of its own unless it maps a large page.
void PageTables::free_below(FrameSource& frames, PhysAddr table, unsigned level) {
  if (level > 0) {
    const u64* entries = table_at(table);
    for (unsigned i = 0; i < entries_per_table; ++i) {
      const u64 entry = entries[i];
      if (is_present(entry) && !(level == 1 && is_large(entry)))
        free_below(frames, entry & pte_address_mask, level - 1);
    }
  }
  frames.free_page(table);
}

void PageTables::free_tables(FrameSource& frames) {
  if (root_ == 0) return;
  free_below(frames, root_, levels_ - 1);
  root_ = 0;
}

} // namespace hv::x86

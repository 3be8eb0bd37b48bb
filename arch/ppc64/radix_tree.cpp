// SPDX-License-Identifier: Apache-2.0
// The radix tree format of the Power ISA 3.0 (Book III, radix tree translation).
#include <ppc64/radix_tree.hpp>

#include <ppc64/byte_order.hpp>

#include <port.hpp>

namespace hv::ppc64::radix {
namespace {

constexpr u64 page = 4096;

// Entry bits.
constexpr u64 valid = 1ull << 63;
constexpr u64 leaf = 1ull << 62;
constexpr u64 referenced = 1ull << 8; // R and C preset: the MMU then never needs to update them,
constexpr u64 changed = 1ull << 7;    // and QEMU faults instead of setting them
constexpr u64 privileged = 1ull << 3; // EAA: hypervisor/OS only, never subject to AMR
constexpr u64 may_read = 1ull << 2;
constexpr u64 may_write = 1ull << 1; // read/write
constexpr u64 may_execute = 1ull << 0;
constexpr u64 non_idempotent_io = 2ull << 4; // ATT: cache-inhibited, guarded
constexpr u64 leaf_address_mask = 0x01ff'ffff'ffff'f000ull;
constexpr u64 next_table_mask = 0x0fff'ffff'ffff'ff00ull;

struct Level {
  unsigned index_bits;
  unsigned shift; // log2 of what one entry covers
  bool may_be_leaf;
};
constexpr Level levels[] = {{13, 39, false}, {9, 30, true}, {9, 21, true}, {9, 12, true}};
constexpr unsigned last_level = 3;
static_assert(levels[0].index_bits + levels[0].shift == address_bits);
constexpr u64 root_bytes = (1ull << levels[0].index_bits) * 8;
constexpr u32 root_order = 4; // pages of the root, as a power of two
static_assert(page << root_order == root_bytes, "the root is one block of 2^root_order pages");
static_assert(((1ull << levels[1].index_bits) * 8) == page, "every table below the root is one page");

u64* table_at(PhysAddr pa) { return static_cast<u64*>(port::Paging::direct_map(pa)); }

u64 read_entry(PhysAddr table, u64 index) { return from_big_endian(table_at(table)[index]); }
void write_entry(PhysAddr table, u64 index, u64 entry) { table_at(table)[index] = to_big_endian(entry); }

u64 index_of(unsigned level, u64 offset) {
  return (offset >> levels[level].shift) & ((1ull << levels[level].index_bits) - 1);
}

u64 leaf_entry(PhysAddr pa, MapAttr attr, Leaf use = Leaf::privileged) {
  u64 e = valid | leaf | referenced | changed | (pa & leaf_address_mask);
  if (use == Leaf::privileged) e |= privileged;
  if (has(attr, MapAttr::read)) e |= may_read;
  if (has(attr, MapAttr::write)) e |= may_read | may_write;
  if (has(attr, MapAttr::execute)) e |= may_execute;
  if (has(attr, MapAttr::device)) e |= non_idempotent_io;
  return e;
}

/// The table below `entry` at `table[index]`, made when missing. 0 when `frames` ran out or a leaf is
/// in the way.
PhysAddr next_table(FrameSource& frames, PhysAddr table, unsigned level, u64 index) {
  const u64 e = read_entry(table, index);
  if ((e & valid) != 0) return (e & leaf) != 0 ? 0 : (e & next_table_mask);
  const PhysAddr fresh = frames.alloc_zeroed_page();
  if (fresh == 0) return 0;
  // Make the zeroed table visible to the walker before the entry that leads to it.
  asm volatile("ptesync" : : : "memory");
  write_entry(table, index, valid | fresh | levels[level + 1].index_bits);
  return fresh;
}

bool map_in(FrameSource& frames, PhysAddr table, unsigned level, u64 offset, PhysAddr pa, u64 size, MapAttr attr) {
  while (size > 0) {
    const u64 span = 1ull << levels[level].shift;
    const u64 index = index_of(level, offset);
    const bool whole = offset % span == 0 && pa % span == 0 && size >= span;
    if (levels[level].may_be_leaf && whole) {
      if ((read_entry(table, index) & valid) != 0) return false;
      write_entry(table, index, leaf_entry(pa, attr));
    } else {
      const u64 chunk = span - offset % span < size ? span - offset % span : size;
      const PhysAddr below = next_table(frames, table, level, index);
      if (below == 0 || !map_in(frames, below, level + 1, offset, pa, chunk, attr)) return false;
      offset += chunk;
      pa += chunk;
      size -= chunk;
      continue;
    }
    offset += span;
    pa += span;
    size -= span;
  }
  return true;
}

/// Gives back every table the entries of `table` (at `level`) lead to, deepest first; leaves own nothing.
void free_tables_below(FrameSource& frames, PhysAddr table, unsigned level) {
  if (level == last_level) return;
  for (u64 index = 0; index < (1ull << levels[level].index_bits); ++index) {
    const u64 e = read_entry(table, index);
    if ((e & valid) == 0 || (e & leaf) != 0) continue;
    const PhysAddr below = e & next_table_mask;
    free_tables_below(frames, below, level + 1);
    frames.free_page(below);
  }
}

/// Where the 4 KiB entry for `offset` lives, making tables when `frames` is given. false when a larger
/// leaf covers `offset` or a table is missing.
bool find_page_entry(FrameSource* frames, PhysAddr root, u64 offset, PhysAddr& table, u64& index) {
  PhysAddr t = root;
  for (unsigned level = 0; level < last_level; ++level) {
    const u64 i = index_of(level, offset);
    if (frames != nullptr) {
      t = next_table(*frames, t, level, i);
      if (t == 0) return false;
    } else {
      const u64 e = read_entry(t, i);
      if ((e & valid) == 0 || (e & leaf) != 0) return false;
      t = e & next_table_mask;
    }
  }
  table = t;
  index = index_of(last_level, offset);
  return true;
}

} // namespace

PhysAddr create(FrameSource& frames) {
  // The root is 2^13 entries of 8 bytes, and must be aligned to its size: one block.
  return frames.alloc_zeroed_block(root_order);
}

void destroy(FrameSource& frames, PhysAddr root) {
  if (root == 0) return;
  free_tables_below(frames, root, 0);
  frames.free_block(root, root_order);
}

u64 root_descriptor(PhysAddr root) {
  // Radix tree size, less 31, is split into RTS1 (bits 1:2) and RTS2 (bits 56:58).
  constexpr u64 rts = address_bits - 31;
  return ((rts >> 3) << 61) | ((rts & 7) << 5) | (root & next_table_mask) | levels[0].index_bits;
}

bool map_range(FrameSource& frames, PhysAddr root, u64 offset, PhysAddr pa, u64 size, MapAttr attr) {
  if (offset % page != 0 || pa % page != 0 || size % page != 0) return false;
  return map_in(frames, root, 0, offset, pa, size, attr);
}

bool map_page(FrameSource& frames, PhysAddr root, u64 offset, PhysAddr pa, MapAttr attr, Leaf use, Change* change) {
  PhysAddr table = 0;
  u64 index = 0;
  if (!find_page_entry(&frames, root, offset, table, index)) return false;
  const u64 before = read_entry(table, index), after = leaf_entry(pa, attr, use);
  write_entry(table, index, after);
  if (change != nullptr) {
    constexpr u64 rights = may_read | may_write | may_execute;
    if ((before & valid) == 0)
      *change = Change::fresh;
    else if (before == after)
      *change = Change::same;
    else if (((before ^ after) & ~rights) == 0 && (before & ~after) == 0)
      *change = Change::widened;
    else
      *change = Change::replaced;
  }
  return true;
}

bool unmap_page(PhysAddr root, u64 offset) {
  PhysAddr table = 0;
  u64 index = 0;
  if (!find_page_entry(nullptr, root, offset, table, index) || (read_entry(table, index) & valid) == 0) return false;
  write_entry(table, index, 0);
  return true;
}

bool take_write(PhysAddr root, u64 offset) {
  PhysAddr table = 0;
  u64 index = 0;
  if (!find_page_entry(nullptr, root, offset, table, index)) return false;
  const u64 e = read_entry(table, index);
  if ((e & valid) == 0 || (e & may_write) == 0) return false;
  write_entry(table, index, e & ~may_write);
  return true;
}

bool translate(PhysAddr root, u64 offset, PhysAddr& out) {
  PhysAddr table = root;
  for (unsigned level = 0; level <= last_level; ++level) {
    const u64 e = read_entry(table, index_of(level, offset));
    if ((e & valid) == 0) return false;
    if ((e & leaf) != 0) {
      const u64 span = 1ull << levels[level].shift;
      out = (e & leaf_address_mask & ~(span - 1)) | (offset & (span - 1));
      return true;
    }
    table = e & next_table_mask;
  }
  return false;
}

} // namespace hv::ppc64::radix

// SPDX-License-Identifier: Apache-2.0
// x86 page tables of 64-bit entries, 512 to a 4 KiB table: long mode's four levels and PAE's three
// (whose top table, the PDPT, has only four entries and its own restricted entry format). Both modes
// build their own tables with this; only the root's shape and the switch to it are per mode.
//
// Tables are reached through the identity direct map, so a PageTables works before its tables are live
// (while the loader's or the entry code's tables are) as well as after.
#pragma once

#include <contract/types.hpp>

namespace hv::x86 {

inline constexpr u64 pte_present = 1u << 0;
inline constexpr u64 pte_writable = 1u << 1;
inline constexpr u64 pte_write_through = 1u << 3;
inline constexpr u64 pte_cache_disable = 1u << 4;
inline constexpr u64 pte_large = 1u << 7; ///< in a directory entry: maps 2 MiB directly
inline constexpr u64 pte_address_mask = 0x000f'ffff'ffff'f000ull;

inline constexpr u64 small_page_size = 4096;
inline constexpr u64 large_page_size = 2u << 20;

/// The leaf flags for `attr`. Every mapping is readable and executable (the ports do not turn NX on);
/// devices are uncached.
u64 leaf_flags(MapAttr attr);

class PageTables {
public:
  /// `levels`: 4 for long mode, 3 for PAE. `upper_flags`: the flags of an entry that points at a
  /// table, for every level but the top; `top_flags`: the same for the root's entries (PAE's PDPTEs
  /// allow only "present" and the cache bits).
  constexpr PageTables(unsigned levels, u64 upper_flags, u64 top_flags)
      : levels_(levels), upper_flags_(upper_flags), top_flags_(top_flags) {}

  /// Starts from the (zeroed or prepared) root table at `root`.
  void set_root(PhysAddr root) { root_ = root; }
  PhysAddr root() const { return root_; }

  /// Maps `size` bytes (small_page_size or large_page_size, with `va` and `pa` aligned to it) at `va`
  /// to `pa`, replacing what was there (then `*replaced` is set, when given). A small page inside a large
  /// one splits the large page into a table first (flushing this CPU's TLB, as the tables may be live).
  /// Missing tables come from `frames`. Returns false when `frames` runs out. The caller flushes `va`
  /// from the TLB.
  bool map(FrameSource& frames, u64 va, PhysAddr pa, u64 size, u64 flags, bool* replaced = nullptr);

  /// Identity-maps every page that touches [base, end): large pages where one fits and nothing is
  /// mapped at that slot yet, small pages elsewhere; a part already inside an identical large page is
  /// left as it is. Returns false when `frames` runs out.
  bool map_identity(FrameSource& frames, PhysAddr base, PhysAddr end, u64 flags);

  /// Removes the small-page mapping at `va`. Returns whether there was one (large pages, which only
  /// the direct map uses, are left alone). The caller flushes `va` from the TLB.
  bool unmap(u64 va);

  /// Takes write away from the small-page mapping at `va`, keeping its frame and other flags; whether it
  /// had write. The caller flushes `va` from the TLB.
  bool take_write(u64 va);

  /// Where `va` leads, by walking the tables in software. With `write`, only a leaf that allows writes
  /// counts (the tables above a leaf are always made writable here).
  bool translate(u64 va, PhysAddr& out, bool write = false) const;

  /// Gives every table, the root last, back to `frames` (the source they came from) and forgets the
  /// root. The pages the leaves map are not the tables': they stay the caller's. The tables must be live
  /// on no CPU.
  void free_tables(FrameSource& frames);

private:
  u64* entry_slot(FrameSource* frames, u64 va, unsigned target_level) const;
  void free_below(FrameSource& frames, PhysAddr table, unsigned level);

  unsigned levels_;
  u64 upper_flags_;
  u64 top_flags_;
  PhysAddr root_ = 0;
};

} // namespace hv::x86

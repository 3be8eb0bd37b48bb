// SPDX-License-Identifier: Apache-2.0
// One radix translation tree in the Power ISA 3.0 format, as the hardware walks it: 52-bit addresses
// split 13+9+9+9 bits over 4 KiB pages (the 4 KiB geometry POWER9 implements), leaves allowed at 1 GiB,
// 2 MiB and 4 KiB, every entry big-endian.
//
// Addresses given here are tree offsets: an effective address without its quadrant bits (0:1), which
// the walk ignores. Tables are reached through the identity direct map, so this works with translation
// on or off.
#pragma once

#include <contract/types.hpp>

namespace hv::ppc64::radix {

constexpr u64 address_bits = 52;

/// A new empty tree: the 64 KiB root, naturally aligned, from `frames`. Returns its physical address,
/// or 0 when `frames` ran out. Pages taken on the way that are not part of the root go back to `frames`.
PhysAddr create(FrameSource& frames);

/// Gives every table of the tree at `root`, the root's pages last, back to `frames` (the source create
/// and the mapping functions took them from). The pages its leaves map stay the caller's. The tree must
/// be reachable by no table walk any more (no partition- or process-table entry points at it, and the
/// caches that might hold its entries are flushed).
void destroy(FrameSource& frames, PhysAddr root);

/// The doubleword that points a partition- or process-table entry at the tree: radix tree size,
/// root address and root index size.
u64 root_descriptor(PhysAddr root);

/// Maps [offset, offset + size) to [pa, ...) with the largest leaves that fit. All page-aligned. Fails
/// (returning false) when `frames` runs out or part of the range is mapped already.
bool map_range(FrameSource& frames, PhysAddr root, u64 offset, PhysAddr pa, u64 size, MapAttr attr);

/// Who may use a leaf. Process-scoped trees of the hypervisor mark theirs privileged (EAA bit 0: never
/// for problem state, never subject to AMR); a partition-scoped tree authorises every access of its
/// guest, user or kernel, whose own process-scoped tree decides who may do what.
enum class Leaf : u8 { privileged, any_privilege };

/// What map_page did to the entry that was there, which tells the caller what it must flush.
enum class Change : u8 {
  fresh,    ///< nothing was mapped there: no translation of it can be cached
  same,     ///< the same frame with the same rights
  widened,  ///< the same frame with more rights, none taken away
  replaced, ///< anything else: another frame, or a right taken away
};

/// Maps one 4 KiB page, replacing a 4 KiB mapping there; `change` (when given) says how. Fails when
/// `frames` runs out or a larger leaf covers `offset`. The caller flushes the TLB.
bool map_page(FrameSource& frames, PhysAddr root, u64 offset, PhysAddr pa, MapAttr attr, Leaf leaf = Leaf::privileged,
              Change* change = nullptr);

/// Removes the 4 KiB mapping at `offset`; false when there was none. The caller flushes the TLB.
bool unmap_page(PhysAddr root, u64 offset);

/// Takes write away from the 4 KiB mapping at `offset`, keeping its frame and other rights; whether it
/// had write. The caller flushes the TLB.
bool take_write(PhysAddr root, u64 offset);

/// Walks the tree in software.
bool translate(PhysAddr root, u64 offset, PhysAddr& out);

} // namespace hv::ppc64::radix

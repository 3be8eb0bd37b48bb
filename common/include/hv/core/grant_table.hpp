// SPDX-License-Identifier: Apache-2.0
// Grant tables v1: one domain lets another map one of its frames.
//
// The granter writes GrantEntryV1 records in its grant table frames (shared with it). map() checks an
// entry (permit_access, for the caller, read-only respected), marks it GTF_reading (and GTF_writing for
// a writable mapping) with an atomic compare-and-swap, since the granter may be changing the entry at
// the same moment, and maps the granter's frame into the caller's p2m as a foreign entry. While those
// bits are set the granter cannot revoke the entry: the ABI's revoke is a compare-and-swap of the flags
// to 0 that fails when they are set. unmap() clears them once the last mapping of that kind is gone.
//
// A table starts with one frame and grows, up to the maximum the domain was created with, as the guest
// asks for more (GNTTABOP_setup_table, or mapping a frame past its end with XENMEM_add_to_physmap); each
// frame of entries comes with the hypervisor's bookkeeping for them, all charged to the domain.
//
// Mapped frames are pinned: the granter cannot give one back (DomainTable::depopulate says Err::busy).
// Destroying either side cleans up: the mapper's mappings are undone (entries unpinned, bits cleared),
// and the granter's frames are unmapped from every other domain (whose p2m entries disappear and whose
// handles become invalid) before they are freed.
//
// Errors are the ABI's GNTST_* status codes, written to the operation's `status` and returned.
#pragma once

#include <hv/abi/grant_table.hpp>
#include <hv/core/frame_allocator.hpp>
#include <hv/core/limits.hpp>

namespace hv {

struct Domain;
class DomainTable;

/// The hypervisor's side of one grant entry of the granter: how many mappings of each kind use it.
struct ActiveGrant {
  u16 readers = 0; ///< read-only mappings
  u16 writers = 0; ///< writable mappings
  u32 pad = 0;
  PhysAddr frame = 0; ///< the machine frame pinned while readers + writers > 0
};

/// One mapping the domain holds of another's grant; the index is the grant handle.
struct GrantMapping {
  abi::domid_t granter = abi::domid_invalid;
  u16 flags = 0; ///< GNTMAP_* as mapped; 0 = slot free
  abi::grant_ref_t ref = 0;
  u64 host_gfn = 0; ///< where it is mapped in this domain's p2m (GNTMAP_host_map)
};

/// A domain's grant state. Its frames are charged to the domain's overhead account.
struct GrantTable {
  static constexpr u64 unmapped = ~u64{0};
  /// ActiveGrant records of one frame's entries fill a block of 2^active_order frames.
  static constexpr u32 active_order = 1;
  static_assert(abi::grant_entries_per_frame * sizeof(ActiveGrant) == (u64{4096} << active_order));

  u32 nr_frames = 0;                              ///< frames the table has now
  u32 max_frames = 0;                             ///< frames it may grow to
  u32 pinned = 0;                                 ///< entries mapped by someone (readers + writers > 0)
  PhysAddr shared[limits::max_grant_frames] = {}; ///< the entries the guest writes
  PhysAddr active[limits::max_grant_frames] = {}; ///< each frame's ActiveGrant records
  u64 gfn[limits::max_grant_frames] = {};         ///< where the guest mapped each frame, or unmapped
  PhysAddr maptrack_frame = 0;                    ///< the GrantMapping records
  GrantMapping* maptrack = nullptr;               ///< limits::max_maptrack, in maptrack_frame
  u32 entries() const { return nr_frames * abi::grant_entries_per_frame; }
};

namespace grant {

/// Gives `d` a table that may grow to `max_frames` frames (1..limits::max_grant_frames), with its first
/// frame and the bookkeeping. Err::inval for a bad count, Err::nomem when frames run out (nothing is
/// left allocated).
Err setup(FrameAllocator& allocator, Domain& d, u32 max_frames);
/// Grows `d`'s table to at least `frames` frames, zeroed. Err::inval past its maximum, Err::nomem when
/// frames run out (the frames added before stay).
Err grow(FrameAllocator& allocator, Domain& d, u32 frames);
/// The entry `ref` of `d`'s table (as the guest sees it), or nullptr past the table.
abi::GrantEntryV1* entry(Domain& d, abi::grant_ref_t ref);
/// The hypervisor's record of entry `ref` (below entries()).
ActiveGrant& active(Domain& d, abi::grant_ref_t ref);

/// GNTTABOP_map_grant_ref for `caller`. GNTST_bad_gntref: neither host_map nor device_map asked, or ref
/// past the granter's table; GNTST_bad_domain: no such granter; GNTST_no_space: the caller's maptrack is
/// full; GNTST_bad_virt_addr: host_addr unaligned, out of range or already mapped; GNTST_permission_denied:
/// the entry does not grant access to the caller, or is read-only and a writable map was asked;
/// GNTST_bad_page: the granted frame is not the granter's memory; GNTST_general_error: out of frames.
/// A device_map mapping reports the frame's machine address in dev_bus_addr to the control domain only;
/// other callers read 0 there (they have no device, and a machine address is the hypervisor's to know).
i16 map(DomainTable& table, Domain& caller, abi::GnttabMapGrantRef& op);
/// GNTTABOP_unmap_grant_ref. GNTST_bad_handle: no such mapping; GNTST_bad_virt_addr: host_addr is not
/// where the handle's mapping is.
i16 unmap(DomainTable& table, Domain& caller, abi::GnttabUnmapGrantRef& op);

/// Whether the machine frame `frame` of `d` is pinned by a mapping.
bool frame_in_use(const Domain& d, PhysAddr frame);
/// Undoes everything `d` takes part in, as mapper and as granter, and frees its grant frames.
void release(DomainTable& table, Domain& d);

} // namespace grant
} // namespace hv

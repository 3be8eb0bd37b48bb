// SPDX-License-Identifier: Apache-2.0
// memory_op of the guest ABI: the reservation operations and add_to_physmap, written from the family's
// documented numbers and layouts. Both records hold guest handles or `unsigned long`s, so their layout
// depends on the guest's word size: each is written once, as a template over GuestWidth.
#pragma once

#include <hv/abi/guest_width.hpp>
#include <hv/abi/xen.hpp>

namespace hv::abi {

/// XENMEM_* sub-operation numbers. The command word's low bits are the operation; the bits above
/// memop_extent_shift say where a restarted operation resumes (its start extent).
namespace xenmem {
inline constexpr u64 increase_reservation = 0;
inline constexpr u64 decrease_reservation = 1;
inline constexpr u64 maximum_ram_page = 2;
inline constexpr u64 current_reservation = 3; ///< arg: domid_t*; returns the domain's pages
inline constexpr u64 maximum_reservation = 4; ///< arg: domid_t*; returns the domain's allowance
inline constexpr u64 populate_physmap = 6;
inline constexpr u64 add_to_physmap = 7;        ///< AddToPhysmap: maps a hypervisor page into the caller's space
inline constexpr u64 remove_from_physmap = 15;  ///< RemoveFromPhysmap: unmaps what is at a gpfn
inline constexpr u64 add_to_physmap_batch = 23; ///< AddToPhysmapBatch: another domain's frames (gmfn_foreign)
inline constexpr u32 memop_extent_shift = 6;
inline constexpr u64 memop_cmd_mask = (u64{1} << memop_extent_shift) - 1;
} // namespace xenmem

/// XENMAPSPACE_*: what add_to_physmap maps.
namespace mapspace {
inline constexpr u32 shared_info = 0; ///< idx 0: the domain's shared_info page
inline constexpr u32 grant_table = 1; ///< idx: a grant-table frame (with grant_table_status: a v2 status frame)
inline constexpr u64 grant_table_status = 1u << 31; ///< XENMAPIDX_grant_table_status, a flag of idx
inline constexpr u32 gmfn_foreign = 4;              ///< another domain's guest frame (add_to_physmap_batch only)
} // namespace mapspace

/// xen_add_to_physmap.
template <GuestWidth W> struct AddToPhysmap {
  domid_t domid;
  u16 size;  ///< for XENMAPSPACE_gmfn_range only
  u32 space; ///< mapspace::*
  ulong_t<W> idx;
  pfn_t<W> gpfn; ///< where in the guest-physical space
};
static_assert(sizeof(AddToPhysmap<GuestWidth::bits64>) == 24);
static_assert(__builtin_offsetof(AddToPhysmap<GuestWidth::bits64>, idx) == 8);
static_assert(__builtin_offsetof(AddToPhysmap<GuestWidth::bits64>, gpfn) == 16);
static_assert(sizeof(AddToPhysmap<GuestWidth::bits32>) == 16);
static_assert(__builtin_offsetof(AddToPhysmap<GuestWidth::bits32>, idx) == 8);
static_assert(__builtin_offsetof(AddToPhysmap<GuestWidth::bits32>, gpfn) == 12);

/// xen_add_to_physmap_batch: `size` pages, each idxs[i] of `space` mapped at gpfns[i] of `domid`, with a
/// per-page error written to errs[i] (int).
template <GuestWidth W> struct AddToPhysmapBatch {
  domid_t domid;
  u16 space; ///< mapspace::*
  u16 size;
  domid_t foreign_domid; ///< for gmfn_foreign: whose frames idxs names
  handle_t<W> idxs;      ///< to ulong_t<W>[size]
  handle_t<W> gpfns;     ///< to pfn_t<W>[size]
  handle_t<W> errs;      ///< to int[size]
};
static_assert(sizeof(AddToPhysmapBatch<GuestWidth::bits64>) == 32);
static_assert(__builtin_offsetof(AddToPhysmapBatch<GuestWidth::bits64>, foreign_domid) == 6);
static_assert(__builtin_offsetof(AddToPhysmapBatch<GuestWidth::bits64>, idxs) == 8);
static_assert(__builtin_offsetof(AddToPhysmapBatch<GuestWidth::bits64>, errs) == 24);
static_assert(sizeof(AddToPhysmapBatch<GuestWidth::bits32>) == 20);
static_assert(__builtin_offsetof(AddToPhysmapBatch<GuestWidth::bits32>, idxs) == 8);
static_assert(__builtin_offsetof(AddToPhysmapBatch<GuestWidth::bits32>, errs) == 16);

/// xen_remove_from_physmap.
template <GuestWidth W> struct RemoveFromPhysmap {
  domid_t domid;
  pfn_t<W> gpfn;
};
static_assert(sizeof(RemoveFromPhysmap<GuestWidth::bits64>) == 16);
static_assert(sizeof(RemoveFromPhysmap<GuestWidth::bits32>) == 8);

/// xen_memory_reservation. `extent_start` points at `nr_extents` frame numbers (xen_pfn_t, the guest's
/// word size): for a translated guest, the guest frames to populate or give back, each the first of an
/// extent of 2^extent_order frames.
template <GuestWidth W> struct MemoryReservation {
  handle_t<W> extent_start; ///< to pfn_t<W>[nr_extents]
  ulong_t<W> nr_extents;
  u32 extent_order;
  u32 mem_flags; ///< XENMEMF_*: placement hints, ignored
  domid_t domid; ///< DOMID_SELF, or another domain for a privileged caller
};
static_assert(sizeof(MemoryReservation<GuestWidth::bits64>) == 32);
static_assert(__builtin_offsetof(MemoryReservation<GuestWidth::bits64>, nr_extents) == 8);
static_assert(__builtin_offsetof(MemoryReservation<GuestWidth::bits64>, extent_order) == 16);
static_assert(__builtin_offsetof(MemoryReservation<GuestWidth::bits64>, domid) == 24);
static_assert(sizeof(MemoryReservation<GuestWidth::bits32>) == 20);
static_assert(__builtin_offsetof(MemoryReservation<GuestWidth::bits32>, nr_extents) == 4);
static_assert(__builtin_offsetof(MemoryReservation<GuestWidth::bits32>, extent_order) == 8);
static_assert(__builtin_offsetof(MemoryReservation<GuestWidth::bits32>, domid) == 16);

} // namespace hv::abi

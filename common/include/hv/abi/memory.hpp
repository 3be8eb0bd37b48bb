// memory_op of the guest ABI: the reservation operations, written from the family's documented numbers
// and layouts. `struct xen_memory_reservation` holds a guest handle and an `unsigned long`, so its layout
// depends on the guest's word size: both are defined, with explicit integer types.
#pragma once

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
inline constexpr u64 add_to_physmap = 7; ///< AddToPhysmap32/64: maps a hypervisor page into the caller's space
inline constexpr u32 memop_extent_shift = 6;
inline constexpr u64 memop_cmd_mask = (u64{1} << memop_extent_shift) - 1;
} // namespace xenmem

/// XENMAPSPACE_*: what add_to_physmap maps.
namespace mapspace {
inline constexpr u32 shared_info = 0; ///< idx 0: the domain's shared_info page
inline constexpr u32 grant_table = 1; ///< idx: a grant-table frame
} // namespace mapspace

/// xen_add_to_physmap of a 64-bit guest (xen_ulong_t idx and xen_pfn_t gpfn are 8 bytes).
struct AddToPhysmap64 {
  domid_t domid;
  u16 size;  ///< for XENMAPSPACE_gmfn_range only
  u32 space; ///< mapspace::*
  u64 idx;
  u64 gpfn; ///< where in the guest-physical space
};
static_assert(sizeof(AddToPhysmap64) == 24);
static_assert(__builtin_offsetof(AddToPhysmap64, gpfn) == 16);

/// xen_add_to_physmap of a 32-bit guest (idx and gpfn are 4 bytes).
struct AddToPhysmap32 {
  domid_t domid;
  u16 size;
  u32 space;
  u32 idx;
  u32 gpfn;
};
static_assert(sizeof(AddToPhysmap32) == 16);
static_assert(__builtin_offsetof(AddToPhysmap32, gpfn) == 12);

/// xen_memory_reservation of a 64-bit guest. `extent_start` points at `nr_extents` frame numbers of the
/// guest's word size (xen_pfn_t): for a translated guest, the guest frames to populate or give back, each
/// the first of an extent of 2^extent_order frames.
struct MemoryReservation64 {
  u64 extent_start; ///< guest handle to u64[nr_extents]
  u64 nr_extents;
  u32 extent_order;
  u32 mem_flags; ///< XENMEMF_*: placement hints, ignored
  domid_t domid; ///< DOMID_SELF, or another domain for a privileged caller
  u16 pad[3];
};
static_assert(sizeof(MemoryReservation64) == 32);
static_assert(__builtin_offsetof(MemoryReservation64, nr_extents) == 8);
static_assert(__builtin_offsetof(MemoryReservation64, extent_order) == 16);
static_assert(__builtin_offsetof(MemoryReservation64, domid) == 24);

/// xen_memory_reservation of a 32-bit guest: handle and counts are 4 bytes, frame numbers too.
struct MemoryReservation32 {
  u32 extent_start; ///< guest handle to u32[nr_extents]
  u32 nr_extents;
  u32 extent_order;
  u32 mem_flags;
  domid_t domid;
  u16 pad;
};
static_assert(sizeof(MemoryReservation32) == 20);
static_assert(__builtin_offsetof(MemoryReservation32, domid) == 16);

} // namespace hv::abi

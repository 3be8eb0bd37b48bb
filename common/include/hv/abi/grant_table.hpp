// SPDX-License-Identifier: Apache-2.0
// Grant tables, version 1, of the guest ABI (grant_table_op), written from the documented numbers and
// layouts. A domain shares a frame with another by filling a grant entry in its own grant table frames:
// which domain may map it, which of its frames, and whether read-only. The hypervisor marks entries in
// use (GTF_reading, GTF_writing) so that the granter cannot revoke a mapped grant.
#pragma once

#include <hv/abi/guest_width.hpp>
#include <hv/abi/xen.hpp>

namespace hv::abi {

/// GNTTABOP_* sub-operation numbers.
namespace gnttabop {
inline constexpr u32 map_grant_ref = 0;
inline constexpr u32 unmap_grant_ref = 1;
inline constexpr u32 setup_table = 2;
inline constexpr u32 dump_table = 3;
inline constexpr u32 transfer = 4;
inline constexpr u32 copy = 5;
inline constexpr u32 query_size = 6;
inline constexpr u32 unmap_and_replace = 7;
inline constexpr u32 set_version = 8;
inline constexpr u32 get_status_frames = 9;
inline constexpr u32 get_version = 10;
} // namespace gnttabop

/// A v1 grant entry, as the granting guest writes it in its grant table frames.
struct GrantEntryV1 {
  u16 flags;     ///< GTF_*: type in bits 0..1, then modifiers; GTF_reading/GTF_writing set by the hypervisor
  domid_t domid; ///< the domain allowed to map it
  u32 frame;     ///< the granter's frame (guest frame number for translated guests)
};
static_assert(sizeof(GrantEntryV1) == 8);
static_assert(__builtin_offsetof(GrantEntryV1, domid) == 2);
static_assert(__builtin_offsetof(GrantEntryV1, frame) == 4);

/// GTF_* flags of GrantEntryV1::flags.
namespace gtf {
inline constexpr u16 invalid = 0;
inline constexpr u16 permit_access = 1;
inline constexpr u16 accept_transfer = 2;
inline constexpr u16 type_mask = 3;
inline constexpr u16 readonly = 1u << 2; ///< the grantee may only read
inline constexpr u16 reading = 1u << 3;  ///< set by the hypervisor while mapped
inline constexpr u16 writing = 1u << 4;  ///< set by the hypervisor while mapped writable
} // namespace gtf

/// GNTMAP_* flags of a map request.
namespace gntmap {
inline constexpr u32 device_map = 1u << 0;
inline constexpr u32 host_map = 1u << 1;
inline constexpr u32 readonly = 1u << 2;
inline constexpr u32 application_map = 1u << 3;
inline constexpr u32 contains_pte = 1u << 4;
} // namespace gntmap

/// GNTST_*: per-operation status codes (not errnos), returned in the `status` field.
namespace gntst {
inline constexpr i16 okay = 0;
inline constexpr i16 general_error = -1;
inline constexpr i16 bad_domain = -2;
inline constexpr i16 bad_gntref = -3;
inline constexpr i16 bad_handle = -4;
inline constexpr i16 bad_virt_addr = -5;
inline constexpr i16 bad_dev_addr = -6;
inline constexpr i16 no_device_space = -7;
inline constexpr i16 permission_denied = -8;
inline constexpr i16 bad_page = -9;
inline constexpr i16 bad_copy_arg = -10;
inline constexpr i16 address_too_big = -11;
inline constexpr i16 eagain = -12;
inline constexpr i16 no_space = -13;
} // namespace gntst

/// GNTTABOP_map_grant_ref. Same layout for 32- and 64-bit guests (every 64-bit member is 8-aligned).
struct GnttabMapGrantRef {
  u64 host_addr;         ///< IN: where to map (guest-physical for translated guests)
  u32 flags;             ///< IN: GNTMAP_*
  grant_ref_t ref;       ///< IN
  domid_t dom;           ///< IN: the granting domain
  i16 status;            ///< OUT: GNTST_*
  grant_handle_t handle; ///< OUT: names the mapping for unmap
  u64 dev_bus_addr;      ///< OUT: the frame's bus address, for GNTMAP_device_map
};
static_assert(sizeof(GnttabMapGrantRef) == 32);
static_assert(__builtin_offsetof(GnttabMapGrantRef, flags) == 8);
static_assert(__builtin_offsetof(GnttabMapGrantRef, ref) == 12);
static_assert(__builtin_offsetof(GnttabMapGrantRef, dom) == 16);
static_assert(__builtin_offsetof(GnttabMapGrantRef, status) == 18);
static_assert(__builtin_offsetof(GnttabMapGrantRef, handle) == 20);
static_assert(__builtin_offsetof(GnttabMapGrantRef, dev_bus_addr) == 24);

/// GNTTABOP_unmap_grant_ref.
struct GnttabUnmapGrantRef {
  u64 host_addr;         ///< IN: as mapped
  u64 dev_bus_addr;      ///< IN
  grant_handle_t handle; ///< IN
  i16 status;            ///< OUT: GNTST_*
  u16 pad;
};
static_assert(sizeof(GnttabUnmapGrantRef) == 24);
static_assert(__builtin_offsetof(GnttabUnmapGrantRef, dev_bus_addr) == 8);
static_assert(__builtin_offsetof(GnttabUnmapGrantRef, handle) == 16);
static_assert(__builtin_offsetof(GnttabUnmapGrantRef, status) == 20);

/// GNTTABOP_query_size: how many grant table frames a domain has, and may have.
struct GnttabQuerySize {
  domid_t dom; ///< IN: DOMID_SELF, or another domain for a privileged caller
  u16 pad;
  u32 nr_frames;     ///< OUT
  u32 max_nr_frames; ///< OUT
  i16 status;        ///< OUT: GNTST_*
  u16 pad2;
};
static_assert(sizeof(GnttabQuerySize) == 16);
static_assert(__builtin_offsetof(GnttabQuerySize, nr_frames) == 4);
static_assert(__builtin_offsetof(GnttabQuerySize, status) == 12);

/// GNTTABOP_setup_table: makes the domain's table at least `nr_frames` frames and lists where each is
/// (for our translated guests: the guest frame it is mapped at, or ~0 where it is not mapped).
template <GuestWidth W> struct GnttabSetupTable {
  domid_t dom;            ///< IN: DOMID_SELF, or another domain for a privileged caller
  u32 nr_frames;          ///< IN
  i16 status;             ///< OUT: GNTST_*
  handle_t<W> frame_list; ///< IN: to pfn_t<W>[nr_frames], filled in
};
static_assert(sizeof(GnttabSetupTable<GuestWidth::bits64>) == 24);
static_assert(__builtin_offsetof(GnttabSetupTable<GuestWidth::bits64>, nr_frames) == 4);
static_assert(__builtin_offsetof(GnttabSetupTable<GuestWidth::bits64>, status) == 8);
static_assert(__builtin_offsetof(GnttabSetupTable<GuestWidth::bits64>, frame_list) == 16);
static_assert(sizeof(GnttabSetupTable<GuestWidth::bits32>) == 16);
static_assert(__builtin_offsetof(GnttabSetupTable<GuestWidth::bits32>, frame_list) == 12);

/// GNTTABOP_set_version: asks for a table layout version, and says which one the table has.
struct GnttabSetVersion {
  u32 version; ///< IN/OUT
};
static_assert(sizeof(GnttabSetVersion) == 4);

/// GNTTABOP_get_version: the layout version of a domain's table.
struct GnttabGetVersion {
  domid_t dom; ///< IN
  u16 pad;
  u32 version; ///< OUT
};
static_assert(sizeof(GnttabGetVersion) == 8);
static_assert(__builtin_offsetof(GnttabGetVersion, version) == 4);

/// Grant entries per 4 KiB grant table frame.
inline constexpr u32 grant_entries_per_frame = 4096 / sizeof(GrantEntryV1);

} // namespace hv::abi

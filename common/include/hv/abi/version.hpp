// SPDX-License-Identifier: Apache-2.0
// xen_version of the guest ABI: what the hypervisor is and what it offers, written from the family's
// documented sub-operation numbers, record layouts and feature bits.
#pragma once

#include <hv/abi/guest_width.hpp>

namespace hv::abi {

/// xen_version sub-operations (XENVER_*): (cmd, arg).
namespace xenver {
inline constexpr u64 version = 0;             ///< returns major << 16 | minor; no argument
inline constexpr u64 extraversion = 1;        ///< copies extraversion_size bytes
inline constexpr u64 compile_info = 2;        ///< copies a CompileInfo
inline constexpr u64 capabilities = 3;        ///< copies capabilities_size bytes
inline constexpr u64 changeset = 4;           ///< copies changeset_size bytes
inline constexpr u64 platform_parameters = 5; ///< copies a PlatformParameters of the guest's width
inline constexpr u64 get_features = 6;        ///< FeatureInfo in and out
inline constexpr u64 pagesize = 7;            ///< returns the page size; no argument
inline constexpr u64 guest_handle = 8;        ///< copies guest_handle_size bytes: the domain's handle
inline constexpr u64 commandline = 9;         ///< copies commandline_size bytes
inline constexpr u64 build_id = 10;           ///< BuildId in, the ID's bytes after it out
} // namespace xenver

/// The version we report: the family release whose guest ABI we follow, so that guests that check the
/// version before using an interface find what they expect.
inline constexpr u32 version_major = 4;
inline constexpr u32 version_minor = 17;

/// The fixed-size text buffers (xen_extraversion_t, xen_capabilities_info_t, xen_changeset_info_t,
/// xen_commandline_t, xen_domain_handle_t): the hypervisor writes each whole, NUL-padded.
inline constexpr usize extraversion_size = 16;
inline constexpr usize capabilities_size = 1024;
inline constexpr usize changeset_size = 64;
inline constexpr usize commandline_size = 1024;
inline constexpr usize guest_handle_size = 16;

/// XENVER_compile_info (xen_compile_info): NUL-terminated strings.
struct CompileInfo {
  char compiler[64];
  char compile_by[16];
  char compile_domain[32];
  char compile_date[32];
};
static_assert(sizeof(CompileInfo) == 144);
static_assert(__builtin_offsetof(CompileInfo, compile_by) == 64);
static_assert(__builtin_offsetof(CompileInfo, compile_domain) == 80);
static_assert(__builtin_offsetof(CompileInfo, compile_date) == 112);

/// XENVER_platform_parameters (xen_platform_parameters): where the hypervisor's part of a paravirtualized
/// guest's virtual address space begins.
template <GuestWidth W> struct PlatformParameters {
  ulong_t<W> virt_start;
};
static_assert(sizeof(PlatformParameters<GuestWidth::bits64>) == 8);
static_assert(sizeof(PlatformParameters<GuestWidth::bits32>) == 4);

/// XENVER_get_features: one 32-bit word of the feature bitmap.
struct FeatureInfo {
  u32 submap_idx; ///< IN: which word (0 is the only one today)
  u32 submap;     ///< OUT
};
static_assert(sizeof(FeatureInfo) == 8);

/// XENVER_build_id's header (xen_build_id): the buffer's size; the ID's bytes follow it.
struct BuildId {
  u32 len;
};
static_assert(sizeof(BuildId) == 4);

/// XENFEAT_* bit numbers of feature word 0.
namespace xenfeat {
inline constexpr u32 writable_page_tables = 0;
inline constexpr u32 writable_descriptor_tables = 1;
inline constexpr u32 auto_translated_physmap = 2;
inline constexpr u32 supervisor_mode_kernel = 3;
inline constexpr u32 pae_pgdir_above_4gb = 4;
inline constexpr u32 mmu_pt_update_preserve_ad = 5;
inline constexpr u32 highmem_assist = 6;
inline constexpr u32 gnttab_map_avail_bits = 7;
inline constexpr u32 hvm_callback_vector = 8;
inline constexpr u32 hvm_safe_pvclock = 9;
inline constexpr u32 hvm_pirqs = 10;
inline constexpr u32 dom0 = 11;
inline constexpr u32 memory_op_vnode_supported = 13;
inline constexpr u32 arm_smccc_supported = 14;
inline constexpr u32 linux_rsdp_unrestricted = 15;
inline constexpr u32 not_direct_mapped = 16;
inline constexpr u32 direct_mapped = 17;
inline constexpr u32 submaps = 1; ///< XENFEAT_NR_SUBMAPS
} // namespace xenfeat

} // namespace hv::abi

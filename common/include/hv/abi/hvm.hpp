// SPDX-License-Identifier: Apache-2.0
// hvm_op: the HVM parameters of hardware-virtualized guests (how the domain's event upcall is delivered,
// where its store and console rings are, and the toolstack's settings). Numbers and layout are the
// family's public ABI.
#pragma once

#include <hv/abi/xen.hpp>

namespace hv::abi {

namespace hvmop {
inline constexpr u64 set_param = 0;
inline constexpr u64 get_param = 1;
} // namespace hvmop

/// xen_hvm_param: the same layout for 32- and 64-bit guests (the u64 is 8-aligned in both).
struct HvmParam {
  domid_t domid; ///< DOMID_SELF, or another domain for the control domain
  u16 pad;
  u32 index; ///< hvm_param::*
  u64 value;
};
static_assert(sizeof(HvmParam) == 16);
static_assert(__builtin_offsetof(HvmParam, value) == 8);

/// HVM_PARAM_* indexes.
namespace hvm_param {
inline constexpr u32 callback_irq = 0;
inline constexpr u32 store_pfn = 1;
inline constexpr u32 store_evtchn = 2;
inline constexpr u32 ioreq_pfn = 5;
inline constexpr u32 bufioreq_pfn = 6;
inline constexpr u32 viridian = 9;
inline constexpr u32 timer_mode = 10;
inline constexpr u32 hpet_enabled = 11;
inline constexpr u32 ident_pt = 12;
inline constexpr u32 acpi_s_state = 14;
inline constexpr u32 vm86_tss = 15;
inline constexpr u32 vpt_align = 16;
inline constexpr u32 console_pfn = 17;
inline constexpr u32 console_evtchn = 18;
inline constexpr u32 acpi_ioports_location = 19;
inline constexpr u32 paging_ring_pfn = 27;
inline constexpr u32 monitor_ring_pfn = 28;
inline constexpr u32 sharing_ring_pfn = 29;
inline constexpr u32 triple_fault_reason = 31;
inline constexpr u32 ioreq_server_pfn = 32;
inline constexpr u32 nr_ioreq_server_pages = 33;
inline constexpr u32 vm_generation_id_addr = 34;
inline constexpr u32 altp2m = 35;
inline constexpr u32 x87_fip_width = 36;
inline constexpr u32 vm86_tss_sized = 37;
inline constexpr u32 mca_cap = 38;
inline constexpr u32 count = 39; ///< HVM_NR_PARAMS: indexes at or above it are invalid

/// CALLBACK_IRQ's value: the delivery type in bits 63:56, its argument below.
inline constexpr u32 callback_type_shift = 56;
inline constexpr u64 callback_type_vector = 2; ///< argument: the IDT vector of the upcall
} // namespace hvm_param

} // namespace hv::abi

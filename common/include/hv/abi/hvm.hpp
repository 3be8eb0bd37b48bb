// hvm_op: parameters of hardware-virtualized guests. Only the callback parameter is kept: how the
// domain wants its event upcall delivered. Numbers and layout are the family's public ABI.
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

namespace hvm_param {
inline constexpr u32 callback_irq = 0;
inline constexpr u32 count = 40; ///< HVM_NR_PARAMS: indexes at or above it are invalid
/// CALLBACK_IRQ's value: the delivery type in bits 63:56, its argument below.
inline constexpr u32 callback_type_shift = 56;
inline constexpr u64 callback_type_vector = 2; ///< argument: the IDT vector of the upcall
} // namespace hvm_param

} // namespace hv::abi

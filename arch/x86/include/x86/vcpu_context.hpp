// SPDX-License-Identifier: Apache-2.0
// The family's x86 vcpu_guest_context (XEN_DOMCTL_setvcpucontext's record), as far as the SVM backend
// reads it: where the fields it honours sit in the 64-bit layout (arch-x86/xen-x86_64.h) and the 32-bit one
// (xen-x86_32.h), which a caller of that word size passes. Checked against libxen-dev's headers by the
// unit tests abi and abi-i686 (tests/unit/abi/abi_native.cpp).
//
// What it means here (docs/lifecycle.md): a vCPU of a domain the control domain builds starts in the PVH
// entry state (32-bit protected mode, paging off, flat segments, interrupts off) at user_regs.rip (eip),
// with the boot argument in user_regs.rbx (ebx), as the boot's own builder starts one; every other field
// is ignored. An entry or argument at or above 4 GiB cannot be reached in that mode and is refused.
#pragma once

#include <hv/types.hpp>

namespace hv::x86::vcpu_context {

/// Offsets in the record of a 64-bit caller.
namespace bits64 {
inline constexpr u64 size = 5168;
inline constexpr u64 flags = 512;
inline constexpr u64 user_regs = 520;
inline constexpr u64 rbx = user_regs + 40;
inline constexpr u64 rip = user_regs + 128;
} // namespace bits64

/// Offsets in the record of a 32-bit caller (every field 4 bytes).
namespace bits32 {
inline constexpr u64 flags = 512;
inline constexpr u64 user_regs = 516;
inline constexpr u64 ebx = user_regs + 0;
inline constexpr u64 eip = user_regs + 32;
} // namespace bits32

} // namespace hv::x86::vcpu_context

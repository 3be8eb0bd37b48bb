// SPDX-License-Identifier: Apache-2.0
// VCPUOP_initialise's record for the family's HVM and PVH guests on x86 (vcpu_hvm_context): the mode,
// then the registers a vCPU starts with, 32-bit (protected mode with the segments' cached parts given) or
// 64-bit (long mode, flat segments). Written from the family's public header's documented layout; the
// unit test abi checks it against Debian's libxen-dev (/usr/include/xen/hvm/hvm_vcpu.h).
#pragma once

#include <hv/types.hpp>

namespace hv::abi {

namespace vcpu_hvm_mode {
inline constexpr u32 bits32 = 0; ///< VCPU_HVM_MODE_32B: regs.x86_32
inline constexpr u32 bits64 = 1; ///< VCPU_HVM_MODE_64B: regs.x86_64
} // namespace vcpu_hvm_mode

/// A segment's attributes in `*_ar`: descriptor bits 40-47 in bits 0-7, bits 52-55 in bits 8-11 (the
/// VMCB's packed form).
struct VcpuHvmX86_32 {
  u32 eax, ecx, edx, ebx, esp, ebp, esi, edi;
  u32 eip, eflags;
  u32 cr0, cr3, cr4;
  u32 pad1;
  u64 efer;
  u32 cs_base, ds_base, ss_base, es_base, tr_base;
  u32 cs_limit, ds_limit, ss_limit, es_limit, tr_limit;
  u16 cs_ar, ds_ar, ss_ar, es_ar, tr_ar;
  u16 pad2[3];
};
static_assert(sizeof(VcpuHvmX86_32) == 120);

struct VcpuHvmX86_64 {
  u64 rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
  u64 rip, rflags;
  u64 cr0, cr3, cr4;
  u64 efer;
};
static_assert(sizeof(VcpuHvmX86_64) == 112);

struct VcpuHvmContext {
  u32 mode; ///< vcpu_hvm_mode::*
  u32 pad;
  union {
    VcpuHvmX86_32 x86_32;
    VcpuHvmX86_64 x86_64;
  } regs;
};
static_assert(sizeof(VcpuHvmContext) == 128);

} // namespace hv::abi

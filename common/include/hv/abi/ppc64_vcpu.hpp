// SPDX-License-Identifier: Apache-2.0
// VCPUOP_initialise's record for POWER guests. The family defines no POWER9 partition ABI of its own, so
// this one is the hypervisor's (docs/guest-abi.md, "Starting other vCPUs"): the registers an offline vCPU
// starts with at its VCPUOP_up, eight doublewords in the guest's (and the hypervisor's) byte order. Every
// other register starts as in the guest ABI's entry state.
#pragma once

#include <hv/types.hpp>

namespace hv::abi {

struct VcpuPpc64Context {
  u64 pc;  ///< where the vCPU starts: a guest-physical address, 4-byte aligned
  u64 msr; ///< SF set, LE the guest's byte order, HV, PR, IR and DR clear; besides those only EE, ME, RI,
           ///< FP, VEC, VSX, FE0 and FE1 may be set (ppc64_vcpu_msr below)
  u64 r1;  ///< the stack pointer
  u64 r2;  ///< the TOC pointer
  u64 r3;  ///< the first argument
  u64 r4;  ///< the second argument
  u64 r12; ///< ELFv2's global entry point wants the entry address here, from which it finds its TOC
  u64 r13; ///< the thread pointer
};
static_assert(sizeof(VcpuPpc64Context) == 64);

/// The MSR bits of VcpuPpc64Context::msr, IBM numbering (bit 0 the most significant).
namespace ppc64_vcpu_msr {
constexpr u64 bit(unsigned ibm) { return u64{1} << (63 - ibm); }
inline constexpr u64 sf = bit(0);   ///< 64-bit mode: required
inline constexpr u64 hv = bit(3);   ///< hypervisor state: refused
inline constexpr u64 vec = bit(38); ///< vector (VMX) available
inline constexpr u64 vsx = bit(40); ///< VSX available
inline constexpr u64 ee = bit(48);  ///< external interrupts (the event upcall) enabled
inline constexpr u64 pr = bit(49);  ///< problem state: refused (a vCPU starts privileged)
inline constexpr u64 fp = bit(50);  ///< floating point available
inline constexpr u64 me = bit(51);  ///< machine checks enabled
inline constexpr u64 fe0 = bit(52); ///< floating-point exception mode, high bit
inline constexpr u64 fe1 = bit(55); ///< floating-point exception mode, low bit
inline constexpr u64 ir = bit(58);  ///< instruction translation: refused (no process table is registered)
inline constexpr u64 dr = bit(59);  ///< data translation: refused, as IR
inline constexpr u64 ri = bit(62);  ///< recoverable interrupt
inline constexpr u64 le = bit(63);  ///< little-endian: must be the guest's byte order
/// The bits a record may set beyond SF and LE.
inline constexpr u64 optional = vec | vsx | ee | fp | me | fe0 | fe1 | ri;
} // namespace ppc64_vcpu_msr

/// Whether `c` asks for a state a POWER partition's vCPU can start in: pc aligned, and an MSR with SF,
/// with LE as `little_endian` says the guest's byte order is, and nothing beyond ppc64_vcpu_msr::optional.
constexpr bool ppc64_vcpu_startable(const VcpuPpc64Context& c, bool little_endian) {
  namespace m = ppc64_vcpu_msr;
  if (c.pc % 4 != 0) return false;
  if ((c.msr & m::sf) == 0 || ((c.msr & m::le) != 0) != little_endian) return false;
  return (c.msr & ~(m::sf | m::le | m::optional)) == 0;
}

} // namespace hv::abi

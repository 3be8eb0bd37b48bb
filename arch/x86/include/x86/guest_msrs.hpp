// SPDX-License-Identifier: Apache-2.0
// The MSRs a guest sees, as a PC with this CPU would show them to its kernel: the ones VMRUN, VMLOAD and
// VMSAVE switch are the guest's own and pass straight through; the others are intercepted and answered
// here from the VMCB and from a few values kept per vCPU. Anything else raises #GP, as the family does for
// MSRs it does not know (a kernel probes those with its "safe" accessors).
//
// Pure functions of the VMCB and the kept values, so that the host's unit tests run them too.
#pragma once

#include <hv/types.hpp>
#include <x86/local_apic.hpp>
#include <x86/vmcb.hpp>

namespace hv::x86 {

inline constexpr u32 msr_tsc = 0x10;
inline constexpr u32 msr_apic_base = 0x1b;
inline constexpr u32 msr_mtrr_capabilities = 0xfe;
inline constexpr u32 msr_sysenter_cs = 0x174;
inline constexpr u32 msr_sysenter_esp = 0x175;
inline constexpr u32 msr_sysenter_eip = 0x176;
inline constexpr u32 msr_mtrr_variable_first = 0x200; ///< base/mask pairs up to 0x20f
inline constexpr u32 msr_mtrr_fixed_64k = 0x250;
inline constexpr u32 msr_mtrr_fixed_16k_first = 0x258; ///< and 0x259
inline constexpr u32 msr_mtrr_fixed_4k_first = 0x268;  ///< up to 0x26f
inline constexpr u32 msr_pat = 0x277;
inline constexpr u32 msr_mtrr_default_type = 0x2ff;
inline constexpr u32 msr_efer = 0xc000'0080;
inline constexpr u32 msr_star = 0xc000'0081;
inline constexpr u32 msr_lstar = 0xc000'0082;
inline constexpr u32 msr_cstar = 0xc000'0083;
inline constexpr u32 msr_sfmask = 0xc000'0084;
inline constexpr u32 msr_fs_base = 0xc000'0100;
inline constexpr u32 msr_gs_base = 0xc000'0101;
inline constexpr u32 msr_kernel_gs_base = 0xc000'0102;

inline constexpr u64 efer_sce = 1ull << 0;
inline constexpr u64 efer_lme = 1ull << 8;
inline constexpr u64 efer_lma = 1ull << 10;
inline constexpr u64 efer_nxe = 1ull << 11;
inline constexpr u64 efer_svme = 1ull << 12;

/// The MSRs the guest reads and writes without an exit: VMRUN and #VMEXIT swap EFER's and the segment
/// bases' hidden parts, VMLOAD and VMSAVE the rest (svm_enter.S does both around every run), so the
/// guest's values never reach the hypervisor.
inline constexpr u32 passthrough_msrs[] = {msr_sysenter_cs, msr_sysenter_esp,  msr_sysenter_eip, msr_star,
                                           msr_lstar,       msr_cstar,         msr_sfmask,       msr_fs_base,
                                           msr_gs_base,     msr_kernel_gs_base};

/// What a vCPU's intercepted MSRs hold beyond its VMCB: the MTRRs, which nothing in the hardware uses
/// under nested paging (the host's types win) but which a kernel programs and reads back.
struct GuestMsrs {
  static constexpr usize variable_ranges = 8;
  static constexpr usize fixed_ranges = 11;
  u64 mtrr_default_type = 0xc06; ///< MTRRs and fixed ranges enabled, write-back elsewhere: a PC's firmware's
  u64 mtrr_variable[variable_ranges * 2] = {};
  u64 mtrr_fixed[fixed_ranges] = {0x0606'0606'0606'0606ull, 0x0606'0606'0606'0606ull, 0x0606'0606'0606'0606ull,
                                  0x0606'0606'0606'0606ull, 0x0606'0606'0606'0606ull, 0x0606'0606'0606'0606ull,
                                  0x0606'0606'0606'0606ull, 0x0606'0606'0606'0606ull, 0x0606'0606'0606'0606ull,
                                  0x0606'0606'0606'0606ull, 0x0606'0606'0606'0606ull};
  LocalApic apic; ///< its x2APIC registers (MSRs 0x800-0x8ff)
};

/// One intercepted access, with what it may change.
struct MsrAccess {
  Vmcb& vmcb;
  GuestMsrs& msrs;
  bool bootstrap; ///< vCPU 0: APIC_BASE says BSP
  u64 host_tsc;   ///< the host's TSC now, for the guest's (host + the VMCB's offset)
};

/// RDMSR `msr`: its value in `value`, or false for #GP.
bool read_guest_msr(const MsrAccess& access, u32 msr, u64& value);
/// WRMSR `msr` = `value`: applied, or false for #GP (an MSR the guest may not write, a reserved bit set,
/// a value the CPU would refuse: an EFER.LME change with paging on, a PAT entry of an undefined type).
bool write_guest_msr(const MsrAccess& access, u32 msr, u64 value);

} // namespace hv::x86

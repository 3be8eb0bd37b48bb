// SPDX-License-Identifier: Apache-2.0
// A guest's writes to CR4, which the SVM backend intercepts: the value the CPU would take is kept in the
// VMCB; one the CPU would refuse, or one this hypervisor refuses, raises #GP instead.
//
// Why intercepted: QEMU's #VMEXIT loads the host's CR0 while CR4 and EFER are still the guest's, so a
// guest that set EFER.LME and then cleared CR4.PAE (legal on hardware with paging off) would leave the
// hypervisor running on the guest's CR0 (docs/virtualization.md). Refused besides what hardware
// refuses: that clearing, bits of features the guest's CPUID does not show (VMX, SMX, XSAVE, 5-level
// paging) and bits the host's CPU lacks, which VMRUN would reject as illegal guest state.
//
// Pure functions of their arguments, so that the host's unit tests run them too.
#pragma once

#include <hv/types.hpp>

namespace hv::x86 {

inline constexpr u64 cr4_pse = 1ull << 4;
inline constexpr u64 cr4_pae_bit = 1ull << 5;
inline constexpr u64 cr4_pge = 1ull << 7;
inline constexpr u64 cr4_umip = 1ull << 11;
inline constexpr u64 cr4_fsgsbase = 1ull << 16;
inline constexpr u64 cr4_pcide = 1ull << 17;
inline constexpr u64 cr4_smep = 1ull << 20;
inline constexpr u64 cr4_smap = 1ull << 21;
inline constexpr u64 cr4_pke = 1ull << 22;
/// VME, PVI, TSD, DE, PSE, PAE, MCE, PGE, PCE, OSFXSR, OSXMMEXCPT: every x86-64 CPU has them.
inline constexpr u64 cr4_always = 0x7ff;

/// The CR4 bits a guest may set on a CPU whose CPUID answers are these (leaf 1 ECX, leaf 7 subleaf 0
/// EBX and ECX): cr4_always, and the optional features the CPU has.
u64 guest_cr4_bits(u32 leaf1_ecx, u32 leaf7_ebx, u32 leaf7_ecx);

/// What a MOV to CR4 does.
struct Cr4Write {
  bool allowed = false;   ///< false: #GP, CR4 unchanged
  bool flush_tlb = false; ///< a bit that changes how addresses translate changed: the guest's TLB goes
};

/// Judges a MOV of `value` to CR4 over `old`, with the guest's EFER and CR3 and the bits it may set
/// (guest_cr4_bits). The rules are the AMD64 APM's (vol. 2, 3.1.3 and 5.5.1: reserved bits, PAE kept in
/// long mode, PCIDE only in long mode with CR3's PCID zero) and this hypervisor's (above).
Cr4Write judge_cr4_write(u64 old, u64 value, u64 efer, u64 cr3, u64 allowed_bits);

} // namespace hv::x86

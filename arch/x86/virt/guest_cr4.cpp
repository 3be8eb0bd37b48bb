// SPDX-License-Identifier: Apache-2.0
// A guest's writes to CR4 (x86/guest_cr4.hpp).
#include <x86/guest_cr4.hpp>
#include <x86/guest_msrs.hpp>

namespace hv::x86 {
namespace {

constexpr u32 leaf1_ecx_pcid = 1u << 17;
constexpr u32 leaf7_ebx_fsgsbase = 1u << 0;
constexpr u32 leaf7_ebx_smep = 1u << 7;
constexpr u32 leaf7_ebx_smap = 1u << 20;
constexpr u32 leaf7_ecx_umip = 1u << 2;
constexpr u32 leaf7_ecx_pke = 1u << 3;
constexpr u64 cr3_pcid = 0xfff;
// The bits whose change flushes the TLB on hardware (APM vol. 2, 5.5.2), SMEP's too, since permissions
// cached under the old rule must not outlive it.
constexpr u64 translation_bits = cr4_pse | cr4_pae_bit | cr4_pge | cr4_pcide | cr4_smep | cr4_smap | cr4_pke;

} // namespace

u64 guest_cr4_bits(u32 leaf1_ecx, u32 leaf7_ebx, u32 leaf7_ecx) {
  u64 bits = cr4_always;
  if ((leaf1_ecx & leaf1_ecx_pcid) != 0) bits |= cr4_pcide;
  if ((leaf7_ebx & leaf7_ebx_fsgsbase) != 0) bits |= cr4_fsgsbase;
  if ((leaf7_ebx & leaf7_ebx_smep) != 0) bits |= cr4_smep;
  if ((leaf7_ebx & leaf7_ebx_smap) != 0) bits |= cr4_smap;
  if ((leaf7_ecx & leaf7_ecx_umip) != 0) bits |= cr4_umip;
  if ((leaf7_ecx & leaf7_ecx_pke) != 0) bits |= cr4_pke;
  return bits;
}

Cr4Write judge_cr4_write(u64 old, u64 value, u64 efer, u64 cr3, u64 allowed_bits) {
  if ((value & ~allowed_bits) != 0) return {};
  if ((efer & efer_lme) != 0 && (value & cr4_pae_bit) == 0) return {}; // in long mode, or on the way to it
  if ((value & cr4_pcide) != 0 && (old & cr4_pcide) == 0 && ((efer & efer_lma) == 0 || (cr3 & cr3_pcid) != 0))
    return {};
  return {true, ((old ^ value) & translation_bits) != 0};
}

} // namespace hv::x86

// SPDX-License-Identifier: Apache-2.0
// The intercepted MSRs a guest sees (guest_msrs.hpp). Values and rules are the AMD64 APM's (vol. 2:
// EFER 3.1.7, PAT 7.8, MTRRs 7.7, the APIC base 16.3.1); the x2APIC registers are local_apic.cpp's.
#include <x86/guest_msrs.hpp>

namespace hv::x86 {
namespace {

constexpr u64 apic_base_address = 0xfee0'0000;
constexpr u64 apic_base_bsp = 1ull << 8;
constexpr u64 apic_base_x2apic = 1ull << 10;
constexpr u64 apic_base_enable = 1ull << 11;
// Eight variable ranges, fixed ranges, write-combining: what QEMU's PCs and most machines report.
constexpr u64 mtrr_capabilities = GuestMsrs::variable_ranges | 1ull << 8 | 1ull << 10;
constexpr u64 mtrr_default_type_bits = 0xcffull; // E, FE, type
constexpr u64 cr0_paging = 1ull << 31;
constexpr u64 cr4_pae = 1ull << 5;
// What a guest may set: SYSCALL, long mode, no-execute. LMA follows LME and paging; SVME stays the
// hypervisor's (CPUID offers no SVM).
constexpr u64 efer_guest_bits = efer_sce | efer_lme | efer_nxe;

// Memory types an MTRR or PAT entry may name: UC, WC, WT, WP, WB (and UC- for the PAT alone).
bool valid_type(u64 type, bool pat) {
  return type == 0 || type == 1 || type == 4 || type == 5 || type == 6 || (pat && type == 7);
}

bool valid_type_bytes(u64 value, bool pat) {
  for (int i = 0; i < 8; ++i)
    if (!valid_type(value >> (i * 8) & 0xff, pat)) return false;
  return true;
}

// The fixed-range MTRR an MSR index names: 0x250, 0x258-0x259, 0x268-0x26f in that order.
int fixed_range(u32 msr) {
  if (msr == msr_mtrr_fixed_64k) return 0;
  if (msr >= msr_mtrr_fixed_16k_first && msr < msr_mtrr_fixed_16k_first + 2)
    return 1 + static_cast<int>(msr - msr_mtrr_fixed_16k_first);
  if (msr >= msr_mtrr_fixed_4k_first && msr < msr_mtrr_fixed_4k_first + 8)
    return 3 + static_cast<int>(msr - msr_mtrr_fixed_4k_first);
  return -1;
}

bool variable_range(u32 msr) {
  return msr >= msr_mtrr_variable_first && msr < msr_mtrr_variable_first + GuestMsrs::variable_ranges * 2;
}

// The APIC is enabled in x2APIC mode, as firmware may leave it and as the family offers it to PVH guests.
u64 apic_base(const MsrAccess& a) {
  return apic_base_address | apic_base_x2apic | apic_base_enable | (a.bootstrap ? apic_base_bsp : 0);
}

u64 guest_tsc(const MsrAccess& a) { return a.host_tsc + a.vmcb.control.tsc_offset; }

} // namespace

bool read_guest_msr(const MsrAccess& a, u32 msr, u64& value) {
  const VmcbState& s = a.vmcb.state;
  if (msr >= msr_x2apic_first && msr <= msr_x2apic_last) return read_x2apic(a.msrs.apic, msr, guest_tsc(a), value);
  if (const int fixed = fixed_range(msr); fixed >= 0) {
    value = a.msrs.mtrr_fixed[fixed];
    return true;
  }
  if (variable_range(msr)) {
    value = a.msrs.mtrr_variable[msr - msr_mtrr_variable_first];
    return true;
  }
  switch (msr) {
  case msr_efer: value = s.efer & ~efer_svme; return true;
  case msr_tsc: value = guest_tsc(a); return true;
  case msr_tsc_deadline: value = read_tsc_deadline(a.msrs.apic); return true;
  case msr_pat: value = s.guest_pat; return true;
  case msr_apic_base: value = apic_base(a); return true;
  case msr_mtrr_capabilities: value = mtrr_capabilities; return true;
  case msr_mtrr_default_type: value = a.msrs.mtrr_default_type; return true;
  default: return false;
  }
}

bool write_guest_msr(const MsrAccess& a, u32 msr, u64 value) {
  VmcbState& s = a.vmcb.state;
  if (msr >= msr_x2apic_first && msr <= msr_x2apic_last) return write_x2apic(a.msrs.apic, msr, value, guest_tsc(a));
  if (const int fixed = fixed_range(msr); fixed >= 0) {
    if (!valid_type_bytes(value, false)) return false;
    a.msrs.mtrr_fixed[fixed] = value;
    return true;
  }
  if (variable_range(msr)) {
    const bool base = (msr - msr_mtrr_variable_first) % 2 == 0;
    if (base && !valid_type(value & 0xff, false)) return false;
    a.msrs.mtrr_variable[msr - msr_mtrr_variable_first] = value;
    return true;
  }
  switch (msr) {
  case msr_efer: {
    if ((value & ~(efer_guest_bits | efer_lma)) != 0) return false;
    // Long mode is switched on and off with paging off: a change with CR0.PG set faults on hardware.
    if ((s.cr0 & cr0_paging) != 0 && ((value ^ s.efer) & efer_lme) != 0) return false;
    // And only after CR4.PAE, which hardware would ask only when paging comes on: at #VMEXIT QEMU loads
    // the host's CR0 while EFER and CR4 are still the guest's, and with LME set and PAE clear it leaves
    // the hypervisor running on the guest's CR0, paging off (docs/virtualization.md, isolation).
    if ((value & efer_lme) != 0 && (s.efer & efer_lme) == 0 && (s.cr4 & cr4_pae) == 0) return false;
    s.efer = (value & efer_guest_bits) | (s.efer & efer_lma) | efer_svme;
    return true;
  }
  case msr_tsc: a.vmcb.control.tsc_offset = value - a.host_tsc; return true;
  case msr_tsc_deadline: write_tsc_deadline(a.msrs.apic, value); return true;
  case msr_pat:
    if (!valid_type_bytes(value, true)) return false;
    s.guest_pat = value;
    return true;
  case msr_apic_base: return value == apic_base(a); // in x2APIC mode for good: no MMIO page to fall back to
  case msr_mtrr_default_type:
    if ((value & ~mtrr_default_type_bits) != 0 || !valid_type(value & 0xff, false)) return false;
    a.msrs.mtrr_default_type = value;
    return true;
  default: return false;
  }
}

} // namespace hv::x86

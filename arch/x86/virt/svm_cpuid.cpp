// SPDX-License-Identifier: Apache-2.0
// What a guest's CPUID returns: the host's answers, less what the guest must not believe it has (SVM
// itself: nested virtualization is not offered; XSAVE and AVX, whose state is not switched), plus the family's
// hypervisor leaves at 0x40000000, by which a guest kernel recognises the hypervisor and its ABI.
#include "svm_state.hpp"

#include <hv/abi/hypercall.hpp>
#include <x86/instructions.hpp>

namespace hv::x86::svm {
namespace {

constexpr u32 leaf_features = 1;
constexpr u32 features_ecx_hypervisor = 1u << 31;   // "running under a hypervisor"
constexpr u32 features_ecx_x2apic = 1u << 21;       // the local APIC is x2APIC-only (x86/local_apic.hpp)
constexpr u32 features_ecx_tsc_deadline = 1u << 24; // its timer has the TSC-deadline mode
constexpr u32 leaf_topology = 0xb;                  // and 0x1f: EDX is the x2APIC ID
constexpr u32 leaf_topology_v2 = 0x1f;
// XSAVE, OSXSAVE and AVX: only the FXSAVE state (x87, SSE) is switched between guests (svm_fpu.cpp).
constexpr u32 features_ecx_xsave_avx = 1u << 26 | 1u << 27 | 1u << 28;
constexpr u32 leaf_xsave = 0xd;
constexpr u32 leaf_hypervisor_first = 0x4000'0000;
constexpr u32 leaf_hypervisor_version = 0x4000'0001;
constexpr u32 leaf_hypervisor_platform = 0x4000'0002;
// 0x40000003, the TSC mode and rates, reads all zero: the default mode, rates from the PV clock.
constexpr u32 leaf_hypervisor_hvm = 0x4000'0004;
constexpr u32 leaf_hypervisor_last = 0x4000'0004;
constexpr u32 hvm_vcpu_id_present = 1u << 3; // EBX holds the vCPU's ID
constexpr u32 hvm_domid_present = 1u << 4;   // ECX holds the domain's ID
constexpr u32 leaf_extended_features = 0x8000'0001;
constexpr u32 extended_ecx_svm = 1u << 2;
constexpr u32 leaf_svm_features = 0x8000'000a;

// "XenVMMXenVMM" in EBX, ECX, EDX: four little-endian bytes each.
constexpr u32 signature_ebx = 0x566e'6558; // "XenV"
constexpr u32 signature_ecx = 0x6558'4d4d; // "MMXe"
constexpr u32 signature_edx = 0x4d4d'566e; // "nVMM"
// The ABI version, as xen_version(XENVER_version) also answers it.
constexpr u32 abi_version = abi::version_major << 16 | abi::version_minor;

} // namespace

void guest_cpuid(const port::Virtualization::Vcpu& vcpu, u32 leaf, u32 subleaf, u64 (&result)[4]) {
  if (leaf >= leaf_hypervisor_first && leaf <= leaf_hypervisor_last) {
    result[0] = result[1] = result[2] = result[3] = 0;
    if (leaf == leaf_hypervisor_first) {
      result[0] = leaf_hypervisor_last;
      result[1] = signature_ebx;
      result[2] = signature_ecx;
      result[3] = signature_edx;
    } else if (leaf == leaf_hypervisor_version) {
      result[0] = abi_version;
    } else if (leaf == leaf_hypervisor_platform) {
      result[0] = 1;                  // hypercall pages
      result[1] = hypercall_page_msr; // written with the page's guest-physical address
    } else if (leaf == leaf_hypervisor_hvm && subleaf == 0) {
      result[0] = hvm_vcpu_id_present | hvm_domid_present;
      result[1] = vcpu.vcpu_id;
      result[2] = vcpu.domain_id;
    }
    return;
  }
  CpuidResult r = cpuid(leaf, subleaf);
  if (leaf == leaf_features) {
    r.ecx =
        (r.ecx | features_ecx_hypervisor | features_ecx_x2apic | features_ecx_tsc_deadline) & ~features_ecx_xsave_avx;
    r.ebx = (r.ebx & 0x00ff'ffff) | (vcpu.vcpu_id & 0xff) << 24; // the initial APIC ID
  }
  if (leaf == leaf_topology || leaf == leaf_topology_v2) r.edx = vcpu.vcpu_id;
  if (leaf == leaf_xsave) r = CpuidResult{0, 0, 0, 0};
  if (leaf == leaf_extended_features) r.ecx &= ~extended_ecx_svm;
  if (leaf == leaf_svm_features) r = CpuidResult{0, 0, 0, 0};
  result[0] = r.eax;
  result[1] = r.ebx;
  result[2] = r.ecx;
  result[3] = r.edx;
}

} // namespace hv::x86::svm

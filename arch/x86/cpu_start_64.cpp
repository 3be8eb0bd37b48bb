// SPDX-License-Identifier: Apache-2.0
// The long-mode half of starting a secondary CPU (x86/smp.hpp): the hypervisor's 4-level tables, and
// what SVM needs per CPU. EFER.SVME and VM_HSAVE_PA are each CPU's own (AMD APM vol. 2, "Enabling SVM",
// "VM_HSAVE_PA MSR"), so a CPU that is to run guests later needs both set on it, with a host save area
// no other CPU uses.
#include <port.hpp>
#include <x86/guest_msrs.hpp>
#include <x86/instructions.hpp>
#include <x86/smp.hpp>

namespace hv::x86 {
namespace {

constexpr u32 cpuid_extended_features = 0x8000'0001;
constexpr u32 cpuid_ecx_svm = 1u << 2;
constexpr u32 msr_vm_cr = 0xc001'0114;
constexpr u64 vm_cr_svm_disabled = 1u << 4;
constexpr u32 msr_vm_hsave_pa = 0xc001'0117;

bool has_svm() {
  if (cpuid(0x8000'0000).eax < cpuid_extended_features) return false;
  return (cpuid(cpuid_extended_features).ecx & cpuid_ecx_svm) != 0 && (rdmsr(msr_vm_cr) & vm_cr_svm_disabled) == 0;
}

} // namespace

void use_hypervisor_tables() { write_cr3(static_cast<uptr>(port::Paging::root())); }

bool take_virtualization_page(FrameSource& frames, PhysAddr& page) {
  page = has_svm() ? frames.alloc_zeroed_page() : 0;
  return page != 0 || !has_svm();
}

void prepare_virtualization(const SecondaryStart& start) {
  if (start.host_save_area == 0) return;
  wrmsr(msr_efer, rdmsr(msr_efer) | efer_svme);
  wrmsr(msr_vm_hsave_pa, start.host_save_area);
}

} // namespace hv::x86

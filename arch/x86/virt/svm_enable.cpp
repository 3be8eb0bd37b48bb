// SPDX-License-Identifier: Apache-2.0
// Virtualization::enable: find SVM and nested paging, turn SVM on, and set up what every guest shares.
#include "svm_state.hpp"

#include <x86/instructions.hpp>

namespace hv::x86::svm {
HostState host;
CpuState cpus[max_cpus];

void renew_tlb(port::Virtualization::Vcpu& vcpu) {
  const u32 self = port::Cpu::index();
  // An ASID of another CPU's tags nothing here: it is left in that CPU's pool, whose next generation
  // forgets it, and this CPU's is taken.
  if (vcpu.asid_cpu != self) {
    vcpu.asid = 0;
    vcpu.asid_cpu = self;
  }
  // Under an ASID it holds, its Space's old translations may be cached; a fresh ASID has none cached,
  // unless taking it started a new generation, whose flush this entry must do.
  bool flush = vcpu.asid != 0;
  if (vcpu.asid == 0)
    vcpu.asid = cpus[self].asids->take(vcpu, flush, [self](port::Virtualization::Vcpu& holder) {
      // Only if the ASID is still this CPU's: the vCPU may have moved on and hold another CPU's since.
      if (holder.asid_cpu != self) return;
      holder.asid = 0;
      holder.generation = ~u64{0};
    });
  vcpu.vmcb->control.guest_asid = vcpu.asid;
  vcpu.vmcb->control.tlb_control = flush ? tlb_flush_all : 0;
  vcpu.generation = vcpu.space->generation;
  vcpu.host_vmsave_pa = cpus[self].vmsave_area_pa;
}

void release_asid(const port::Virtualization::Vcpu& vcpu) {
  if (vcpu.asid_cpu < max_cpus && cpus[vcpu.asid_cpu].asids != nullptr)
    cpus[vcpu.asid_cpu].asids->release(vcpu.asid, vcpu);
}
} // namespace hv::x86::svm

namespace hv::port {
namespace {

constexpr u32 cpuid_extended_max = 0x8000'0000; // EAX: the last extended leaf
constexpr u32 cpuid_extended_features = 0x8000'0001;
constexpr u32 cpuid_extended_ecx_svm = 1u << 2;
constexpr u32 cpuid_svm_features = 0x8000'000a;
constexpr u32 cpuid_svm_edx_nested_paging = 1u << 0;
constexpr u32 msr_vm_cr = 0xc001'0114;
constexpr u64 vm_cr_svm_disabled = 1u << 4; // firmware locked SVM off
constexpr u32 msr_vm_hsave_pa = 0xc001'0117;

// The permission maps are read by the CPU as one physically contiguous block each.
u32 block_order(usize bytes) {
  u32 order = 0;
  while ((Paging::page_size << order) < bytes) ++order;
  return order;
}

// Lets the guest read and write `msr` without an exit. The permission map gives each MSR two bits (read,
// write) in three ranges of 8 Ki MSRs: 0-0x1fff, 0xc000_0000-..., 0xc001_0000-... (APM vol. 2, 15.11).
void pass_through(u8* msrpm, u32 msr) {
  const u32 range = msr < 0x2000 ? 0 : msr < 0xc000'2000 ? 1 : 2;
  const u32 index = msr & 0x1fff;
  msrpm[range * 0x800 + index * 2 / 8] &= static_cast<u8>(~(3u << (index * 2 % 8)));
}

} // namespace

bool Virtualization::enable(FrameSource& frames, const char*& reason) {
  if (x86::cpuid(cpuid_extended_max).eax < cpuid_svm_features ||
      (x86::cpuid(cpuid_extended_features).ecx & cpuid_extended_ecx_svm) == 0) {
    reason = "no SVM (CPUID 0x80000001 ECX bit 2)";
    return false;
  }
  if (x86::cpuid(cpuid_svm_features).ebx < 2) {
    reason = "fewer than 2 ASIDs (CPUID 0x8000000A EBX)";
    return false;
  }
  if ((x86::cpuid(cpuid_svm_features).edx & cpuid_svm_edx_nested_paging) == 0) {
    reason = "no nested paging (CPUID 0x8000000A EDX bit 0)";
    return false;
  }
  if ((x86::rdmsr(msr_vm_cr) & vm_cr_svm_disabled) != 0) {
    reason = "SVM disabled by firmware (VM_CR.SVMDIS)";
    return false;
  }
  // Every CPU's own: the host save areas and the ASID pool.
  x86::svm::CpuState& cpu = x86::svm::this_cpu();
  cpu.save_area_pa = frames.alloc_zeroed_page();
  cpu.vmsave_area_pa = frames.alloc_zeroed_page();
  const PhysAddr pool = frames.alloc_zeroed_block(block_order(sizeof(x86::svm::AsidPoolOfVcpus)));
  if (cpu.save_area_pa == 0 || cpu.vmsave_area_pa == 0 || pool == 0) {
    reason = "out of memory for the host save areas";
    return false;
  }
  cpu.asids = new (place, Paging::direct_map(pool)) x86::svm::AsidPoolOfVcpus;
  cpu.asids->init(x86::cpuid(cpuid_svm_features).ebx);

  // What every CPU's guests share, made by the first CPU to get here (the boot CPU, before any other).
  auto& host = x86::svm::host;
  host.several_cpus = host.iopm_pa != 0;
  if (host.iopm_pa == 0) {
    host.iopm_pa = frames.alloc_zeroed_block(block_order(x86::iopm_bytes));
    host.msrpm_pa = frames.alloc_zeroed_block(block_order(x86::msrpm_bytes));
    if (host.iopm_pa == 0 || host.msrpm_pa == 0) {
      reason = "out of memory for the permission maps";
      return false;
    }
    // Intercept every port and every MSR: a guest reaching the host's devices or MSRs directly would
    // reach the hypervisor's own. The exceptions are the MSRs the world switch swaps, which stay the
    // guest's. EFER is not one of them: a write the CPU would refuse (LME changed with paging on) must
    // fault in the guest, and QEMU does not check it for a guest.
    memset(Paging::direct_map(host.iopm_pa), 0xff, x86::iopm_bytes);
    auto* msrpm = static_cast<u8*>(Paging::direct_map(host.msrpm_pa));
    memset(msrpm, 0xff, x86::msrpm_bytes);
    for (const u32 msr : x86::passthrough_msrs) pass_through(msrpm, msr);
  }

  x86::svm::enable_fpu();
  x86::wrmsr(x86::msr_efer, x86::rdmsr(x86::msr_efer) | x86::efer_svme);
  x86::wrmsr(msr_vm_hsave_pa, cpu.save_area_pa);
  return true;
}

} // namespace hv::port

// SPDX-License-Identifier: Apache-2.0
// Virtualization::create_vcpu: a VMCB whose guest starts as the PVH boot protocol says (32-bit protected
// mode, paging off, flat 4 GiB code and data segments, EBX = start info, x87 and SSE at their reset
// state), under nested paging, with the intercepts the hypervisor relies on; and destroy_vcpu.
#include "svm_state.hpp"

namespace hv::port {
namespace {

// Segment attributes in the VMCB's packed form (descriptor bits 40-47, then 52-55).
constexpr u16 attr_code32 = 0xc9b;     // present, ring 0, execute/read, accessed; 4 KiB granular, 32-bit
constexpr u16 attr_data32 = 0xc93;     // present, ring 0, read/write, accessed; 4 KiB granular, 32-bit
constexpr u16 attr_task_state = 0x08b; // present, busy 32-bit TSS: VMRUN wants a usable TR
constexpr u16 attr_ldt = 0x082;        // present LDT, empty
constexpr u16 code_selector = 0x08;
constexpr u16 data_selector = 0x10;

constexpr u64 cr0_protection = 1u << 0;
constexpr u64 cr0_extension_type = 1u << 4;
constexpr u64 rflags_reserved_one = 1u << 1;
constexpr u64 dr6_initial = 0xffff'0ff0;
constexpr u64 dr7_initial = 0x400;
constexpr u64 pat_power_on = 0x0007'0406'0007'0406ull; // the PAT's reset value; nested paging reads G_PAT

constexpr x86::VmcbSegment flat(u16 selector, u16 attributes) { return {selector, attributes, 0xffff'ffff, 0}; }

} // namespace

bool Virtualization::create_vcpu(FrameSource& frames, Vcpu& vcpu, const Space& space, const GuestStart& start) {
  const PhysAddr pa = frames.alloc_zeroed_page();
  if (pa == 0) return false;
  x86::svm::forget_debug_registers(vcpu); // the storage may have been a vCPU whose DR0-DR3 are loaded
  x86::svm::release_asid(vcpu);
  vcpu = Vcpu{};
  x86::svm::reset_fpu(vcpu);
  vcpu.vmcb_pa = pa;
  vcpu.vmcb = static_cast<x86::Vmcb*>(Paging::direct_map(pa));
  vcpu.space = &space;
  vcpu.registers.rbx = start.argument;
  vcpu.vcpu_id = start.vcpu_id;
  vcpu.domain_id = start.domain_id;
  vcpu.msrs.apic.id = start.vcpu_id;

  x86::VmcbControl& c = vcpu.vmcb->control;
  c.intercept_misc1 = x86::intercept1_intr | x86::intercept1_cpuid | x86::intercept1_hlt | x86::intercept1_invlpga |
                      x86::intercept1_ioio | x86::intercept1_msr | x86::intercept1_shutdown | x86::intercept1_invd;
  // The SVM instructions work in a guest whose EFER.SVME is set, which VMRUN insists on; uncaught, VMLOAD
  // and VMSAVE would reach machine memory and CLGI would hold off the hypervisor's interrupts. XSETBV
  // would enable registers that are not switched between guests. All of them fault (svm_run.cpp).
  c.intercept_misc2 = x86::intercept2_vmrun | x86::intercept2_vmmcall | x86::intercept2_vmload |
                      x86::intercept2_vmsave | x86::intercept2_stgi | x86::intercept2_clgi | x86::intercept2_skinit |
                      x86::intercept2_xsetbv | x86::intercept2_wbinvd;
  // CR4 writes are judged (x86/guest_cr4.hpp); INVD and WBINVD would reach the machine's caches.
  c.intercept_cr = x86::intercept_cr_write_cr4;
  // DR0-DR3 are each vCPU's (svm_debug_regs.cpp): reads and writes of them, and writes of DR7, exit.
  c.intercept_dr = 0xf | (0xf | 1u << 7) << 16;
  c.iopm_base_pa = x86::svm::host.iopm_pa;
  c.msrpm_base_pa = x86::svm::host.msrpm_pa;
  c.guest_asid = 0; // until its first entry gives it one (renew_tlb)
  c.virtual_interrupt = x86::virtual_interrupt_masking;
  c.nested_control = x86::nested_paging_enable;
  c.nested_cr3 = space.tables.root();

  x86::VmcbState& s = vcpu.vmcb->state;
  s.cs = flat(code_selector, attr_code32);
  s.ds = s.es = s.ss = s.fs = s.gs = flat(data_selector, attr_data32);
  s.tr = x86::VmcbSegment{0, attr_task_state, 0x67, 0};
  s.ldtr = x86::VmcbSegment{0, attr_ldt, 0, 0};
  s.gdtr = x86::VmcbSegment{0, 0, 0, 0}; // PVH leaves the GDT to the guest; so does this
  s.idtr = x86::VmcbSegment{0, 0, 0, 0}; // no IDT yet: an early exception triple-faults into a shutdown exit
  s.cpl = 0;
  s.efer = x86::efer_svme; // VMRUN refuses a guest EFER without SVME; the guest never sees it set in CPUID
  s.cr0 = cr0_protection | cr0_extension_type;
  s.cr3 = 0;
  s.cr4 = 0;
  s.dr6 = dr6_initial;
  s.dr7 = dr7_initial;
  s.rflags = rflags_reserved_one; // interrupts off
  s.rip = start.entry;
  s.rsp = 0;
  s.rax = 0;
  s.guest_pat = pat_power_on;
  return true;
}

void Virtualization::destroy_vcpu(FrameSource& frames, Vcpu& vcpu) {
  if (vcpu.vmcb_pa != 0) frames.free_page(vcpu.vmcb_pa);
  x86::svm::forget_debug_registers(vcpu);
  x86::svm::release_asid(vcpu);
  vcpu = Vcpu{};
}

} // namespace hv::port

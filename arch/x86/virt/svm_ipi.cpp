// SPDX-License-Identifier: Apache-2.0
// An interprocessor message from another vCPU's local APIC, delivered by common code (GuestExitKind::ipi):
// a fixed interrupt requested in this vCPU's APIC, or a startup IPI, after which the vCPU runs in real
// mode at the start of the vector's page with the state INIT leaves (AMD64 APM vol. 2, 14.1.3 "Processor
// Initialization State"; Intel SDM vol. 3A, 9.1.1 and 8.4.4.1 for the startup IPI's CS:IP). The family's
// HVM and PVH guests start their secondary CPUs so, with INIT, then startup IPIs to a real-mode trampoline.
#include "svm_state.hpp"

namespace hv::port {
namespace {

constexpr u16 attr_real_code = 0x09b; // present, execute/read, accessed; 16-bit, byte granular
constexpr u16 attr_real_data = 0x093; // present, read/write, accessed
constexpr u16 attr_ldt = 0x082;
constexpr u16 attr_task_state = 0x08b; // busy 16/32-bit TSS: VMRUN wants a usable TR
constexpr u32 real_mode_limit = 0xffff;
// CR0 after INIT: caching disabled (CD, NW) and ET; protection and paging off.
constexpr u64 cr0_after_init = 1ull << 30 | 1ull << 29 | 1u << 4;
constexpr u64 rflags_reserved_one = 1u << 1;
constexpr u64 dr6_initial = 0xffff'0ff0;
constexpr u64 dr7_initial = 0x400;
constexpr u64 pat_power_on = 0x0007'0406'0007'0406ull;

} // namespace

void Virtualization::raise_interrupt(Vcpu& vcpu, u32 vector) { x86::request(vcpu.msrs.apic, vector); }

bool Virtualization::start_from_message(Vcpu& vcpu, u32 value) {
  if (vcpu.vmcb == nullptr) return false; // create_vcpu never made it (a domain being built by domctl)
  x86::Vmcb& vmcb = *vcpu.vmcb;
  x86::VmcbState& s = vmcb.state;
  const auto segment = static_cast<u16>(value << 8);
  s.cs = x86::VmcbSegment{segment, attr_real_code, real_mode_limit, u64{segment} << 4};
  s.ds = s.es = s.ss = s.fs = s.gs = x86::VmcbSegment{0, attr_real_data, real_mode_limit, 0};
  s.ldtr = x86::VmcbSegment{0, attr_ldt, real_mode_limit, 0};
  s.tr = x86::VmcbSegment{0, attr_task_state, real_mode_limit, 0};
  s.gdtr = s.idtr = x86::VmcbSegment{0, 0, real_mode_limit, 0};
  s.cpl = 0;
  s.efer = x86::efer_svme; // VMRUN insists; the guest never sees it
  s.cr0 = cr0_after_init;
  s.cr2 = 0;
  s.cr3 = 0;
  s.cr4 = 0;
  s.dr6 = dr6_initial;
  s.dr7 = dr7_initial;
  s.rflags = rflags_reserved_one;
  s.rip = 0;
  s.rsp = 0;
  s.rax = 0;
  s.guest_pat = pat_power_on;
  vcpu.registers = x86::GuestRegisters{};
  // Nothing of its last life is delivered into the new one: no event, shadow or virtual interrupt.
  vmcb.control.event_injection = 0;
  vmcb.control.interrupt_shadow = 0;
  vmcb.control.virtual_interrupt = x86::virtual_interrupt_masking;
  vcpu.line_from_apic = false;
  vcpu.string_in_to = ~u64{0};
  x86::reset_after_init(vcpu.msrs.apic);
  return true;
}

} // namespace hv::port

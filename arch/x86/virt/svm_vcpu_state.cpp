// SPDX-License-Identifier: Apache-2.0
// An SVM vCPU's state in the save stream (contract/virtualization.hpp: save_vcpu_state, load_vcpu_state;
// x86::SvmVcpuImage). The guest's TSC is carried as its value at the save and goes on from it at the
// restore, so that the local APIC's timer, whose expiry is on the guest's TSC, stays where it was in the
// guest's time; the PV clock's system time is what jumps.
//
// The stream's bytes need not be aligned as the image's members are: each member is copied by offset.
#include "svm_state.hpp"

#include <stddef.h>

namespace hv::port {
namespace {

using Image = x86::SvmVcpuImage;

#define HV_PUT(out, member, from) __builtin_memcpy((out) + offsetof(Image, member), &(from), sizeof(Image::member))
#define HV_GET(in, member, to) __builtin_memcpy(&(to), (in) + offsetof(Image, member), sizeof(Image::member))

} // namespace

void Virtualization::save_vcpu_state(const Vcpu& vcpu, u64 timer_now, u8* out) {
  __builtin_memset(out, 0, sizeof(Image)); // the padding too: the stream holds nothing of the hypervisor
  const x86::VmcbControl& c = vcpu.vmcb->control;
  const u64 guest_tsc = guest_counter(vcpu, timer_now);
  const u64 line_from_apic = vcpu.line_from_apic ? 1 : 0;
  HV_PUT(out, state, vcpu.vmcb->state);
  HV_PUT(out, guest_tsc, guest_tsc);
  HV_PUT(out, virtual_interrupt, c.virtual_interrupt);
  HV_PUT(out, interrupt_shadow, c.interrupt_shadow);
  HV_PUT(out, event_injection, c.event_injection);
  HV_PUT(out, registers, vcpu.registers);
  HV_PUT(out, fpu, vcpu.fpu);
  HV_PUT(out, msrs, vcpu.msrs);
  HV_PUT(out, debug_address, vcpu.debug_address);
  HV_PUT(out, string_in_to, vcpu.string_in_to);
  HV_PUT(out, line_from_apic, line_from_apic);
}

bool Virtualization::load_vcpu_state(Vcpu& vcpu, u64 timer_now, const u8* in) {
  u64 efer = 0, line_from_apic = 0, guest_tsc = 0;
  __builtin_memcpy(&efer, in + offsetof(Image, state) + offsetof(x86::VmcbState, efer), sizeof efer);
  HV_GET(in, line_from_apic, line_from_apic);
  if ((efer & x86::efer_svme) == 0 || line_from_apic > 1) return false;
  x86::VmcbControl& c = vcpu.vmcb->control;
  HV_GET(in, state, vcpu.vmcb->state);
  HV_GET(in, guest_tsc, guest_tsc);
  c.tsc_offset = guest_tsc - timer_now;
  HV_GET(in, virtual_interrupt, c.virtual_interrupt);
  HV_GET(in, interrupt_shadow, c.interrupt_shadow);
  HV_GET(in, event_injection, c.event_injection);
  c.clean_bits = 0; // everything in the VMCB is new to the CPU
  HV_GET(in, registers, vcpu.registers);
  HV_GET(in, fpu, vcpu.fpu);
  const u32 apic_id = vcpu.msrs.apic.id; // the vCPU's number, as create_vcpu gave it
  HV_GET(in, msrs, vcpu.msrs);
  vcpu.msrs.apic.id = apic_id;
  HV_GET(in, debug_address, vcpu.debug_address);
  HV_GET(in, string_in_to, vcpu.string_in_to);
  vcpu.line_from_apic = line_from_apic != 0;
  return true;
}

} // namespace hv::port

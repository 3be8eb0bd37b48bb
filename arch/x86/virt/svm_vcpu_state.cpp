// SPDX-License-Identifier: Apache-2.0
// An SVM vCPU's state in the save stream (contract/virtualization.hpp: save_vcpu_state, load_vcpu_state;
// x86::SvmVcpuImage). The guest's TSC is carried as its value at the save and goes on from it at the
// restore, so that the local APIC's timer, whose expiry is on the guest's TSC, stays where it was in the
// guest's time; the PV clock's system time is what jumps.
//
// The stream's bytes need not be aligned as the image's members are: each member is copied by offset. A
// stream may have been written by anyone: what the hypervisor's own safety rests on (EFER.SVME, the
// interrupt masking mode) is set, not taken; a guest state VMRUN finds illegal exits at the first entry
// (exit_invalid), which crashes that domain alone.
#include "svm_state.hpp"

#include <x86/guest_cr4.hpp>
#include <x86/instructions.hpp>

#include <stddef.h>

namespace hv::port {
namespace {

using Image = x86::SvmVcpuImage;

#define HV_PUT(out, member, from) __builtin_memcpy((out) + offsetof(Image, member), &(from), sizeof(Image::member))
#define HV_GET(in, member, to) __builtin_memcpy(&(to), (in) + offsetof(Image, member), sizeof(Image::member))

/// Of the virtual interrupt control, what belongs to the guest: V_TPR, V_IRQ, its priority, V_IGN_TPR and
/// its vector. V_INTR_MASKING is always set (else a guest's RFLAGS.IF would mask the machine's interrupts
/// from the hypervisor) and nothing else (AVIC, virtual GIF) is taken from a stream.
constexpr u64 guest_interrupt_bits = 0xffull | x86::virtual_interrupt_request |
                                     0xfull << x86::virtual_interrupt_priority_shift |
                                     x86::virtual_interrupt_ignore_tpr | 0xffull << x86::virtual_interrupt_vector_shift;
constexpr u64 interrupt_shadow_bit = 1; // the guest's instruction shadow; the other bits are the CPU's

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
  u64 cr4 = 0; // only the bits a guest's MOV to CR4 may set here (x86/guest_cr4.hpp)
  __builtin_memcpy(&cr4, in + offsetof(Image, state) + offsetof(x86::VmcbState, cr4), sizeof cr4);
  const x86::CpuidResult features = x86::cpuid(1), extended = x86::cpuid(7, 0);
  if ((cr4 & ~x86::guest_cr4_bits(features.ecx, extended.ebx, extended.ecx)) != 0) return false;
  x86::VmcbControl& c = vcpu.vmcb->control;
  HV_GET(in, state, vcpu.vmcb->state);
  HV_GET(in, guest_tsc, guest_tsc);
  c.tsc_offset = guest_tsc - timer_now;
  HV_GET(in, virtual_interrupt, c.virtual_interrupt);
  c.virtual_interrupt = (c.virtual_interrupt & guest_interrupt_bits) | x86::virtual_interrupt_masking;
  HV_GET(in, interrupt_shadow, c.interrupt_shadow);
  c.interrupt_shadow &= interrupt_shadow_bit;
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

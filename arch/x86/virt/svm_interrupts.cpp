// SPDX-License-Identifier: Apache-2.0
// The one virtual interrupt line (V_IRQ) of a vCPU, shared by the family's event upcall and its local
// APIC's interrupts (x86/local_apic.hpp).
//
// The line holds one vector at a time; the CPU delivers it through the guest's IDT once the guest can
// take an interrupt, and clears V_IRQ when it does. The upcall needs no acknowledgement (common code
// raises it again before every entry while an event waits), so the line need only remember whether it
// holds an APIC vector: when that one is gone after an exit, the guest took it and it goes in service.
// Between the two, the higher priority class wins the line; the other waits for a later entry.
#include "svm_state.hpp"

#include <x86/instructions.hpp>

namespace hv::x86::svm {
namespace {

constexpr u64 vector_mask = 0xffull << virtual_interrupt_vector_shift;
constexpr u64 priority_mask = 0xfull << virtual_interrupt_priority_shift;

u32 line_vector(u64 line) { return static_cast<u32>(line >> virtual_interrupt_vector_shift & 0xff); }

// Fires the APIC's timer if it expired by the guest's TSC now.
void expire_now(port::Virtualization::Vcpu& vcpu) {
  LocalApic& apic = vcpu.msrs.apic;
  if (apic.next_event != LocalApic::never) expire_timer(apic, rdtsc() + vcpu.vmcb->control.tsc_offset);
}

} // namespace

// TPR ignored: the APIC's own priorities were applied when its vector was chosen, and the upcall has
// none.
void load_line(Vmcb& vmcb, u32 vector) {
  u64& line = vmcb.control.virtual_interrupt;
  line = (line & ~vector_mask & ~priority_mask) | (u64{vector & 0xff} << virtual_interrupt_vector_shift) |
         priority_mask | virtual_interrupt_ignore_tpr | virtual_interrupt_request;
}

void offer_apic_interrupt(port::Virtualization::Vcpu& vcpu) {
  LocalApic& apic = vcpu.msrs.apic;
  u64& line = vcpu.vmcb->control.virtual_interrupt;
  expire_now(vcpu);
  const int vector = deliverable_vector(apic);
  if (vector < 0) {
    if (vcpu.line_from_apic) { // withdrawn: the guest raised its priority or disabled its APIC since
      line &= ~virtual_interrupt_request;
      vcpu.line_from_apic = false;
    }
    return;
  }
  if ((line & virtual_interrupt_request) != 0) {
    const u32 held = line_vector(line);
    if (vcpu.line_from_apic ? held == static_cast<u32>(vector) : (held & 0xf0) >= (static_cast<u32>(vector) & 0xf0))
      return;
  }
  load_line(*vcpu.vmcb, static_cast<u32>(vector));
  vcpu.line_from_apic = true;
}

void note_apic_interrupt_taken(port::Virtualization::Vcpu& vcpu) {
  const u64 line = vcpu.vmcb->control.virtual_interrupt;
  if ((line & virtual_interrupt_request) != 0) return; // still waiting for the guest
  accept(vcpu.msrs.apic, line_vector(line));
  vcpu.line_from_apic = false;
}

bool apic_interrupt_waiting(port::Virtualization::Vcpu& vcpu) {
  LocalApic& apic = vcpu.msrs.apic;
  if (vcpu.line_from_apic) return true;
  expire_now(vcpu);
  return deliverable_vector(apic) >= 0;
}

} // namespace hv::x86::svm

namespace hv::port {

void Virtualization::raise_upcall(Vcpu& vcpu, u32 vector) {
  if (vcpu.line_from_apic) [[unlikely]] {
    if ((vector & 0xf0) <= (x86::svm::line_vector(vcpu.vmcb->control.virtual_interrupt) & 0xf0)) return;
    vcpu.line_from_apic = false; // the APIC's vector stays requested and is offered again later
  }
  x86::svm::load_line(*vcpu.vmcb, vector);
}

} // namespace hv::port

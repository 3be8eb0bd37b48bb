// SPDX-License-Identifier: Apache-2.0
// The IA-64 trap dispatcher (called by trap_entry.S's common path) and Traps.
#include <ia64/internal.hpp>

namespace hv::ia64 {

volatile u64 interrupts_taken = 0;

namespace {

void write_tpr(u64 v) { asm volatile("mov cr.tpr = %0 ;; srlz.d ;;" ::"r"(v) : "memory"); }
/// Takes the highest-priority pending external interrupt: it becomes in service until end_of_interrupt.
u64 acknowledge_interrupt() {
  u64 v;
  asm volatile("mov %0 = cr.ivr ;; srlz.d ;;" : "=r"(v)::"memory");
  return v;
}
void end_of_interrupt() { asm volatile("mov cr.eoi = r0 ;; srlz.d ;;" ::: "memory"); }

void report(TrapKind kind, const TrapFrame& frame, u64 address) {
  handle_trap(TrapInfo{kind, frame.vector, slot_address(frame.iip, frame.ipsr), address});
}

void external_interrupt(TrapFrame& frame) {
  const u64 vector = acknowledge_interrupt();
  if (vector == spurious_vector) return; // nothing in service: no end of interrupt owed
  interrupts_taken = interrupts_taken + 1;
  if (vector == timer_vector) {
    rearm_timer();
    end_of_interrupt();
    report(TrapKind::timer, frame, 0);
    return;
  }
  end_of_interrupt();
  report(TrapKind::external, frame, 0);
}

} // namespace
} // namespace hv::ia64

/// Called by hv_ia64_ivt_common with the saved state, collection on, interrupts masked. Whatever it
/// leaves in the frame is what rfi resumes.
extern "C" void hv_ia64_trap(hv::ia64::TrapFrame* frame) {
  using namespace hv;
  using namespace hv::ia64;
  const u64 v = frame->vector;
  if (ivt_is_tlb_miss(v)) {
    const bool instruction = v == vector::instruction_tlb || v == vector::alternate_instruction_tlb ||
                             (v == vector::vhpt_translation && (frame->isr & isr_execute) != 0);
    if (refill_tlb(frame->ifa, instruction)) return;
    report(TrapKind::page_fault, *frame, frame->ifa);
    return;
  }
  if (v == vector::external_interrupt) {
    external_interrupt(*frame);
    return;
  }
  if (v == vector::break_instruction && frame->iim != breakpoint_immediate) {
    // Not the port's breakpoint: another break, such as the one the compiler's inline division executes
    // on a zero divisor (immediate 1). Nothing to resume past.
    report(TrapKind::other, *frame, 0);
    return;
  }
  const TrapKind kind = ivt_kind(v);
  report(kind, *frame, kind == TrapKind::page_fault ? frame->ifa : 0);
  if (v == vector::break_instruction) {
    // A fault: iip and ri name the break itself. Resume at the next slot.
    const Resume next = next_slot(frame->iip, frame->ipsr);
    frame->iip = next.iip;
    frame->ipsr = next.ipsr;
  }
}

namespace hv::port {
using namespace hv::ia64;

void Traps::init() {
  hv_ia64_install_ivt(hv_ia64_ivt); // already there since entry; this is the contract's moment
  write_itv(encode_itv(timer_vector, true));
  write_tpr(0); // every priority class unmasked; psr.i alone decides
}

void Traps::raise_breakpoint() { asm volatile("break %0" ::"i"(breakpoint_immediate) : "memory"); }

} // namespace hv::port

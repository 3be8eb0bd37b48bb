// The IA-64 trap dispatcher (called by ivt.S's common path), the CPU basics and the ITC/ITM timer.
#include "ia64_port.hpp"

#include <hv/firmware_tree.hpp>

namespace hv::ia64 {

volatile u64 interrupts_taken = 0;

namespace {

u64 timer_hz = 0;
u64 timer_period = 0; // ITC ticks between interrupts; 0 when stopped

void write_itm(u64 v) { asm volatile("mov cr.itm = %0 ;; srlz.d ;;" ::"r"(v) : "memory"); }
void write_itv(u64 v) { asm volatile("mov cr.itv = %0 ;; srlz.d ;;" ::"r"(v) : "memory"); }
void write_tpr(u64 v) { asm volatile("mov cr.tpr = %0 ;; srlz.d ;;" ::"r"(v) : "memory"); }
u64 read_itm() {
  u64 v;
  asm volatile("mov %0 = cr.itm" : "=r"(v)::"memory");
  return v;
}
/// Takes the highest-priority pending external interrupt: it becomes in service until end_of_interrupt.
u64 acknowledge_interrupt() {
  u64 v;
  asm volatile("mov %0 = cr.ivr ;; srlz.d ;;" : "=r"(v)::"memory");
  return v;
}
void end_of_interrupt() { asm volatile("mov cr.eoi = r0 ;; srlz.d ;;" ::: "memory"); }

/// The next match for cr.itm, one period after the last, or after now when the last is long past.
u64 next_deadline(u64 last, u64 now, u64 period) {
  const u64 next = last + period;
  return static_cast<i64>(next - now) > 0 ? next : now + period;
}

void report(TrapKind kind, const TrapFrame& frame, u64 address) {
  handle_trap(TrapInfo{kind, frame.vector, slot_address(frame.iip, frame.ipsr), address});
}

void external_interrupt(TrapFrame& frame) {
  const u64 vector = acknowledge_interrupt();
  if (vector == spurious_vector) return; // nothing in service: no end of interrupt owed
  interrupts_taken = interrupts_taken + 1;
  if (vector == timer_vector) {
    if (timer_period != 0) write_itm(next_deadline(read_itm(), read_itc(), timer_period));
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

void Cpu::interrupts_disable() { asm volatile("rsm %0 ;; srlz.d ;;" ::"i"(psr::i) : "memory"); }
void Cpu::interrupts_enable() { asm volatile("ssm %0 ;; srlz.d ;;" ::"i"(psr::i) : "memory"); }

void Cpu::wait_for_interrupt() {
  // IA-64 has no wait instruction outside PAL (PAL_HALT_LIGHT); the port makes no PAL calls, so it
  // spins. The count is read before interrupts are unmasked: an interrupt taken at any point after that
  // ends the wait, so none is lost.
  const u64 seen = interrupts_taken;
  interrupts_enable();
  while (interrupts_taken == seen) asm volatile("hint @pause" ::: "memory");
}

u64 Cpu::cycles() { return read_itc(); }

void Cpu::halt_forever() {
  interrupts_disable();
  for (;;) asm volatile("hint @pause" ::: "memory");
}

void Traps::init() {
  hv_ia64_install_ivt(hv_ia64_ivt); // already there since entry; this is the contract's moment
  write_itv(encode_itv(timer_vector, true));
  write_tpr(0); // every priority class unmasked; psr.i alone decides
}

void Traps::raise_breakpoint() { asm volatile("break %0" ::"i"(breakpoint_immediate) : "memory"); }

bool Timer::init() {
  // ar.itc counts at the rate the board's CPU node gives: calibrating it would need SAL_FREQ_BASE and
  // PAL_FREQ_RATIOS, and the port calls neither.
  timer_hz = fdt::timebase_frequency(hv_ia64_board_dtb);
  timer_period = 0;
  write_itv(encode_itv(timer_vector, true));
  return timer_hz != 0;
}

u64 Timer::frequency_hz() { return timer_hz; }
u64 Timer::now() { return read_itc(); }

void Timer::start_periodic(u64 hz) {
  timer_period = hz != 0 && hz <= timer_hz ? timer_hz / hz : 1;
  write_itm(read_itc() + timer_period);
  write_itv(encode_itv(timer_vector, false));
}

void Timer::stop() {
  write_itv(encode_itv(timer_vector, true));
  timer_period = 0;
}

} // namespace hv::port

// SPDX-License-Identifier: Apache-2.0
// The trap backend: trap_entry.S saves the interrupted state and calls ppc64_trap, which tells common
// code what happened (hv::handle_trap) and resumes.
#include <hv/panic.hpp>

#include <port.hpp>

#include <ppc64/byte_order.hpp>
#include <ppc64/interrupt_vectors.hpp>
#include <ppc64/opal.hpp>
#include <ppc64/registers.hpp>
#include <ppc64/smp.hpp>
#include <ppc64/trap_backend.hpp>
#include <ppc64/trap_frame.hpp>

extern "C" void ppc64_trap(hv::ppc64::TrapFrame* frame);

namespace hv::ppc64 {
namespace {

// Per thread: wait_for_interrupt waits for one of its own.
volatile u64 handled_interrupts[max_cpus] = {};

constexpr u32 trap_instruction_bytes = 4;

/// What the interrupt was, for common code.
TrapInfo describe(const TrapFrame& frame) {
  const u64 cause = frame.vector_offset();
  switch (cause) {
  case vector::program:
    if ((frame.msr & srr1::program_trap) != 0) return {TrapKind::breakpoint, cause, frame.pc, 0};
    if ((frame.msr & (srr1::program_illegal | srr1::program_privileged)) != 0)
      return {TrapKind::illegal_instruction, cause, frame.pc, 0};
    return {TrapKind::other, cause, frame.pc, 0};
  case vector::hypervisor_decrementer: return {TrapKind::timer, cause, frame.pc, 0};
  case vector::data_storage: return {TrapKind::page_fault, cause, frame.pc, frame.dar};
  case vector::hypervisor_data_storage: return {TrapKind::page_fault, cause, frame.pc, read_spr<spr::hdar>()};
  case vector::instruction_storage:
  case vector::hypervisor_instruction_storage: return {TrapKind::page_fault, cause, frame.pc, frame.pc};
  case vector::hypervisor_emulation_assistance: return {TrapKind::illegal_instruction, cause, frame.pc, 0};
  case vector::external:
  case vector::hypervisor_virtualization: return {TrapKind::external, cause, frame.pc, 0};
  case vector::hypervisor_doorbell: return {TrapKind::ipi, cause, frame.pc, 0};
  default: return {TrapKind::other, cause, frame.pc, 0};
  }
}

} // namespace

u64 interrupts_handled() { return handled_interrupts[cpu_index()]; }

void take_timer_interrupt() {
  acknowledge_timer_interrupt();
  handle_trap(TrapInfo{TrapKind::timer, vector::hypervisor_decrementer, 0, 0});
  volatile u64& handled = handled_interrupts[cpu_index()];
  handled = handled + 1;
}

} // namespace hv::ppc64

void ppc64_trap(hv::ppc64::TrapFrame* frame) {
  using namespace hv;
  // A guest's exit parks DEC 2^31 ticks away (4.2 s at 512 MHz), and the hypervisor may idle longer
  // than that while a guest sleeps on its timer: the decrementer interrupt that follows means nothing
  // here (the hypervisor ticks with HDEC), so DEC is parked again. It once panicked the machine.
  if (frame->vector_offset() == ppc64::vector::decrementer) {
    const bool large = (ppc64::read_spr<ppc64::spr::lpcr>() & ppc64::lpcr::ld) != 0;
    ppc64::write_spr<ppc64::spr::dec>(large ? (u64{1} << 55) - 1 : 0x7fff'ffff);
    return;
  }
  const TrapInfo info = ppc64::describe(*frame);
  if (info.kind == TrapKind::timer) {
    ppc64::take_timer_interrupt(); // as a guest's HDEC exit does
    return;
  }
  handle_trap(info); // returns only for what the hypervisor survives
  if (info.kind == TrapKind::breakpoint) frame->pc += ppc64::trap_instruction_bytes;
  if (info.kind == TrapKind::external || info.kind == TrapKind::ipi) {
    volatile u64& handled = ppc64::handled_interrupts[ppc64::cpu_index()];
    handled = handled + 1;
  }
}

namespace hv::port {
namespace {

/// Asks firmware to deliver interrupts in the image's byte order (HID0[HILE] on every CPU).
void interrupts_in_our_byte_order() {
  constexpr u64 hile = ppc64::little_endian_image ? ppc64::opal::reinit_hile_le : ppc64::opal::reinit_hile_be;
  const i64 rc = ppc64::opal::call(ppc64::opal::token::reinit_cpus, hile);
  if (rc != ppc64::opal::success) panic("traps: OPAL_REINIT_CPUS refused the interrupt byte order: rc {}", rc);
}

/// The decrementer interrupts the hypervisor whenever it turns negative with MSR[EE] on, and nothing
/// can mask it short of EE. The hypervisor ticks with HDEC, so DEC is made 56 bits wide (LPCR[LD]) and
/// set to its largest positive value: years away at 512 MHz.
void park_decrementer() {
  ppc64::update_lpcr(0, ppc64::lpcr::ld);
  constexpr u64 largest_56_bit = (1ull << 55) - 1;
  ppc64::write_spr<ppc64::spr::dec>(largest_56_bit);
  if (static_cast<i64>(ppc64::read_spr<ppc64::spr::dec>()) < 0)
    ppc64::write_spr<ppc64::spr::dec>(0x7fff'ffff); // no large decrementer: the 32-bit maximum
}

} // namespace

// Makes interrupts arrive in the hypervisor's byte order (HILE, through OPAL), parks the decrementer
// and turns on LPCR[AIL]=3, which sends them to the vector page Paging::init mapped.
void Traps::init() {
  interrupts_in_our_byte_order();
  ppc64::prepare_traps();
}

} // namespace hv::port

namespace hv::ppc64 {

void prepare_traps() {
  port::park_decrementer();
  update_lpcr(lpcr::ail_mask, lpcr::ail_c000);
}

} // namespace hv::ppc64

namespace hv::port {

// `trap` (tw 31,0,0): a program interrupt whose SRR1 says "trap".
void Traps::raise_breakpoint() { asm volatile("trap" : : : "memory"); }

} // namespace hv::port

// SPDX-License-Identifier: Apache-2.0
// Virtualization::run, complete and raise_upcall: one trip into the partition, its exit decoded into a
// GuestExit, and what common code decided written back.
//
// Exits arrive through the real-mode vectors (lpar_vectors.S, lpar_enter.S) with the vector number and
// the exit's registers in the block. Three are settled here and never reach common code: the external
// interrupt LPCR[MER] raises once a guest with a pending upcall enables MSR[EE] (the upcall is then
// delivered); `sc 1` from the guest's problem state (refused with a privileged-instruction program
// interrupt, as a hypervisor call is only for the guest's kernel); and an instruction the CPU referred
// to the hypervisor (HEAI) that the hypervisor does not emulate, which the guest gets back as the
// illegal-instruction program interrupt it would have taken on a machine without a hypervisor.
#include "lpar_state.hpp"

#include <hv/abi/hypercall.hpp>
#include <hv/string.hpp>

#include <ppc64/byte_order.hpp>
#include <ppc64/interrupt_vectors.hpp>
#include <ppc64/registers.hpp>
#include <ppc64/smp.hpp>
#include <ppc64/trap_backend.hpp>
#include <ppc64/trap_frame.h>

namespace hv::ppc64::lpar {

bool exit_instruction(const port::Virtualization::Vcpu& vcpu, u32& instruction) {
  const u64 heir = read_spr<spr::heir>(); // still the exit's: nothing since took an emulation interrupt
  if (heir != 0) {
    instruction = static_cast<u32>(heir);
    return true;
  }
  if ((vcpu.state.msr & msr::ir) != 0) return false; // the word is behind the guest's own translation
  PhysAddr machine = 0;
  if (!port::Virtualization::translate_guest(*vcpu.space, vcpu.state.pc & real_address_mask, machine)) return false;
  u32 word = 0;
  memcpy(&word, port::Paging::direct_map(machine), sizeof(word));
  const bool guest_little_endian = (vcpu.state.msr & msr::le) != 0;
  instruction = guest_little_endian == little_endian_image ? word : __builtin_bswap32(word);
  return true;
}

} // namespace hv::ppc64::lpar

namespace hv::port {
namespace {

namespace vector = ppc64::vector;

constexpr u64 instruction_bytes = 4;
constexpr u64 page_offset_mask = Paging::page_size - 1;
// HSRR1 after a hypervisor instruction storage interrupt: no translation, guarded/no-execute, protection.
constexpr u64 instruction_fault_causes = ppc64::ibm_bit(33) | ppc64::ibm_bit(35) | ppc64::ibm_bit(36);
constexpr u64 data_fault_causes = ppc64::dsisr::no_translation | ppc64::dsisr::protection;
// stop (XL-form, opcode 19, extended opcode 370). Neither POWER9 nor QEMU refers a guest's stop to the
// hypervisor; one that does is a guest waiting, reported as a halt (docs/guest-abi.md, "Waiting").
constexpr u32 xl_form_mask = 0xfc00'07fe;
constexpr u32 stop_instruction = 0x4c00'02e4;

/// Delivers a pending upcall at entry when the guest has MSR[EE]=1; true when it did.
bool deliver_upcall(Virtualization::Vcpu& vcpu) {
  if (!vcpu.upcall_pending || (vcpu.state.msr & ppc64::msr::ee) == 0) return false;
  ppc64::lpar::deliver_to_guest(vcpu.state, vector::external, vcpu.state.pc, 0);
  vcpu.upcall_pending = false;
  return true;
}

u64 exit_vector(const ppc64::GuestState& s) { return s.exit_vector & ~static_cast<u64>(TRAP_VECTOR_HYPERVISOR); }

/// Whether `pc` lies in the guest's own program-interrupt vector, where an illegal instruction would be
/// reflected onto itself for ever.
bool in_program_vector(u64 pc) {
  const u64 real = pc & ppc64::lpar::real_address_mask;
  return real >= vector::program && real < vector::program + vector::program_slot_bytes;
}

/// HEAI: true when the guest can go on (an illegal instruction reflected into it). A `stop` the CPU
/// referred to us, an instruction that cannot be read, and an illegal instruction inside the guest's
/// program-interrupt handler are left for decode(). Out of line, so that run()'s path for the other exits
/// does not carry its constants and registers.
[[gnu::noinline]] bool settle_emulation_assistance(Virtualization::Vcpu& vcpu) {
  u32 instruction = 0;
  if (!ppc64::lpar::exit_instruction(vcpu, instruction)) return false;
  if ((instruction & xl_form_mask) == stop_instruction || in_program_vector(vcpu.state.pc)) return false;
  ppc64::lpar::deliver_to_guest(vcpu.state, vector::program, vcpu.state.pc, ppc64::srr1::program_illegal);
  return true;
}

/// The exits that need no decision of common code; true when the guest can simply go on.
bool settle(Virtualization::Vcpu& vcpu) {
  ppc64::GuestState& s = vcpu.state;
  switch (exit_vector(s)) {
  case vector::external: return deliver_upcall(vcpu); // MER's, once EE is on; a real one is the hypervisor's
  case vector::system_call: // from problem state: run() took the guest kernel's before settling
    ppc64::lpar::deliver_to_guest(s, vector::program, s.pc - instruction_bytes, ppc64::srr1::program_privileged);
    return true;
  case vector::hypervisor_emulation_assistance: return settle_emulation_assistance(vcpu);
  default: return false;
  }
}

[[gnu::noinline]] void decode_emulation_assistance(Virtualization::Vcpu& vcpu, GuestExit& exit) {
  u32 instruction = 0;
  if (!ppc64::lpar::exit_instruction(vcpu, instruction)) return; // unhandled, with the vector alone
  if ((instruction & xl_form_mask) == stop_instruction) {
    exit.kind = GuestExitKind::halt;
    exit.halt.interrupts_off = false; // it asked to wait for an event (docs/guest-abi.md, "Waiting")
    vcpu.state.pc += instruction_bytes;
    return;
  }
  exit.code = vector::hypervisor_emulation_assistance << 32 | instruction;
  // settle() reflects every other illegal instruction: this one is in the program-interrupt handler.
  exit.kind = GuestExitKind::guest_stopped;
  exit.stop_reason = "an illegal instruction in its program-interrupt handler";
}

void decode_hypercall(const ppc64::GuestState& s, GuestExit& exit) {
  exit.kind = GuestExitKind::hypercall;
  exit.code = vector::system_call;
  exit.pc = s.pc - instruction_bytes; // SRR0 is already past the `sc 1`
  exit.hypercall.number = s.gpr[3];
  for (usize i = 0; i < 5; ++i) exit.hypercall.args[i] = s.gpr[4 + i];
}

// Only the fields of the kind reported are written (the contract): clearing the whole record would cost
// every exit some twenty stores.
void decode(Virtualization::Vcpu& vcpu, GuestExit& exit) {
  ppc64::GuestState& s = vcpu.state;
  exit.kind = GuestExitKind::unhandled;
  exit.code = exit_vector(s);
  exit.pc = s.pc;
  switch (exit.code) {
  case vector::hypervisor_decrementer:
    // The exit was the tick: taken here at once. Re-armed to expire at once instead, it reached the
    // hypervisor only 0.66 ms later on average under QEMU (13 ms at worst, 2.5 s in a 10 s run of 100
    // spinners), time charged to the guest and ticks lost (3,849 of 10,000).
    ppc64::take_timer_interrupt();
    exit.kind = GuestExitKind::interrupt;
    break;
  case vector::external:
  case vector::hypervisor_virtualization: // level-triggered: still pending for the hypervisor
    exit.kind = GuestExitKind::interrupt;
    break;
  case vector::hypervisor_doorbell: // taking it cleared it: rung again, the hypervisor takes it on unmask
    ppc64::ring_own_doorbell();
    exit.kind = GuestExitKind::interrupt;
    break;
  // HDSISR, HDAR and ASDR are still the exit's: nothing since took a hypervisor storage interrupt.
  case vector::hypervisor_data_storage: {
    const u64 hdsisr = ppc64::read_spr<ppc64::spr::hdsisr>();
    if ((hdsisr & data_fault_causes) == 0) break; // a malformed tree: unhandled
    exit.kind = GuestExitKind::second_stage_fault;
    exit.second_stage_fault.gpa = (ppc64::read_spr<ppc64::spr::asdr>() & ~page_offset_mask) |
                                  (ppc64::read_spr<ppc64::spr::hdar>() & page_offset_mask);
    exit.second_stage_fault.write = (hdsisr & ppc64::dsisr::store) != 0;
    exit.second_stage_fault.execute = false;
    break;
  }
  case vector::hypervisor_instruction_storage:
    if ((s.msr & instruction_fault_causes) == 0) break;
    exit.kind = GuestExitKind::second_stage_fault;
    exit.second_stage_fault.gpa = (ppc64::read_spr<ppc64::spr::asdr>() & ~page_offset_mask) | (s.pc & page_offset_mask);
    exit.second_stage_fault.write = false;
    exit.second_stage_fault.execute = true;
    break;
  case vector::hypervisor_emulation_assistance: decode_emulation_assistance(vcpu, exit); break;
  default: break; // unhandled: machine check, system reset, HMI, privileged doorbells, facility unavailable
  }
}

} // namespace

void Virtualization::run(Vcpu& vcpu, GuestExit& exit) {
  for (;;) {
    deliver_upcall(vcpu);
    vcpu.state.lpcr = ppc64::lpar::guest_lpcr(ppc64::read_spr<ppc64::spr::lpcr>(), vcpu.upcall_pending);
    lpar_enter(&vcpu.state);
    // The most frequent exit first: a hypercall from the guest's kernel, which needs no settling.
    if (exit_vector(vcpu.state) == vector::system_call && (vcpu.state.msr & ppc64::msr::pr) == 0) {
      decode_hypercall(vcpu.state, exit);
      return;
    }
    if (!settle(vcpu)) break;
  }
  decode(vcpu, exit);
}

// sched_op(SCHEDOP_block) is how a POWER guest waits (docs/guest-abi.md, "Waiting"): it blocks with
// MSR[EE]=0 and returns with EE=1, so that the upcall that woke it is taken at once, on the instruction
// after its `sc 1`. Enabling and waiting are one step, as `sti; hlt` is on x86: no event can slip in
// between.
void Virtualization::complete(Vcpu& vcpu, const GuestExit& done) {
  if (done.kind != GuestExitKind::hypercall) return;
  vcpu.state.gpr[3] = done.result[0];
  if (done.hypercall.number == abi::hypercall::sched_op && done.hypercall.args[0] == abi::schedop::block)
    vcpu.state.msr |= ppc64::msr::ee;
}

// Delivered at the next entry if the guest has MSR[EE]=1; otherwise LPCR[MER] makes the CPU exit with an
// external interrupt as soon as it sets EE, and settle() delivers it then. Raising twice before that is
// one interrupt.
void Virtualization::raise_upcall(Vcpu& vcpu, u32) { vcpu.upcall_pending = true; }

} // namespace hv::port

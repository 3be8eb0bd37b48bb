// SPDX-License-Identifier: Apache-2.0
// Virtualization::run and complete: one VMRUN, the #VMEXIT decoded into a GuestExit, and the results
// common code decided written back into the guest's registers.
//
// QEMU emulates neither NRIP save nor decode assists, so the next RIP is computed here: the intercepted
// instructions have fixed encodings (VMMCALL 0f 01 d9, CPUID 0f a2, HLT f4) and IOIO exits give the next
// RIP in EXITINFO2. A prefixed form (a guest writing "rep cpuid", say) would be resumed inside the
// instruction: only the MOV to and from debug registers, which has no fixed length, is read at RIP
// (svm_debug_regs.cpp, through the guest's own page tables).
#include "svm_state.hpp"

#include <x86/instructions.hpp>

namespace hv::port {
namespace {

constexpr u64 length_vmmcall = 3;
constexpr u64 length_cpuid = 2;
constexpr u64 length_hlt = 1;
constexpr u64 length_msr = 2; // RDMSR 0f 32, WRMSR 0f 30
constexpr u64 exit_info1_msr_write = 1;
using x86::event_error_code_valid;
using x86::event_type_exception;
using x86::event_valid;
constexpr u64 vector_invalid_opcode = 6;
constexpr u64 vector_general_protection = 13;
constexpr usize hypercall_stub_bytes = 32;
constexpr usize hypercall_stubs = 4096 / hypercall_stub_bytes;
constexpr u64 rflags_interrupts = 1u << 9;

// The family's HVM hypercall convention: number in RAX; arguments in RDI, RSI, RDX, R10, R8 from 64-bit
// code, in EBX, ECX, EDX, ESI, EDI from 32-bit code; the result in RAX.
void read_hypercall(const Virtualization::Vcpu& vcpu, GuestExit& exit) {
  const x86::GuestRegisters& r = vcpu.registers;
  exit.hypercall.number = vcpu.vmcb->state.rax;
  if (x86::svm::in_64bit_mode(*vcpu.vmcb)) {
    const u64 args[5] = {r.rdi, r.rsi, r.rdx, r.r10, r.r8};
    for (usize i = 0; i < 5; ++i) exit.hypercall.args[i] = args[i];
  } else {
    const u64 args[5] = {r.rbx, r.rcx, r.rdx, r.rsi, r.rdi};
    exit.hypercall.number &= 0xffff'ffff;
    for (usize i = 0; i < 5; ++i) exit.hypercall.args[i] = args[i] & 0xffff'ffff;
  }
}

// The guest's pc moves past an instruction the hypervisor carried out for it. That instruction has then
// completed, so an interrupt shadow it sat in (STI; HLT) is over too: left set, it would hold off the
// upcall across the guest's next instruction (its CLI after the HLT, say) and lose it.
void skip_to(x86::Vmcb& vmcb, u64 next_rip) {
  vmcb.state.rip = next_rip;
  vmcb.control.interrupt_shadow = 0;
}

// IN/OUT with the port in EXITINFO1[31:16] and the next RIP in EXITINFO2; string forms element by element
// (svm_string_io.cpp). False when the exit cannot be made a port_io one.
bool read_port_io(Virtualization::Vcpu& vcpu, GuestExit& exit) {
  const x86::Vmcb& vmcb = *vcpu.vmcb;
  const u64 info = vmcb.control.exit_info1;
  exit.io.port = static_cast<u32>(info >> 16);
  exit.io.size = (info & x86::ioio_size32) != 0 ? 4 : (info & x86::ioio_size16) != 0 ? 2 : 1;
  exit.io.write = (info & x86::ioio_in) == 0;
  const u64 mask = exit.io.size == 4 ? 0xffff'ffffull : exit.io.size == 2 ? 0xffffull : 0xffull;
  exit.io.value = static_cast<u32>(vmcb.state.rax & mask);
  if ((info & x86::ioio_string) != 0) return x86::svm::begin_string_io(vcpu, exit);
  vcpu.string_in_to = ~u64{0};
  skip_to(*vcpu.vmcb, vmcb.control.exit_info2);
  return true;
}

// The hypercall page: stub n is "mov $n, %eax; vmmcall; ret", 32 bytes apart, which works from 32- and
// 64-bit code alike. False when the page is not mapped writable in the guest's space.
bool fill_hypercall_page(const Virtualization::Space& space, u64 gpa) {
  u8* page = x86::svm::guest_physical(space, gpa, Paging::page_size, true);
  if (page == nullptr) return false;
  for (usize n = 0; n < hypercall_stubs; ++n) {
    u8* stub = page + n * hypercall_stub_bytes;
    const u8 code[] = {0xb8, static_cast<u8>(n), 0, 0, 0, 0x0f, 0x01, 0xd9, 0xc3};
    for (usize i = 0; i < hypercall_stub_bytes; ++i) stub[i] = i < sizeof code ? code[i] : 0xcc; // int3 padding
  }
  return true;
}

// An intercepted RDMSR or WRMSR, settled here without common code: the hypercall page MSR, or one a PC
// shows its kernel (x86/guest_msrs.hpp); any other raises #GP in the guest, as on a CPU without it.
void settle_msr(Virtualization::Vcpu& vcpu) {
  x86::Vmcb& vmcb = *vcpu.vmcb;
  const auto msr = static_cast<u32>(vcpu.registers.rcx);
  const bool write = (vmcb.control.exit_info1 & exit_info1_msr_write) != 0;
  const u64 value = (vcpu.registers.rdx & 0xffff'ffff) << 32 | (vmcb.state.rax & 0xffff'ffff);
  const x86::MsrAccess access{vmcb, vcpu.msrs, vcpu.vcpu_id == 0, x86::rdtsc()};
  bool done = false;
  if (write && msr == x86::svm::hypercall_page_msr) {
    done = fill_hypercall_page(*vcpu.space, align_down(value, 4096));
  } else if (write) {
    done = x86::write_guest_msr(access, msr, value);
  } else if (u64 read = 0; x86::read_guest_msr(access, msr, read)) {
    vmcb.state.rax = read & 0xffff'ffff; // RDMSR writes EDX:EAX, clearing both upper halves
    vcpu.registers.rdx = read >> 32;
    done = true;
  }
  if (done) {
    skip_to(vmcb, vmcb.state.rip + length_msr);
  } else {
    vmcb.control.event_injection =
        event_valid | event_error_code_valid | event_type_exception | vector_general_protection;
  }
}

// An ICR write named other vCPUs' APICs: the message goes to common code as an ipi exit, the write
// itself settled (the sender's own part requested, its pc past the WRMSR).
bool send_apic_message(Virtualization::Vcpu& vcpu, GuestExit& exit) {
  x86::LocalApic& apic = vcpu.msrs.apic;
  apic.message_waiting = false;
  const x86::IcrMessage m = x86::message_to_others(apic, apic.interrupt_command);
  if (m.kind == x86::IcrMessage::Kind::none) return false;
  exit.kind = GuestExitKind::ipi;
  exit.ipi.targets = m.targets;
  exit.ipi.what = m.kind == x86::IcrMessage::Kind::fixed  ? GuestIpi::interrupt
                  : m.kind == x86::IcrMessage::Kind::init ? GuestIpi::reset
                                                          : GuestIpi::start;
  exit.ipi.value = m.vector;
  return true;
}

// The exits settled here without common code, which decode() leaves unhandled: MSR accesses, and the
// instructions a guest may not execute, which raise #UD as on a CPU without them (CPUID shows neither SVM
// nor XSAVE). False for any other exit, and for an MSR write that sends an APIC message, which `exit`
// then carries to common code.
bool settle_alone(Virtualization::Vcpu& vcpu, GuestExit& exit) {
  switch (vcpu.vmcb->control.exit_code) {
  case x86::exit_msr: settle_msr(vcpu); return !vcpu.msrs.apic.message_waiting || !send_apic_message(vcpu, exit);
  case x86::exit_read_dr0:
  case x86::exit_read_dr0 + 1:
  case x86::exit_read_dr0 + 2:
  case x86::exit_read_dr0 + 3:
  case x86::exit_write_dr0:
  case x86::exit_write_dr0 + 1:
  case x86::exit_write_dr0 + 2:
  case x86::exit_write_dr0 + 3:
  case x86::exit_write_dr0 + 7:
    if (!x86::svm::settle_debug_register(vcpu))
      vcpu.vmcb->control.event_injection =
          event_valid | event_error_code_valid | event_type_exception | vector_general_protection;
    return true;
  case x86::exit_write_cr4:
    if (!x86::svm::settle_cr4_write(vcpu))
      vcpu.vmcb->control.event_injection =
          event_valid | event_error_code_valid | event_type_exception | vector_general_protection;
    return true;
  case x86::exit_invd:
  case x86::exit_wbinvd:
    if (!x86::svm::settle_cache_instruction(vcpu))
      vcpu.vmcb->control.event_injection = event_valid | event_type_exception | vector_invalid_opcode;
    return true;
  case x86::exit_hlt: return true; // decode() found an APIC interrupt waiting: the halt is over at once
  case x86::exit_vmrun:
  case x86::exit_vmload:
  case x86::exit_vmsave:
  case x86::exit_stgi:
  case x86::exit_clgi:
  case x86::exit_skinit:
  case x86::exit_invlpga:
  case x86::exit_xsetbv:
    vcpu.vmcb->control.event_injection = event_valid | event_type_exception | vector_invalid_opcode;
    return true;
  default: return false;
  }
}

} // namespace

void Virtualization::run(Vcpu& vcpu, GuestExit& exit) {
  x86::Vmcb& vmcb = *vcpu.vmcb;
  for (;;) {
    enter(vcpu);
    // An event the exit interrupted on its way into the guest (an upcall, a #GP; its delivery faulted,
    // e.g. on a stack page the dirty log keeps read-only) is delivered again.
    if ((vmcb.control.exit_interrupt_info & event_valid) != 0) [[unlikely]]
      vmcb.control.event_injection = x86::redelivery(vmcb.control.exit_interrupt_info, vmcb.control.virtual_interrupt);
    decode(vcpu, exit);
    // An exit for common code leaves after one test; the few the backend settles go back into the guest.
    if (exit.kind != GuestExitKind::unhandled || !settle_alone(vcpu, exit)) return;
  }
}

// Both inlined into run(): called, they cost the hot path some 15 instructions (tests/bench/icount).
[[gnu::always_inline]] inline void Virtualization::enter(Vcpu& vcpu) {
  x86::Vmcb& vmcb = *vcpu.vmcb;
  if ((vmcb.state.dr7 & x86::svm::dr7_enables) != 0) x86::svm::load_debug_registers(vcpu); // seldom
  // No flush-by-ASID under QEMU: the whole TLB is flushed when a nested mapping this vCPU may have cached
  // was replaced or removed, and when ASIDs are reused.
  if (vcpu.generation != vcpu.space->generation) [[unlikely]]
    x86::svm::renew_tlb(vcpu);
  else
    vmcb.control.tlb_control = 0;
  const x86::LocalApic& apic = vcpu.msrs.apic;
  if ((apic.next_event != x86::LocalApic::never) | (apic.requested_words != 0)) [[unlikely]]
    x86::svm::offer_apic_interrupt(vcpu);
  // After renew_tlb, asid_cpu is this CPU. Marked before the generation is read again (the exchange is a
  // full fence): a mapping removed meanwhile on another CPU is either flushed by this entry or waited for
  // there (x86::svm::shoot_down). With one CPU nothing else changes the Space while its guest runs.
  x86::svm::CpuState* const here = x86::svm::host.several_cpus ? &x86::svm::cpus[vcpu.asid_cpu] : nullptr;
  if (here != nullptr) {
    (void)__atomic_exchange_n(&here->entered, vcpu.space, __ATOMIC_SEQ_CST);
    if (vcpu.generation != __atomic_load_n(&vcpu.space->generation, __ATOMIC_RELAXED)) [[unlikely]]
      x86::svm::renew_tlb(vcpu);
  }
  hv_svm_enter(vcpu.vmcb_pa, &vcpu.registers, vcpu.host_vmsave_pa);
  if (here != nullptr) {
    __atomic_store_n(&here->exits, here->exits + 1, __ATOMIC_RELAXED);
    __atomic_store_n(&here->entered, nullptr, __ATOMIC_RELEASE);
  }
  if (vcpu.line_from_apic) [[unlikely]]
    x86::svm::note_apic_interrupt_taken(vcpu);
}

// Only the fields of the kind reported are written (the contract): clearing the whole record would cost
// every exit some twenty stores.
[[gnu::always_inline]] inline void Virtualization::decode(Vcpu& vcpu, GuestExit& exit) {
  x86::Vmcb& vmcb = *vcpu.vmcb;
  exit.kind = GuestExitKind::unhandled;
  exit.code = vmcb.control.exit_code;
  exit.pc = vmcb.state.rip;
  switch (exit.code) {
  case x86::exit_vmmcall:
    exit.kind = GuestExitKind::hypercall;
    read_hypercall(vcpu, exit);
    skip_to(vmcb, vmcb.state.rip + length_vmmcall);
    break;
  case x86::exit_cpuid:
    exit.kind = GuestExitKind::cpuid;
    exit.cpuid.leaf = static_cast<u32>(vmcb.state.rax);
    exit.cpuid.subleaf = static_cast<u32>(vcpu.registers.rcx);
    x86::svm::guest_cpuid(vcpu, exit.cpuid.leaf, exit.cpuid.subleaf, exit.result);
    skip_to(vmcb, vmcb.state.rip + length_cpuid);
    break;
  case x86::exit_hlt:
    exit.kind = GuestExitKind::halt;
    exit.halt.interrupts_off = (vmcb.state.rflags & rflags_interrupts) == 0;
    skip_to(vmcb, vmcb.state.rip + length_hlt);
    if (const x86::LocalApic& apic = vcpu.msrs.apic;
        !exit.halt.interrupts_off &&
        ((apic.next_event != x86::LocalApic::never) | (apic.requested_words != 0) | vcpu.line_from_apic) &&
        x86::svm::apic_interrupt_waiting(vcpu))
      exit.kind = GuestExitKind::unhandled;
    break;
  case x86::exit_ioio:
    if (!read_port_io(vcpu, exit)) break; // stays unhandled
    exit.kind = GuestExitKind::port_io;
    break;
  case x86::exit_npf:
    exit.kind = GuestExitKind::second_stage_fault;
    exit.second_stage_fault.gpa = vmcb.control.exit_info2;
    exit.second_stage_fault.write = (vmcb.control.exit_info1 & x86::npf_write) != 0;
    exit.second_stage_fault.execute = (vmcb.control.exit_info1 & x86::npf_fetch) != 0;
    break;
  case x86::exit_shutdown:
    exit.kind = GuestExitKind::guest_stopped;
    exit.stop_reason = "triple fault";
    break;
  case x86::exit_intr: exit.kind = GuestExitKind::interrupt; break;
  default: break; // unhandled, including exit_invalid (an illegal VMCB)
  }
}

void Virtualization::arrive(Vcpu& vcpu) {
  vcpu.generation = ~u64{0}; // renew_tlb at the next entry
  x86::svm::CpuState& cpu = x86::svm::this_cpu();
  if (cpu.debug_owner == &vcpu) cpu.debug_owner = nullptr; // it may have written them elsewhere since
}

void Virtualization::complete(Vcpu& vcpu, const GuestExit& done) {
  x86::Vmcb& vmcb = *vcpu.vmcb;
  switch (done.kind) {
  case GuestExitKind::hypercall: vmcb.state.rax = done.result[0]; break;
  case GuestExitKind::port_io:
    if (!done.io.write && vcpu.string_in_to != ~u64{0}) {
      x86::svm::finish_string_in(vcpu, done);
    } else if (!done.io.write) {
      // IN writes AL or AX and keeps the rest of RAX; IN to EAX clears the upper half, as any 32-bit write.
      const u64 mask = done.io.size == 4 ? ~0ull : done.io.size == 2 ? 0xffffull : 0xffull;
      vmcb.state.rax = (vmcb.state.rax & ~mask) | (done.result[0] & mask);
      if (done.io.size == 4) vmcb.state.rax &= 0xffff'ffff;
    }
    break;
  case GuestExitKind::cpuid:
    // CPUID writes 32-bit registers: the upper halves are cleared.
    vmcb.state.rax = done.result[0] & 0xffff'ffff;
    vcpu.registers.rbx = done.result[1] & 0xffff'ffff;
    vcpu.registers.rcx = done.result[2] & 0xffff'ffff;
    vcpu.registers.rdx = done.result[3] & 0xffff'ffff;
    break;
  default: break;
  }
}

} // namespace hv::port

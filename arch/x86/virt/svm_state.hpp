// SPDX-License-Identifier: Apache-2.0
// What the SVM backend's files share inside the port: the per-CPU host save area, the permission maps
// every guest uses, and the assembly that swaps registers around VMRUN.
#pragma once

#include <x86/asid_pool.hpp>
#include <x86/guest_msrs.hpp>

#include <port.hpp>
#include <x86/vmcb.hpp>

namespace hv::x86::svm {

/// The MSR a guest writes a page's guest-physical address to, to have it filled with hypercall stubs
/// (announced in CPUID leaf 0x40000002 EBX).
inline constexpr u32 hypercall_page_msr = 0x4000'0000;

/// Whether the guest runs 64-bit code (long mode active, and its code segment's L bit): the width of its
/// registers as instructions and hypercalls use them.
inline bool in_64bit_mode(const Vmcb& vmcb) {
  constexpr u16 segment_attr_long = 1u << 9; // the descriptor's L bit, in the VMCB's packed attributes
  return (vmcb.state.efer & efer_lma) != 0 && (vmcb.state.cs.attributes & segment_attr_long) != 0;
}

/// What every CPU's guests share, set by the first Virtualization::enable and only read afterwards.
struct HostState {
  PhysAddr iopm_pa = 0;  ///< every port intercepted
  PhysAddr msrpm_pa = 0; ///< every MSR intercepted but x86::passthrough_msrs
  /// More than one CPU enabled (each before any guest runs): entries then mark their CPU for shoot_down,
  /// which one CPU alone never needs.
  bool several_cpus = false;
};
extern HostState host;

using AsidPoolOfVcpus = AsidPool<port::Virtualization::Vcpu>;

/// What each CPU keeps of its own for guests (AMD APM vol. 2: VM_HSAVE_PA and the host state VMSAVE
/// stores are per CPU, and ASIDs tag one CPU's TLB), set by Virtualization::enable on that CPU and used
/// by that CPU alone.
struct CpuState {
  PhysAddr save_area_pa = 0;        ///< VM_HSAVE_PA: where VMRUN keeps the host's state
  PhysAddr vmsave_area_pa = 0;      ///< a VMCB-shaped page for VMSAVE/VMLOAD of the host's hidden state
  AsidPoolOfVcpus* asids = nullptr; ///< its ASIDs, as many as CPUID says, in pages of their own
  const port::Virtualization::Vcpu* debug_owner = nullptr; ///< whose DR0-DR3 it holds (svm_debug_regs.cpp)
  // Read by other CPUs (shoot_down): which Space's vCPU this CPU is in, and how many guest exits it took.
  const port::Virtualization::Space* entered = nullptr; ///< atomic: set before VMRUN, cleared after
  u32 exits = 0;                                        ///< atomic: counted after each VMRUN (wraps)
};
extern CpuState cpus[max_cpus];
/// The calling CPU's.
inline CpuState& this_cpu() { return cpus[port::Cpu::index()]; }

/// Before an entry of `vcpu` whose TLB is not known good (its first run, its first on this CPU, a mapping
/// of its Space replaced or removed since, or its ASID taken back): gives it one of this CPU's ASIDs if
/// it holds none here and says in its VMCB whether the TLB must be flushed first. Out of line: most
/// entries need none of it.
void renew_tlb(port::Virtualization::Vcpu& vcpu);
/// A mapping of `space` was replaced or removed and its generation bumped: every other CPU in a vCPU of
/// `space` is interrupted, and this waits until each has left the guest, whose next VMRUN then flushes
/// (enter() marks the CPU before it reads the generation, so a CPU that enters meanwhile flushes too).
/// From any CPU, with any locks held: what it waits for is the hardware's exit alone (svm_shoot_down.cpp).
void shoot_down(port::Virtualization::Space& space);
/// A mapping of `space` kept its frame and only gained rights (a page the dirty log saw written, made
/// writable): a CPU holding the narrower translation can only fault on it, and flushes at the VMRUN after
/// that exit, so the generation moves and nobody is interrupted. Serialized as shoot_down is.
void widened(port::Virtualization::Space& space);
/// `vcpu` goes away or becomes a new vCPU: its ASID goes back to the pool of the CPU it came from (not
/// reused there before that pool's next generation). Called while it runs nowhere.
void release_asid(const port::Virtualization::Vcpu& vcpu);

/// One element of the string port I/O (OUTS/INS) `vcpu` just exited on, as a port_io exit (io.port,
/// size and write already decoded into `exit`): an OUTS element's value read from the guest's memory, the
/// index and count registers and the pc moved on (svm_string_io.cpp). False when it cannot be done: the
/// guest's memory does not map the element, or REP with a zero count; the exit then stays unhandled.
bool begin_string_io(port::Virtualization::Vcpu& vcpu, GuestExit& exit);
/// Stores the value common code gave an INS element into the guest's memory. Called by complete().
void finish_string_in(port::Virtualization::Vcpu& vcpu, const GuestExit& done);

// The guest's memory as the backend reaches it for the exits it settles alone (svm_linear.cpp).
/// `bytes` at guest-physical `gpa`, within one page, through the domain's nested tables (writable ones,
/// for `write`): a pointer through the direct map, or null where they map nothing or the range would
/// cross into the next page.
u8* guest_physical(const port::Virtualization::Space& space, u64 gpa, usize bytes, bool write);
/// The same at `vcpu`'s linear address `linear`, through its own page tables first.
u8* guest_linear(const port::Virtualization::Vcpu& vcpu, u64 linear, usize bytes, bool write);

// The instructions the backend settles alone, read at the guest's pc (svm_decode.cpp).
/// A two-byte-opcode instruction (0f xx) as read at the guest's pc.
struct TwoByteInstruction {
  u8 opcode = 0; ///< the byte after 0f
  u8 modrm = 0;  ///< its ModRM byte, when asked for
  u8 rex = 0;    ///< the REX prefix's W, R, X, B bits (0 without one)
  u64 length = 0;
};
/// Reads the instruction at `vcpu`'s pc: prefixes, 0f, the opcode and (`has_modrm`) a ModRM byte. False
/// when its bytes are not mapped or it is not a two-byte-opcode instruction.
bool read_two_byte_instruction(const port::Virtualization::Vcpu& vcpu, bool has_modrm, TwoByteInstruction& out);
/// The general register `index` as the instruction encoding numbers it (0 RAX, 1 RCX, ... 15 R15).
u64& general_register(port::Virtualization::Vcpu& vcpu, u32 index);

// Control registers and cache instructions (svm_control_regs.cpp).
/// Settles an intercepted MOV to CR4 (x86/guest_cr4.hpp's rules): false when the instruction cannot be
/// read or the value is refused, for the caller to raise #GP.
bool settle_cr4_write(port::Virtualization::Vcpu& vcpu);
/// Completes an intercepted INVD or WBINVD without touching the caches: false when it cannot be read.
bool settle_cache_instruction(port::Virtualization::Vcpu& vcpu);

// The debug address registers DR0-DR3 (svm_debug_regs.cpp).
inline constexpr u64 dr7_enables = 0xff; ///< DR7's L0-L3 and G0-G3

/// Settles an intercepted MOV from or to DR0-DR3, or to DR7: false when the instruction cannot be read
/// or the value is refused (reserved DR7 bits set), for the caller to raise #GP.
bool settle_debug_register(port::Virtualization::Vcpu& vcpu);
/// Before an entry whose DR7 enables a breakpoint: loads `vcpu`'s DR0-DR3 into the CPU, unless it holds
/// them already.
void load_debug_registers(const port::Virtualization::Vcpu& vcpu);
/// `vcpu`'s storage goes away or becomes a new vCPU: the CPU no longer holds its registers.
void forget_debug_registers(const port::Virtualization::Vcpu& vcpu);

// The virtual interrupt line, shared by the upcall and the local APIC (svm_interrupts.cpp).
/// Puts `vector` on the line (V_IRQ), replacing what it held.
void load_line(Vmcb& vmcb, u32 vector);
/// Before an entry whose APIC may have something to deliver (a timer armed, a vector requested): fires an
/// expired timer and offers the APIC's deliverable vector on the line, if it outranks what the line holds.
void offer_apic_interrupt(port::Virtualization::Vcpu& vcpu);
/// After an exit while the line held an APIC vector: if the guest took it, it goes in service.
void note_apic_interrupt_taken(port::Virtualization::Vcpu& vcpu);
/// At a HLT with interrupts on: whether the APIC has an interrupt the guest would take at once (the halt
/// is then over before it began).
bool apic_interrupt_waiting(port::Virtualization::Vcpu& vcpu);

/// The CPUID answer `vcpu` sees for `leaf`/`subleaf` (svm_cpuid.cpp).
void guest_cpuid(const port::Virtualization::Vcpu& vcpu, u32 leaf, u32 subleaf, u64 (&result)[4]);

// The guests' x87/MMX/SSE registers (svm_fpu.cpp; saved and loaded by Virtualization::save_fpu/load_fpu).
/// Lets FXSAVE/FXRSTOR reach every register (CR4.OSFXSR, CR0.EM and TS clear). Called by enable.
void enable_fpu();
/// Gives `vcpu` the registers' reset state (FNINIT's x87 state, MXCSR 0x1f80, everything else zero).
void reset_fpu(port::Virtualization::Vcpu& vcpu);

} // namespace hv::x86::svm

extern "C" {
/// svm_enter.S: VMLOAD the guest's hidden state, swap in `registers`, VMRUN the VMCB at `vmcb_pa`, and
/// after the #VMEXIT save it all back and restore the host's (hidden state from `host_vmsave_pa`).
/// Runs with GIF clear except inside the guest; enters and returns with interrupts masked.
void hv_svm_enter(hv::u64 vmcb_pa, hv::x86::GuestRegisters* registers, hv::u64 host_vmsave_pa);
}

// SPDX-License-Identifier: Apache-2.0
// The test guests' library: what every guest program (tests/guests/programs/) uses to talk to the
// hypervisor through the family's public ABI (hv/abi/), on any architecture.
//
// A guest program defines guest_main(); the architecture's start code (tests/guests/<arch>/) enters it
// with the CPU set up, and powers the guest off when it returns. Guests run with paging off (x86: flat
// protected mode; POWER: real mode), so a guest-physical address is a pointer.
#pragma once

#include <hv/abi/errno.hpp>
#include <hv/abi/event_channel.hpp>
#include <hv/abi/hypercall.hpp>
#include <hv/abi/xen.hpp>

namespace guest {

using hv::i64;
using hv::u16;
using hv::u32;
using hv::u64;
using hv::u8;
using hv::usize;
using ulong = unsigned long; ///< the guest's word: what hypercall arguments are

/// The architecture's half (tests/guests/<arch>/arch.cpp and its start code).
namespace arch {
/// A hypercall in the architecture's convention (x86: through the hypercall page; POWER: sc 1).
long hypercall(ulong nr, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4);
/// The command line the hypervisor passed (PVH start info; the device tree's /chosen/bootargs).
const char* command_line();
/// The control domain's transfer window (docs/migration-link.md): where this guest reaches it and its
/// size in `bytes`; null (and 0) when its boot information names none (x86: the PVH memory map's entry
/// of type 0x48560001; POWER: the device tree's /transfer-window).
u8* transfer_window(u64& bytes);
/// A clock that counts instructions under QEMU -icount (x86 TSC; POWER timebase).
u64 timestamp();
/// Makes upcalls reach guest_upcall() (x86: IDT vector; POWER: external interrupt vector) and returns
/// the value for HVM_PARAM_CALLBACK_IRQ's vector field.
u32 prepare_upcalls();
/// Enables interrupts and waits for one, atomically; returns with interrupts disabled again, after the
/// upcall handler ran (or spuriously).
void wait_for_interrupt();
/// Writes a line to the architecture's emulated serial port; false when it has none.
bool serial_write(const char* text);
/// Writes `length` bytes to the family's debug console port in one string instruction (x86: `rep outsb`
/// to 0xe9, as Linux's early console does); false when the architecture has none.
bool debug_port_write(const char* text, unsigned long length);
/// Executes an instruction the hypervisor must refuse (x86: RDMSR of an MSR that does not exist), and
/// returns whether the guest received the fault it should have (x86: #GP); `what` names it.
bool refused_instruction_faults(const char*& what);
/// What a sweep of hostile accesses saw: how many it tried, and how many faulted in the guest.
struct Sweep {
  u32 tried = 0, faulted = 0;
};
/// Reads every I/O port, then writes 0xfe to it (a PC's reset and QEMU's exit ports among them); `unusual`
/// counts the reads that were not all ones (an empty bus). False when the architecture has no port I/O.
bool sweep_io_ports(Sweep& ports, u32& unusual);
/// Reads the architecture's special registers over their number ranges (x86: MSRs; POWER: SPRs), writing
/// back what each read gave where a write is harmless to the guest itself (`written`), then writes values
/// a guest must not set to the registers that hold the hypervisor's or the machine's state (`hostile`):
/// each faults or changes nothing outside the guest. `name` says which registers.
void sweep_special_registers(Sweep& read, Sweep& written, Sweep& hostile, const char*& name);
/// Executes each instruction of the machine's virtualization or hypervisor state (x86: the SVM
/// instructions, VMCALL, XSETBV; POWER: hrfid, msgsnd, msgclr, tlbie, attn), each of which must fault in
/// the guest; `names` says which. Returns how many it tried and how many faulted.
Sweep hypervisor_instructions(const char*& names);
/// Writes XEN_DOMCTL_setvcpucontext's record for a vCPU that starts at `entry` with the boot argument
/// `argument` into `record` (`capacity` bytes, zeroed first) and returns its size, 0 when it does not
/// fit (x86: the family's vcpu_guest_context of this guest's word size, user_regs' eip and ebx; POWER: the
/// hypervisor's own two doublewords, pc and r3; docs/lifecycle.md).
usize vcpu_context(ulong entry, ulong argument, void* record, usize capacity);
/// Writes VCPUOP_initialise's record for a vCPU of this domain that is to start in `entry(id)`, with
/// interrupts off, on the stack whose end is `stack_top` (16-byte aligned; the start may use the top of
/// it), into `record` (`capacity` bytes), and returns its size, 0 when it does not fit (x86: the family's
/// vcpu_hvm_context, 32-bit protected mode with flat segments, as the guest's own start; POWER: the
/// hypervisor's own record, hv/abi/ppc64_vcpu.hpp, 64-bit real mode in the guest's byte order).
usize vcpu_start_record(void (*entry)(u32 id), u32 id, u8* stack_top, void* record, usize capacity);
/// Writes the boot information a guest of this architecture reads (docs/guest-abi.md: x86 a PVH start
/// info with the command line and a memory map of RAM below `at`; POWER a flattened device tree with
/// /chosen/bootargs and `at` on reserved), laid out to be copied to guest-physical `at` of a domain of
/// `memory_bytes`, into `buffer` (`capacity` bytes); returns its size, 0 when it does not fit. The vCPU's
/// boot argument is then `at`.
usize boot_info(u64 memory_bytes, u64 at, const char* command_line, void* buffer, usize capacity);
/// A trapped instruction the hypervisor emulates (x86: CPUID), for the exit benchmark.
void trapped_instruction();
/// Stops the CPU the way only a broken guest does (x86: a triple fault; POWER: an illegal instruction in
/// its own program-interrupt handler). Never returns.
[[noreturn]] void stop_cpu_hard();
/// How stop_cpu_hard() breaks the CPU, for the guest's last line ("triple-faulting").
const char* stop_cpu_hard_how();
/// Fills the floating-point and vector registers the architecture has (x86: x87 and XMM0-7; POWER: the
/// 64 VSX registers, which hold the FPRs and VRs) with values derived from `seed`.
void fill_vector_registers(u64 seed);
/// Whether those registers still hold exactly what fill_vector_registers(seed) left there.
bool vector_registers_hold(u64 seed);
/// Loads registers the hypervisor must keep apart beyond the vector ones with values from `seed` (x86: the
/// debug address registers DR0-DR3, with DR7's local enables, at addresses the guest never executes;
/// POWER: TIDR).
void fill_private_registers(u64 seed);
/// Whether they still hold what fill_private_registers(seed) put there.
bool private_registers_hold(u64 seed);
} // namespace arch

/// The program's entry, called once.
void guest_main();

// ---- hypercalls ----
inline long hypercall(ulong nr, ulong a0 = 0, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, ulong a4 = 0) {
  return arch::hypercall(nr, a0, a1, a2, a3, a4);
}
template <class T> ulong address(T* p) { return reinterpret_cast<ulong>(p); }

/// SCHEDOP_shutdown with `reason` (hv::abi::ShutdownReason). Never returns.
[[noreturn]] void shutdown(hv::abi::ShutdownReason reason);
void yield();

// ---- this domain's vCPUs (vcpu_op) ----
/// What a secondary vCPU runs: entered with its ID, interrupts off; it must never return (it takes
/// itself down with vcpu_down when it is done, and resumes after that call when brought up again).
using VcpuEntry = void (*)(u32 id);
/// VCPUOP_initialise: vCPU `id` (offline, never started) is to run `entry(id)` on the `bytes` bytes at
/// `stack` when vcpu_up brings it up. 0, or the negative error (-EEXIST: it already has a state).
long vcpu_initialise(u32 id, VcpuEntry entry, void* stack, usize bytes);
/// VCPUOP_up: 0 (also when it is up already), or the negative error (-EINVAL: never initialised).
long vcpu_up(u32 id);
/// VCPUOP_down: takes vCPU `id` offline (the calling one included: the call returns when it is brought
/// up again). 0, or the negative error.
long vcpu_down(u32 id);
/// VCPUOP_is_up: 1 or 0, or the negative error.
long vcpu_is_up(u32 id);

// ---- console ----
/// One console line, built from pieces and printed with one console_io hypercall, so that the
/// hypervisor's "(dN) " prefix lands on it whole.
class Line {
public:
  Line& operator<<(const char* text);
  // One overload per integer type, not per fixed-width alias: u64 is unsigned long on one architecture
  // and unsigned long long on another.
  Line& operator<<(unsigned long long value);
  Line& operator<<(long long value);
  Line& operator<<(unsigned long value) { return *this << static_cast<unsigned long long>(value); }
  Line& operator<<(long value) { return *this << static_cast<long long>(value); }
  Line& operator<<(unsigned value) { return *this << static_cast<unsigned long long>(value); }
  Line& operator<<(int value) { return *this << static_cast<long long>(value); }
  Line& hex(u64 value);
  ~Line(); ///< prints the line, with its newline
  const char* text() const { return buffer_; }

private:
  char buffer_[160] = {};
  usize used_ = 0;
};
/// A failed check: prints what went wrong and shuts the guest down with reason crash.
[[noreturn]] void fail(const char* what, i64 got, i64 wanted);
inline void expect(const char* what, i64 got, i64 wanted) {
  if (got != wanted) fail(what, got, wanted);
}

// ---- command line ----
/// The number after "key=" on the command line, or `fallback`.
u64 option(const char* key, u64 fallback);
/// Whether the command line has the word `key` or "key=...".
bool has_option(const char* key);
/// The text after "key=" up to the next space, copied into `out` (NUL-terminated); false when absent.
bool option_text(const char* key, char* out, usize size);

// ---- events (2-level event channels over shared_info) ----
using EventHandler = void (*)(u32 port);
/// Maps shared_info into the guest (XENMEM_add_to_physmap) and registers the upcall
/// (HVMOP_set_param CALLBACK_IRQ). Fails the guest when the hypervisor refuses.
void events_init();
/// Calls `handler` from the upcall whenever `port` fires.
void on_event(u32 port, EventHandler handler);
/// EVTCHNOP_alloc_unbound for `remote`: the new port, or the negative error.
long alloc_unbound(hv::abi::domid_t remote);
/// EVTCHNOP_bind_interdomain to (remote, remote_port): the local port, or the negative error.
long bind_interdomain(hv::abi::domid_t remote, u32 remote_port);
/// Forgets an event already pending on `port` (bind_interdomain leaves the new port pending, as the ABI
/// says, so that no notification can be lost while binding).
void discard_pending(u32 port);
/// EVTCHNOP_send.
long send(u32 port);
/// EVTCHNOP_bind_ipi: a port whose sends notify this domain's vCPU `vcpu` (an inter-vCPU IPI): the port,
/// or the negative error.
long bind_ipi(u32 vcpu);
/// Masks `port`: an event on it still sets its pending bit and wakes a vCPU polling it, but raises no
/// upcall (so that vCPUs with interrupts off can wait for it with poll()).
void mask(u32 port);
/// Takes the event pending on `port` (clears its bit, atomically): whether there was one.
bool take_pending(u32 port);
/// SCHEDOP_poll on `port` alone, without a time-out: returns at once when it is pending, else once an
/// event on it arrives (or spuriously: check take_pending and poll again). Any vCPU may call it.
void poll(u32 port);
/// Waits until an upcall has run (interrupts enabled only while waiting).
void wait_for_event();
/// Timestamp at the entry of the most recent upcall (arch::timestamp()).
u64 last_upcall_time();
/// EVTCHNOP_status of this domain's `port` into `out`: 0 or the negative error.
long port_status(u32 port, hv::abi::EvtchnStatus& out);
/// EVTCHNOP_close: 0 or the negative error.
long close_port(u32 port);
/// Suspends this domain (SCHEDOP_shutdown with SHUTDOWN_suspend) for the control domain to save, with
/// the inter-domain channel `port` open and nothing in flight on it. When the call returns in a restored
/// domain (its port no longer connected), closes the port and binds again to the peer's port, which kept
/// waiting for this domain's ID (the control domain restores it with that ID, or hands a migrated domain
/// the ports that waited for its source: it retries until then), handing events to `handler`. The port the
/// channel is on now. Fails the guest when the peer's port will not take it.
u32 suspend_and_rebind(u32 port, EventHandler handler);

// ---- time (the family's PV clock in shared_info, after events_init) ----
/// System time in ns, computed as the family's guests do: vCPU 0's vcpu_time_info, read under its version
/// protocol, extrapolated with the architecture's counter (arch::timestamp()).
u64 system_time();
/// The counter's rate as the PV clock states it (vCPU 0's tsc_to_system_mul and tsc_shift): `mul` and
/// `shift` such that ns = ((ticks << shift) * mul) >> 32, a negative shift shifting right.
void pv_clock_scale(u32& mul, int& shift);
/// The wall clock at system time 0, in seconds since the epoch; `version` is wc_version as read.
u64 wall_clock_seconds(u32& version);

} // namespace guest

/// Entered by the architecture's start code when an upcall interrupts the guest.
extern "C" void guest_upcall();

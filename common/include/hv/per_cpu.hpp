// SPDX-License-Identifier: Apache-2.0
// What each physical CPU keeps of its own, found from the CPU itself (port::Cpu::index), so that what one
// CPU does between two guest entries reads nothing another CPU writes but what they share on purpose.
//
// One PerCpu a CPU, indexed as Machine::cpu_count numbers them (0: the boot CPU). Each is written by its
// own CPU, except where a field says another CPU may write it: those fields are reached through atomics
// (a CPU asks another for something by setting a request bit, then Machine::send_ipi).
#pragma once

#include <contract/machine.hpp>
#include <hv/read_section.hpp>
#include <hv/types.hpp>

#include <port.hpp>

namespace hv {

struct Domain;
struct Vcpu;

/// What one CPU asks another to do, as bits of PerCpu::requests; the asked CPU clears each bit as it does
/// it (take_requests), between two guest entries or when its idle wait ends.
namespace cpu_request {
/// A vCPU became runnable on its run queue, or preempts the one it runs: pick again.
inline constexpr u32 reschedule = 1u << 0;
/// Store the floating-point and vector registers this CPU holds for a vCPU it does not run (LazyFpu): the
/// vCPU is about to run on the asking CPU, or its domain is destroyed.
inline constexpr u32 store_fpu = 1u << 2;
} // namespace cpu_request

/// What the trap path counts on each CPU (a secondary's tick is not the boot CPU's).
struct TrapCounters {
  volatile u64 timer_ticks = 0;
  volatile u64 ipis = 0;
  volatile u64 breakpoints = 0;
  volatile u64 last_breakpoint_pc = 0;
};

// A cache line each (128 bytes, POWER's; x86's is 64): one CPU's writes never invalidate another's data.
struct alignas(128) PerCpu {
  u32 index = 0;
  /// Set (atomic, release) by the CPU itself when it reaches secondary_main; the boot CPU's from the start.
  bool online = false;
  /// The vCPU this CPU is busy with, from its pick until the next (in its guest, or handling its exits),
  /// or null while it idles, waits for the core lock or decides. Written by this CPU alone; read by
  /// others (atomic) to decide whom to interrupt, and by a CPU taking a domain away, which waits until no
  /// CPU's `current` is one of its vCPUs.
  Vcpu* current = nullptr;
  /// Bits of cpu_request, set by other CPUs (atomic) before they send an IPI.
  u32 requests = 0;
  /// Open while this CPU may follow a domain's p2m, or read a domain, without the core lock (a hypercall
  /// handled without it, a walk of the timers); a CPU that retired frames waits for it before it frees
  /// them (Hypervisor::free_retired).
  ReadSection reads;
  /// Set (atomic) by the CPU itself from just before it enters `current`'s guest until it is back.
  bool in_guest = false;
  /// This CPU holds the run time's core lock (read by this CPU alone).
  bool holds_core = false;
  /// The domain of the exit this CPU holds but has not handled yet, from before it lets go of `current`
  /// to wait for the core lock until it is done with it, under that lock; else null. Written by this CPU
  /// alone (atomic), read by a holder of the core lock (Hypervisor::exit_in_flight), compared, never
  /// followed: the domain may be gone.
  const Domain* exiting_in = nullptr;
  /// The call this CPU handles returned hypercall_again (read by this CPU alone).
  bool again = false;
  TrapCounters traps;
};

/// Every CPU's, by index.
extern PerCpu per_cpu[max_cpus];

/// The calling CPU's.
inline PerCpu& this_cpu() { return per_cpu[port::Cpu::index()]; }

/// Takes (and clears) the requests other CPUs left for this one.
inline u32 take_requests(PerCpu& self) {
  if (__atomic_load_n(&self.requests, __ATOMIC_RELAXED) == 0) return 0; // the usual case: one load
  return __atomic_exchange_n(&self.requests, 0u, __ATOMIC_ACQUIRE);
}

/// Leaves `bits` in CPU `target`'s requests and interrupts it (a CPU does not ask itself: it is not in a
/// guest while it runs this).
void ask_cpu(u32 target, u32 bits);

} // namespace hv

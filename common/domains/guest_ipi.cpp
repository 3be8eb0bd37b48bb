// SPDX-License-Identifier: Apache-2.0
// Interprocessor messages between a domain's vCPUs (GuestExitKind::ipi): what x86's local APIC sends
// with an ICR write, as the family's HVM and PVH guests use it to wake and start their CPUs. The
// backend says whom and what; the vCPU states are the core's: a reset vCPU goes offline and forgets its
// start (Vcpu::initialised), as INIT leaves a CPU waiting for a startup IPI, and only such a vCPU (or
// one never started) is started by one.
#include <hv/domains/hypervisor.hpp>
#include <hv/per_cpu.hpp>

#include <port.hpp>

namespace hv {

namespace {

// Whether a CPU other than this one still runs `v` or is about to (its run ends at its next exit).
bool still_entered(const Vcpu& v) {
  const u32 me = port::Cpu::index();
  for (u32 cpu = 0; cpu < max_cpus; ++cpu)
    if (cpu != me && __atomic_load_n(&per_cpu[cpu].current, __ATOMIC_ACQUIRE) == &v) return true;
  return false;
}

} // namespace

void Hypervisor::deliver_ipi(Vcpu& sender, const GuestExit& exit) {
  using V = port::Virtualization;
  Domain& d = *sender.domain;
  for (u32 n = 0; n < d.vcpu_count; ++n) {
    if ((exit.ipi.targets >> n & 1) == 0 || n == sender.id) continue;
    Vcpu& t = *d.vcpu(n);
    switch (exit.ipi.what) {
    case GuestIpi::interrupt:
      if (!t.online) break; // a CPU waiting for its start takes no interrupt
      raise_interrupt<V>(t.arch, exit.ipi.value);
      domains_.vcpu_kick(t);
      break;
    case GuestIpi::reset:
      if (t.online) static_cast<void>(domains_.vcpu_down(t)); // never the last: the sender is online
      t.initialised = false;
      break;
    case GuestIpi::start:
      if (t.online || t.initialised || !t.context_made) break; // running, or not reset: ignored
      if (shared_ && still_entered(t)) break; // reset, but another CPU has not left it yet: a later startup IPI
      if (!start_from_message<V>(t.arch, exit.ipi.value)) break;
      t.initialised = true;
      if (domains_.vcpu_up(t) == Err::ok) timers_.refresh_time(t); // its time record before it runs
      break;
    }
  }
}

} // namespace hv

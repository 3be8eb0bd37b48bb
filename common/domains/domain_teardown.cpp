// SPDX-License-Identifier: Apache-2.0
// How a domain ends: it shuts itself down (SCHEDOP_shutdown), the hypervisor crashes it, or the control
// domain destroys it. Whichever it was, DomainTable::destroy tells the run time (domain_gone) before it
// frees anything, and the run time gives back what the backend built and reports the domain's end.
#include <hv/config.hpp>
#include <hv/console.hpp>
#include <hv/domains/hypervisor.hpp>
#include <hv/domains/machine_frames.hpp>

#include <port.hpp>

namespace hv {
namespace {

using V = port::Virtualization;

const char* shutdown_name(abi::ShutdownReason reason) {
  switch (reason) {
  case abi::ShutdownReason::poweroff: return "poweroff";
  case abi::ShutdownReason::reboot: return "reboot";
  case abi::ShutdownReason::suspend: return "suspend";
  case abi::ShutdownReason::crash: return "crash";
  case abi::ShutdownReason::watchdog: return "watchdog";
  case abi::ShutdownReason::soft_reset: return "soft reset";
  }
  return "unknown reason";
}

} // namespace

void Hypervisor::crash(Domain& d, const char* why) {
  if (d.state != DomainState::running && d.state != DomainState::created) return;
  d.serial.flush();
  d.debug_console.flush();
  d.console.line.flush();
  d.crash_cause = why;
  domains_.shutdown(d, abi::ShutdownReason::crash); // dying: DomainTable::reap destroys it
}

void Hypervisor::take_down(Vcpu& v) {
  Domain& d = *v.domain;
  print("domain d{} {}: vCPU {} halted with interrupts off: taken down\n", d.id, d.name, v.id);
  domains_.vcpu_take_down(v);
}

void Hypervisor::left_shut_down(Domain& d) {
  if (!d.announced) return; // the control domain made it, and reports on it itself
  d.serial.flush();
  d.debug_console.flush();
  d.console.line.flush();
  print("domain d{} {}: shut down ({}) after {} exits, {} us of CPU; left to the control domain\n", d.id, d.name,
        shutdown_name(d.shutdown_reason), d.exit_count(), d.sched.run_ns / 1000);
}

void Hypervisor::domain_gone(Domain& d) {
  let_go_of(d); // before anything of it goes: no other CPU still runs or holds one of its vCPUs
  scheduler_.forget(d);
  d.serial.flush();
  d.debug_console.flush();
  console_ring::drain(d); // what it wrote to its ring without notifying
  d.console.line.flush();
  d.p2m.set_observer({});
  const u64 exits = d.exit_count();
  const u64 frames = d.memory.frames + d.overhead.frames;
  // A domain the control domain made was never announced: it reports on it itself.
  switch (d.announced ? d.destroyed_from : DomainState::created) {
  case DomainState::dying:
    print("domain d{} {}: crashed ({}) after {} exits, {} us of CPU; its {} frames go back\n", d.id, d.name,
          d.crash_cause != nullptr ? d.crash_cause : "it said so: SCHEDOP_shutdown(crash)", exits,
          d.sched.run_ns / 1000, frames);
    break;
  case DomainState::shut_down:
    print("domain d{} {}: stopped ({}) after {} exits, {} us of CPU; its {} frames go back\n", d.id, d.name,
          shutdown_name(d.shutdown_reason), exits, d.sched.run_ns / 1000, frames);
    break;
  case DomainState::created:
  case DomainState::running:
    if (d.announced)
      print("domain d{} {}: destroyed by the control domain after {} exits, {} us of CPU; its {} frames go back\n",
            d.id, d.name, exits, d.sched.run_ns / 1000, frames);
    break;
  }
  if (cpus_ > 1 && d.announced) { // where its vCPUs ran, when there was a choice
    u64 ran_on = 0;
    for (u32 i = 0; i < d.vcpu_count; ++i) ran_on |= d.vcpus[i].ran_on;
    print("domain d{} {}: ran on CPU(s)", d.id, d.name);
    for (u32 cpu = 0; cpu < max_cpus; ++cpu)
      if ((ran_on >> cpu & 1) != 0) print(" {}", cpu);
    print("\n");
  }
  if constexpr (config::probes) {
    static constexpr const char* kind_names[guest_exit_kinds] = {
        "hypercall",     "port_io",   "cpuid",           "halt", "second_stage_fault",
        "guest_stopped", "interrupt", "fpu_unavailable", "ipi",  "unhandled"};
    print("probe: domain d{} exits by kind:", d.id);
    for (usize k = 0; k < guest_exit_kinds; ++k)
      if (d.exits_by_kind[k] != 0) print(" {} {}", kind_names[k], d.exits_by_kind[k]);
    print("\n");
  }
  // What the backend built for the domain goes back before the core frees the rest (the core checks
  // that only the Domain object is left in its overhead account).
  AccountFrames tables(frames_, d.overhead, ram_);
  for (u32 i = 0; i < d.vcpu_count; ++i) {
    if (!d.vcpus[i].context_made) continue;           // a vCPU the control domain never gave a state
    fpu_[port::Cpu::index()].forget(d.vcpus[i].arch); // the others stored theirs (let_go_of)
    V::destroy_vcpu(tables, d.vcpus[i].arch);
  }
  if (d.space_made) V::destroy_space(tables, d.arch);
}

} // namespace hv

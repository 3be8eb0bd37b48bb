// SPDX-License-Identifier: Apache-2.0
// The run loop: the scheduler picks a vCPU, the backend runs it until it exits, the exit is handled, and
// the loop decides whether the same vCPU goes on. See hv/domains/hypervisor.hpp.
#include <hv/config.hpp>
#include <hv/console.hpp>
#include <hv/domains/capabilities.hpp>
#include <hv/domains/clock.hpp>
#include <hv/domains/hypervisor.hpp>
#include <hv/domains/machine_frames.hpp>
#include <hv/per_cpu.hpp>

#include <port.hpp>

#include "exit_handler.hpp"

namespace hv {
namespace {

using V = port::Virtualization;

constexpr u64 tick_hz = 1000; // the scheduler's timer: preemption within 1 ms of a deadline

// Each CPU's run queue is told which CPU asks, and asks another CPU to pick again with an IPI.
CreditScheduler::Config scheduler_config() {
  CreditScheduler::Config config;
  config.this_cpu = [] { return port::Cpu::index(); };
  config.kick = [](u32 cpu) { ask_cpu(cpu, cpu_request::reschedule); };
  return config;
}

} // namespace

Hypervisor* Hypervisor::instance_ = nullptr;

Hypervisor::Hypervisor(FrameAllocator& frames, const FrameSource& ram)
    : frames_(frames), ram_(ram), domains_(frames), scheduler_(scheduler_config()),
      timers_(
          domains_, SystemClock{[](const void* self) { return static_cast<const Hypervisor*>(self)->now_ns(); }, this},
          GuestTimeHook{
              [](void* self, Vcpu& v) { static_cast<Hypervisor*>(self)->time_.refresh(v, port::Timer::now()); }, this}),
      env_{domains_, &scheduler_, &timers_, &facts_} {
  // The scheduler hears of run-state changes straight from the domain table; the run time hears of a
  // domain being destroyed, whoever asked for it, and tells the scheduler in turn.
  RunStateHook hook = scheduler_.hook();
  hook.domain_gone = [](void* self, Domain& d) { static_cast<Hypervisor*>(self)->domain_gone(d); };
  hook.shut_down = [](void* self, Domain& d) { static_cast<Hypervisor*>(self)->left_shut_down(d); };
  hook.gone_context = this;
  domains_.set_run_state_hook(hook);
  env_.builder = {[](void* self, Vcpu& target, const Vcpu& caller, u64 record) {
                    return static_cast<Hypervisor*>(self)->set_vcpu_context(target, caller, record);
                  },
                  this};
  add_save_hooks();
  add_dirty_log_hook();
  instance_ = this;
}

bool Hypervisor::enable(const char*& reason) {
  AccountFrames this_cpus(frames_, hypervisor_, ram_);
  if (!V::enable(this_cpus, reason)) return false;
  free_before_ = frames_.free_frames();
  hz_ = port::Timer::frequency_hz();
  time_.init();
  facts_.capabilities = guest_capabilities(capabilities_, sizeof capabilities_);
  facts_.command_line = port::Machine::command_line();
  return true;
}

u64 Hypervisor::now_ns() const { return ns_from_ticks(port::Timer::now(), hz_); }

void Hypervisor::after_tick(Vcpu* running) {
  const u64 ticks = port::Timer::now();
  const u64 now = time_.ns(ticks);
  if (now >= timers_.next_deadline()) timers_.expire(now);
  if (running != nullptr) time_.refresh_if_due(*running, ticks);
}

void Hypervisor::start_domains() {
  for (usize i = 0; i < limits::max_domains; ++i) {
    Domain* d = domains_.slot(i);
    if (d == nullptr || d->state != DomainState::created || domains_.start(*d) != Err::ok) continue;
    for (u32 n = 0; n < d->vcpu_count; ++n) // before they first run
      if (d->vcpus[n].online) time_.refresh(d->vcpus[n], port::Timer::now());
    print("domain d{} {}: started\n", d->id, d->name);
  }
}

bool Hypervisor::anything_can_run() const {
  for (usize i = 0; i < limits::max_domains; ++i) {
    const Domain* d = domains_.slot(i);
    if (d == nullptr) continue;
    for (u32 n = 0; n < d->vcpu_count; ++n)
      if (d->runnable(d->vcpus[n])) return true;
  }
  return false;
}

// A decision's deadline is checked when the scheduler's tick ends the guest's run: every tick does (the
// interrupt exit), so a slice ends within a tick of its deadline, and the other exits, which are not
// about time, read no clock at all.
const char* Hypervisor::run(u64 run_ms) {
  start_domains();
  port::Timer::start_periodic(tick_hz);
  const u64 start_ticks = port::Timer::now();
  const u64 end_ticks = run_ms == 0 ? ~u64{0} : start_ticks + ticks_from_ns(run_ms * 1'000'000, hz_);
  const u32 cpu = port::Cpu::index();
  const bool* const preempt = scheduler_.preempt_flag(cpu);
  Vcpu* last = nullptr;
  u64 left_at = 0; // cycles when the last vCPU's exit was handled (probes)
  GuestExit exit;
  const char* why = nullptr;
  for (;;) {
    domains_.reap();
    const u64 now = port::Timer::now();
    if (now >= end_ticks) [[unlikely]] {
      why = "its run time (hv,run-ms) is up";
      break;
    }
    const CreditScheduler::Decision decision = scheduler_.schedule(cpu, ns_from_ticks(now, hz_));
    Vcpu* const v = decision.vcpu;
    if (v == nullptr) [[unlikely]] { // checked here, off the path from one vCPU to the next
      if (domains_.count() == 0) {
        why = "every domain has stopped";
        break;
      }
      if (!anything_can_run() && timers_.next_deadline() == VcpuTimers::none) {
        why = "every live domain waits for an event that nothing can send";
        break;
      }
      port::Cpu::wait_for_interrupt();
      port::Cpu::interrupts_disable();
      after_tick(nullptr);
      continue;
    }
    Domain& d = *v->domain;
    if (v->last_cpu != cpu) [[unlikely]] { // its first run, or its first here since it ran elsewhere
      arrive<V>(v->arch);
      v->last_cpu = cpu;
    }
    // The decision's vCPU runs exit after exit until something calls for the scheduler again.
    for (;;) {
      if (d.upcall_registered() && d.shared_info.upcall_pending(v->id)) V::raise_upcall(v->arch, d.upcall_vector());
      if constexpr (config::probes) {
        if (v != last) {
          if (last != nullptr) {
            const u64 cycles = port::Cpu::cycles() - left_at;
            ++switches_;
            if (shortest_switch_ == 0 || cycles < shortest_switch_) shortest_switch_ = cycles;
          }
          last = v;
        }
      }
      fpu_.entering(v->arch);
      V::run(v->arch, exit);
      ++v->exits;
      if constexpr (config::probes) ++d.exits_by_kind[static_cast<u8>(exit.kind)];
      handle(*v, exit);
      // A domain that stopped is torn down at the next reschedule, never inside its own exit's handling.
      const bool stopped = d.state != DomainState::running;
      if (stopped || !d.runnable(*v) || __atomic_load_n(preempt, __ATOMIC_RELAXED) ||
          (exit.kind == GuestExitKind::interrupt && now_ns() >= decision.until)) {
        if (stopped) last = nullptr;
        if constexpr (config::probes) left_at = port::Cpu::cycles();
        break;
      }
    }
  }
  port::Timer::stop();
  print("hv: the run ends after {} ms: {}\n", (port::Timer::now() - start_ticks) * 1000 / hz_, why);
  return why;
}

void Hypervisor::report() {
  domains_.reap(); // a domain that crashed or stopped since the last reschedule
  for (usize i = 0; i < limits::max_domains; ++i) {
    Domain* d = domains_.slot(i);
    if (d == nullptr) continue;
    d->serial.flush();
    d->debug_console.flush();
    d->console.line.flush();
    u32 blocked = 0;
    for (u32 v = 0; v < d->vcpu_count; ++v) blocked += d->vcpus[v].blocked ? 1 : 0;
    print("domain d{} {}: still running after {} exits, {} us of CPU; {} of {} vCPUs blocked, upcall {}pending\n",
          d->id, d->name, d->exit_count(), d->sched.run_ns / 1000, blocked, d->vcpu_count,
          d->shared_info.upcall_pending(0) ? "" : "not ");
  }
  print("hv: frames: {} free before the domains were built, {} free now, {} domain(s) live\n", free_before_,
        frames_.free_frames(), domains_.count());
  if constexpr (config::probes) {
    print("probe: vcpu switches {}, shortest {} cycles (exit handled to the next vCPU's entry)\n", switches_,
          shortest_switch_);
    print("probe: hypervisor entered at {} cycles since reset\n", started_at_);
    print("probe: first guest console output at {} cycles since reset\n", first_guest_output_);
  }
}

} // namespace hv

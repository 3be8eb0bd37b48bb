// SPDX-License-Identifier: Apache-2.0
// The run loop: the scheduler picks a vCPU, the backend runs it until it exits, the exit is handled, and
// the loop decides whether the same vCPU goes on. See hv/domains/hypervisor.hpp.
#include <hv/config.hpp>
#include <hv/console.hpp>
#include <hv/cpus.hpp>
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

constexpr u64 tick_hz = 1000;  // the scheduler's timer: preemption within 1 ms of a deadline
constexpr u32 idle_picks = 10; // an idle secondary looks for work every 10 ticks unless asked sooner

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
  hook.paused = [](void* self, Domain& d) { static_cast<Hypervisor*>(self)->wait_off(d); };
  hook.gone_context = this;
  domains_.set_run_state_hook(hook);
  env_.builder = {[](void* self, Vcpu& target, const Vcpu& caller, u64 record) {
                    return static_cast<Hypervisor*>(self)->set_vcpu_context(target, caller, record);
                  },
                  this};
  env_.builder.exit_in_flight = [](void* self, const Domain& d) {
    return static_cast<const Hypervisor*>(self)->exit_in_flight(d);
  };
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
  // On several CPUs the walk reads the domains without the core lock, inside this CPU's ReadSection: a
  // domain destroyed meanwhile stays readable until the walk is done (VcpuTimers::expire).
  if (now >= timers_.next_deadline()) {
    if (!shared_) {
      timers_.expire(now);
    } else {
      ReadSection& reads = this_cpu().reads;
      reads.enter();
      timers_.expire(now);
      reads.leave();
    }
  }
  if (running != nullptr && ticks >= running->time_due) {
    LockGuard hold(running->timers.lock); // a timer firing on another CPU writes the same record
    time_.refresh(*running, ticks);
  }
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

// Other CPUs block and wake vCPUs without the core lock, so one pass over the vCPUs is no snapshot: a
// sender may wake one already read as blocked and then block itself, read later. Each wake-up that may
// end a block counts first (Vcpu::unblocks); a pass during which no count moved saw every vCPU blocked at
// its end, when nothing could have been sending (a vCPU that sends is not blocked). The first pass, the
// usual answer, counts nothing.
bool Hypervisor::anything_can_run() const {
  auto some_runnable = [this] {
    for (usize i = 0; i < limits::max_domains; ++i)
      if (const Domain* d = domains_.slot(i); d != nullptr)
        for (u32 n = 0; n < d->vcpu_count; ++n)
          if (d->runnable(d->vcpus[n])) return true;
    return false;
  };
  auto unblocks = [this] {
    u64 sum = 0;
    for (usize i = 0; i < limits::max_domains; ++i)
      if (const Domain* d = domains_.slot(i); d != nullptr)
        for (u32 n = 0; n < d->vcpu_count; ++n) sum += __atomic_load_n(&d->vcpus[n].unblocks, __ATOMIC_SEQ_CST);
    return sum;
  };
  if (some_runnable()) return true;
  const u64 before = unblocks();
  if (some_runnable()) return true;
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
  return unblocks() != before;
}

// Each secondary's part of enable_secondaries and run, handed to it from the boot CPU.
struct SecondaryEnable {
  Hypervisor* self;
  bool failed;
  const char* reason;
};

bool Hypervisor::enable_secondaries(const char*& reason) {
  const u32 online = cpus_online();
  if (online < 2) return true;
  SecondaryEnable job{this, false, nullptr};
  hand_to_secondaries({[](void* context, u32) {
                         auto& mine = *static_cast<SecondaryEnable*>(context);
                         AccountFrames this_cpus(mine.self->frames_, mine.self->hypervisor_, mine.self->ram_);
                         const char* why = "";
                         if (!V::enable(this_cpus, why)) {
                           mine.reason = why;
                           __atomic_store_n(&mine.failed, true, __ATOMIC_RELEASE);
                         }
                       },
                       &job});
  wait_for_secondaries();
  free_before_ = frames_.free_frames(); // their own pages are the hypervisor's, as the boot CPU's
  if (job.failed) {
    reason = job.reason;
    return false;
  }
  cpus_ = online;
  return true;
}

void Hypervisor::serve(PerCpu& self) {
  if ((__atomic_load_n(&self.requests, __ATOMIC_RELAXED) & cpu_request::store_fpu) == 0) return;
  __atomic_fetch_and(&self.requests, ~cpu_request::store_fpu, __ATOMIC_ACQUIRE);
  const Vcpu* running = __atomic_load_n(&self.current, __ATOMIC_RELAXED);
  fpu_[self.index].store_unless(running != nullptr ? &running->arch : nullptr);
}

void Hypervisor::claim_fpu(PerCpu& self, const Vcpu& v) {
  for (u32 cpu = 0; cpu < cpus_; ++cpu) {
    if (cpu == self.index || !fpu_[cpu].holds(v.arch)) continue;
    ask_cpu(cpu, cpu_request::store_fpu);
    while (fpu_[cpu].holds(v.arch)) serve(self);
  }
}

void Hypervisor::wait_off(Domain& d) {
  if (!shared_) return;
  const u32 me = port::Cpu::index();
  PerCpu& self = per_cpu[me];
  // d's state (dying, paused) was stored before `current` is read here, and a CPU that picks one of d's
  // vCPUs stores `current` before it reads that state (loop): one of the two sees the other.
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
  for (u32 cpu = 0; cpu < cpus_; ++cpu) {
    if (cpu == me) continue;
    PerCpu& other = per_cpu[cpu];
    bool asked = false;
    for (;;) {
      // A vCPU of a live domain: none is destroyed while this CPU holds the core lock.
      const Vcpu* running = __atomic_load_n(&other.current, __ATOMIC_ACQUIRE);
      if (running == nullptr || running->domain != &d) break;
      // In d's guest, or handling one of its exits without the lock: the IPI ends the guest's run, and
      // the CPU leaves the vCPU at its next pick, or before it waits for this lock.
      if (!asked) ask_cpu(cpu, cpu_request::reschedule);
      asked = true;
      serve(self);
    }
  }
}

void Hypervisor::free_retired(PerCpu& self) {
  const FrameAllocator::Retired taken = frames_.take_retired();
  if (shared_)
    ReadSection::wait_for_others(
        cpus_, self.index, [](u32 cpu) -> const ReadSection& { return per_cpu[cpu].reads; }, [&] { serve(self); });
  frames_.release_retired(taken);
}

bool Hypervisor::exit_in_flight(const Domain& d) const {
  const u32 me = port::Cpu::index();
  for (u32 cpu = 0; cpu < cpus_; ++cpu)
    if (cpu != me && __atomic_load_n(&per_cpu[cpu].exiting_in, __ATOMIC_RELAXED) == &d) return true;
  return false;
}

void Hypervisor::let_go_of(Domain& d) {
  if (!shared_) return;
  wait_off(d);
  for (u32 n = 0; n < d.vcpu_count; ++n) claim_fpu(this_cpu(), d.vcpus[n]);
}

bool Hypervisor::lock_core_for(PerCpu& self, Vcpu& v) {
  Domain& d = *v.domain;
  const abi::domid_t id = d.id;
  const u64 generation = d.generation;
  // While it waits, a CPU that holds the lock to destroy d must not wait for this one in turn; one that
  // holds it to look at d (a save) sees the exit waiting here, and lets go of the lock first (again).
  __atomic_store_n(&self.exiting_in, &d, __ATOMIC_RELAXED);
  __atomic_store_n(&self.current, nullptr, __ATOMIC_RELEASE);
  lock_core(self);
  const Domain* now = domains_.find(id);
  if (now != &d || now->generation != generation) { // destroyed meanwhile: v is gone with it
    __atomic_store_n(&self.exiting_in, nullptr, __ATOMIC_RELAXED);
    unlock_core(self);
    return false;
  }
  __atomic_store_n(&self.current, &v, __ATOMIC_RELAXED); // nobody destroys d while this CPU holds the lock
  return true;
}

// A decision's deadline is checked when the scheduler's tick ends the guest's run: every tick does (the
// interrupt exit), so a slice ends within a tick of its deadline, and the other exits, which are not
// about time, read no clock at all.
const char* Hypervisor::run(u64 run_ms) {
  shared_ = cpus_ > 1;
  scheduler_.set_cpus(cpus_);
  start_domains();
  port::Timer::start_periodic(tick_hz);
  const u64 start_ticks = port::Timer::now();
  const u64 end_ticks = run_ms == 0 ? ~u64{0} : start_ticks + ticks_from_ns(run_ms * 1'000'000, hz_);
  if (shared_) {
    frames_.keep_retired(true); // other CPUs may read what a p2m gives up: free_retired
    __atomic_store_n(&over_, false, __ATOMIC_RELAXED);
    hand_to_secondaries({[](void* self, u32 cpu) {
                           auto& h = *static_cast<Hypervisor*>(self);
                           port::Timer::start_periodic(tick_hz);
                           h.loop<true>(cpu, ~u64{0});
                         },
                         this});
  }
  const char* why = shared_ ? loop<true>(port::Cpu::index(), end_ticks) : loop<false>(port::Cpu::index(), end_ticks);
  if (shared_) {
    __atomic_store_n(&over_, true, __ATOMIC_RELEASE);
    for (u32 cpu = 1; cpu < cpus_; ++cpu) ask_cpu(cpu, cpu_request::reschedule);
    wait_for_secondaries(); // each back in its idle loop, outside any guest, before the closing facts
    free_retired(this_cpu());
    frames_.keep_retired(false);
    shared_ = false;
  }
  port::Timer::stop();
  print("hv: the run ends after {} ms: {}\n", (port::Timer::now() - start_ticks) * 1000 / hz_, why);
  return why;
}

// On several CPUs the loop holds no lock of its own: the scheduler's queues, each domain's ports and
// each vCPU's timers have theirs, and the core lock is taken only for what other CPUs change (the cold
// exits, a domain to reap, vCPU timers to fire, the boot CPU's checks when it idles). `current` says which
// vCPU the CPU is busy with, from its pick to the next; the CPU alone writes it, and a CPU that holds the
// core lock to take a domain away waits until no other CPU's `current` is one of its vCPUs (wait_off).
template <bool Several> const char* Hypervisor::loop(u32 cpu, u64 end_ticks) {
  PerCpu& self = per_cpu[cpu];
  LazyFpu& fpu = fpu_[cpu];
  const bool boot = cpu == 0;
  const bool* const preempt = scheduler_.preempt_flag(cpu);
  Vcpu* last = nullptr;
  u64 left_at = 0; // cycles when the last vCPU's exit was handled (probes)
  GuestExit exit;
  const char* why = nullptr;
  for (;;) {
    // What only other CPUs read, written only while there are others (one CPU's loop has none of it).
    if constexpr (Several) {
      __atomic_store_n(&self.current, nullptr, __ATOMIC_RELEASE);
      if (!boot && __atomic_load_n(&over_, __ATOMIC_ACQUIRE)) break;
      serve(self);
      if (domains_.reap_due()) {
        lock_core(self);
        domains_.reap();
        unlock_core(self);
      }
      if (now_ns() >= timers_.next_deadline()) after_tick(nullptr);
    } else {
      domains_.reap();
    }
    const u64 now = port::Timer::now();
    if (now >= end_ticks) [[unlikely]] { // a secondary's is never
      why = "its run time (hv,run-ms) is up";
      break;
    }
    const CreditScheduler::Decision decision = scheduler_.schedule_on<Several>(cpu, ns_from_ticks(now, hz_));
    Vcpu* const v = decision.vcpu;
    if (v == nullptr) [[unlikely]] { // checked here, off the path from one vCPU to the next
      if (boot) {
        lock_core(self);
        domains_.reap(); // one that stopped on another CPU since this one's loop top is not counted
        if (domains_.count() == 0)
          why = "every domain has stopped";
        else if (!anything_can_run() && timers_.nothing_armed())
          why = "every live domain waits for an event that nothing can send";
        unlock_core(self);
        if (why != nullptr) break;
      }
      // A secondary picks again when asked (a vCPU woke on its queue: Config::kick), when the run ends, or
      // every idle_picks ticks to take work from busier queues: not at every tick, which would make idle
      // CPUs contend for the queues' locks with the busy ones.
      u32 ticks = 0;
      do {
        port::Cpu::wait_for_interrupt();
        port::Cpu::interrupts_disable();
      } while (!boot &&
               (__atomic_load_n(&self.requests, __ATOMIC_RELAXED) &
                (cpu_request::reschedule | cpu_request::store_fpu)) == 0 &&
               !__atomic_load_n(&over_, __ATOMIC_ACQUIRE) && ++ticks < idle_picks);
      __atomic_fetch_and(&self.requests, ~cpu_request::reschedule, __ATOMIC_RELAXED);
      if constexpr (!Several) after_tick(nullptr); // on several CPUs, the loop's top
      continue;
    }
    Domain& d = *v->domain;
    if constexpr (Several) {
      // Busy with v from here: a CPU taking its domain away (paused, destroyed) after this store waits
      // for this one; one that did before is seen in the check.
      __atomic_store_n(&self.current, v, __ATOMIC_RELAXED);
      __atomic_thread_fence(__ATOMIC_SEQ_CST); // pairs with wait_off's
      if (!d.runnable(*v)) continue;
    }
    if (v->last_cpu != cpu) [[unlikely]] { // its first run, or its first here since it ran elsewhere
      if constexpr (Several) claim_fpu(self, *v);
      arrive<V>(v->arch);
      v->last_cpu = cpu;
      v->ran_on |= u64{1} << cpu;
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
      fpu.entering(v->arch);
      [[maybe_unused]] bool locked = false;
      if constexpr (Several) {
        __atomic_store_n(&self.in_guest, true, __ATOMIC_RELAXED);
        V::run(v->arch, exit);
        __atomic_store_n(&self.in_guest, false, __ATOMIC_RELEASE);
        serve(self);
        if (needs_core_lock(exit)) {
          if (!lock_core_for(self, *v)) [[unlikely]] { // its domain went meanwhile
            last = nullptr;
            break;
          }
          locked = true;
        }
      } else {
        V::run(v->arch, exit);
      }
      ++v->exits;
      if constexpr (config::probes) ++d.exits_by_kind[static_cast<u8>(exit.kind)];
      // A hypercall handled without the core lock may follow the p2m to the guest's memory (its records,
      // the page tables that translate their addresses): inside the CPU's ReadSection, so that a frame
      // given back meanwhile stays out of the pool until it is done (free_retired). The other hot exits
      // reach no guest page that can be given back.
      [[maybe_unused]] const bool reads = Several && !locked && exit.kind == GuestExitKind::hypercall;
      if constexpr (Several) {
        if (reads) self.reads.enter();
      }
      handle(*v, exit);
      if constexpr (Several) {
        if (reads) self.reads.leave();
      }
      if constexpr (Several) {
        if (locked) {
          // A domctl waits for another CPU's exit of its target: let that CPU have the lock (it asked
          // first), then make the same call again.
          bool gone = false;
          while (self.again) [[unlikely]] {
            self.again = false;
            __atomic_store_n(&self.exiting_in, nullptr, __ATOMIC_RELAXED);
            unlock_core(self);
            if (!lock_core_for(self, *v)) {
              gone = true;
              break;
            }
            handle(*v, exit);
          }
          if (gone) [[unlikely]] {
            last = nullptr;
            break;
          }
          __atomic_store_n(&self.exiting_in, nullptr, __ATOMIC_RELAXED);
          unlock_core(self);
        }
      }
      // A domain that stopped is torn down at the next reschedule, never inside its own exit's handling.
      const bool stopped = d.state_now() != DomainState::running;
      if (stopped || !d.runnable(*v) || __atomic_load_n(preempt, __ATOMIC_RELAXED) ||
          (exit.kind == GuestExitKind::interrupt && now_ns() >= decision.until)) {
        if (stopped) last = nullptr;
        if constexpr (config::probes) left_at = port::Cpu::cycles();
        break;
      }
    }
  }
  __atomic_store_n(&self.current, nullptr, __ATOMIC_RELEASE);
  // Out of the loop it serves nobody's requests: the registers it holds for a vCPU are stored now, so that
  // a CPU still in its loop, which may pick that vCPU before it sees the run end, does not wait for them.
  if constexpr (Several) fpu.store_unless(nullptr);
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

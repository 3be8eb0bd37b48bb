// SPDX-License-Identifier: Apache-2.0
// The credit scheduler: shares the physical CPUs among the runnable vCPUs of all domains by weight, with
// an optional cap per domain, one run queue per CPU.
//
// How it decides (our design; it keeps the family's interface, weight and cap per domain, but not its
// 30 ms credit refill, whose accounting is coarse and whose fairness depends on tick phase):
//  - Credit is kept as weighted virtual time, per vCPU: running for t ns adds t * 65536 * n / weight to
//    the vCPU's vtime, n being its domain's runnable vCPUs (they share the domain's weight, as the
//    family's credit is split among a domain's active vCPUs); on each CPU the vCPU with the lowest vtime
//    runs next. Over any busy interval, the domains that stay runnable on a CPU get its time in
//    proportion to their weights, exactly up to one slice.
//  - A slice is the configured one for a domain of the default weight (256) or heavier, and shorter in
//    proportion to weight for lighter ones (never below min_slice_ns), so that a slice moves a vCPU's
//    vtime by about the same amount. Whenever time is looked at, each vCPU is at most one slice ahead of
//    the others in vtime: with equal slices in time, that is one slice of time for a light domain as for
//    a heavy one, which over a few seconds shows as light domains taking more than their share (100
//    spinners of weights 100-400 for 10 s: +11% for the lightest); with slices by weight, each domain is
//    off by about the same fraction of its own share. (Scaled against the heaviest domain instead, the
//    slice cost the vCPU switch 11 instructions a pick; this one is worked out once per domain.)
//  - Each CPU has its own run queue (a pairing heap on vtime, intrusive in the vCPUs, under its own
//    lock): a pick is O(log n) amortized in the vCPUs queued on that CPU, and no CPU's pick touches
//    another's queue, except an idle CPU taking work (below). Nothing is global but the domains' cap
//    accounting, which is atomic.
//  - A vCPU belongs to one queue: the least loaded CPU its hard affinity allows when it first becomes
//    runnable, then the one it last ran on (its caches and lazily switched registers are there). A CPU
//    that finds its queue empty takes a runnable vCPU from the most loaded queue its affinity allows
//    (migration).
//  - Weights hold across CPUs, not only among the vCPUs that share one: a vCPU of share s (its domain's
//    weight over the domain's runnable vCPUs) on a queue whose shares add up to W gets s / W of that CPU,
//    so when every queue's W is the same, each vCPU's time follows its share machine-wide. Every slice
//    (at most), a CPU compares its queue's W with the heaviest other queue's and moves one vCPU over,
//    or swaps one of its own for a heavier one there, whichever brings the two closer (the first
//    balance_scan entries of each heap are looked at, so the cost is bounded). Two 4-vCPU spinners of
//    weights 256 and 512 on 4 CPUs so end with one vCPU of each on every CPU: 1:2 machine-wide, where
//    placement by count alone may leave both light vCPUs on one CPU and both heavy ones on another.
//  - A vCPU that was idle re-enters its queue at no less than the lowest vtime that ran there since (the
//    queue's floor): blocking neither costs anything nor banks credit to spend later in a burst.
//  - A cap of c% lets a domain's vCPUs together run at most c% of one CPU in each accounting period
//    (period_ns, aligned on multiples of it); past it they are parked until the next period, even if CPUs
//    would otherwise idle.
//  - Yield puts the caller behind every other vCPU that is runnable on its CPU now.
//  - Idle: nothing runnable on a CPU (and nothing to take), schedule() returns no vCPU; idle time is
//    charged to nobody.
//  - A wake-up that should preempt what another CPU runs (or ends its idling) asks that CPU to pick again
//    through Config::kick (the run time's IPI, cpu_request::reschedule).
//
// Who calls: each CPU's run loop (schedule, preempt_pending, yield) for its own queue, and the domain
// table on any CPU, through hook(), when a vCPU's runnability changes; time is the port's Timer::now() in
// ns (simulated in tests). Locks: one per queue, never two held but by an idle CPU taking work (in CPU
// order); none is held when the hook returns.
#pragma once

#include <hv/core/domain_table.hpp>
#include <hv/spinlock.hpp>

namespace hv {

struct CreditSchedulerConfig {
  u64 slice_ns = 10'000'000;    ///< longest uninterrupted run of one vCPU: the heaviest domain's slice
  u64 min_slice_ns = 1'000'000; ///< the shortest slice a light domain gets (the port's tick: no shorter one holds)
  u64 period_ns = 30'000'000;   ///< accounting period over which caps hold
  /// The calling CPU's index (port::Cpu::index in the run time); null: always 0 (one CPU, and tests).
  u32 (*this_cpu)() = nullptr;
  /// Asks `cpu` to call schedule() again soon (the run time's IPI); null: nothing (tests read
  /// preempt_pending). Never called for the calling CPU.
  void (*kick)(u32 cpu) = nullptr;
};

class CreditScheduler {
public:
  using Config = CreditSchedulerConfig;
  struct Decision {
    Vcpu* vcpu; ///< what to run, or nullptr: idle
    u64 until;  ///< when to call schedule() again at the latest (the next timer deadline)
  };

  explicit CreditScheduler(Config config = {}) : config_(config) {
    for (u32 i = 0; i < max_cpus; ++i) queues_[i].index = i;
  }
  CreditScheduler(const CreditScheduler&) = delete;
  CreditScheduler& operator=(const CreditScheduler&) = delete;

  /// The hook to install with DomainTable::set_run_state_hook.
  RunStateHook hook();
  /// CPUs 0 .. count-1 take vCPUs (1 .. max_cpus; 1 until called). Called before any vCPU is runnable and
  /// before a second CPU calls anything here (with one CPU, the queues take no lock).
  void set_cpus(u32 count) {
    cpus_ = count < 1 ? 1 : count > max_cpus ? max_cpus : count;
    for (Queue& q : queues_) q.balanced = cpus_ > 1;
  }
  u32 cpus() const { return cpus_; }
  /// A vCPU's runnability may have changed (reads Domain::runnable). Called through hook(), on any CPU.
  void update(Vcpu& v);
  /// An event for `v`, not blocked: if it runs on another CPU, that CPU is asked to pick again (it leaves
  /// the guest, and its run loop raises the upcall). Called through hook(), on any CPU.
  void event(Vcpu& v);
  /// The domain is being destroyed, and none of its vCPUs runs on any CPU: drop every reference to it.
  /// Called through hook().
  void forget(Domain& d);

  /// On CPU `cpu`: charges the vCPU it ran for the time since it was picked, then picks the next one.
  /// `now` must not go backwards on one CPU.
  Decision schedule(u32 cpu, u64 now) { return cpus_ > 1 ? schedule_on<true>(cpu, now) : schedule_on<false>(cpu, now); }
  Decision schedule(u64 now) { return schedule(0, now); }
  /// The same, for a run loop that knows which it is: `Several` must equal set_cpus()' count > 1. One CPU's
  /// decision then pays for no queue lock, fence or balancing.
  template <bool Several> Decision schedule_on(u32 cpu, u64 now);
  /// SCHEDOP_yield from the vCPU `cpu` runs: at its next schedule() it goes behind every vCPU runnable
  /// there, and that schedule() is due at once (preempt_pending). Called on `cpu`.
  void yield(u32 cpu = 0) {
    queues_[cpu].yield = true;
    __atomic_store_n(&queues_[cpu].preempt, true, __ATOMIC_RELAXED);
  }
  /// Whether a wake-up or a yield since `cpu`'s last schedule() deserves to preempt what it runs (the run
  /// loop then reschedules at once instead of at the deadline).
  bool preempt_pending(u32 cpu = 0) const { return __atomic_load_n(&queues_[cpu].preempt, __ATOMIC_RELAXED); }
  /// What preempt_pending(cpu) reads, for a run loop that checks it after every exit: read it with an
  /// atomic load (other CPUs set it).
  const bool* preempt_flag(u32 cpu) const { return &queues_[cpu].preempt; }

  Vcpu* current(u32 cpu = 0) const {
    const SchedVcpu* c = __atomic_load_n(&queues_[cpu].current, __ATOMIC_RELAXED);
    return c != nullptr ? c->vcpu : nullptr;
  }
  /// vCPUs in `cpu`'s queue (some may have stopped being runnable since), the running one not counted.
  u32 queued(u32 cpu) const { return __atomic_load_n(&queues_[cpu].load, __ATOMIC_RELAXED); }

private:
  static constexpr u64 weight_scale = 65536;

  // One CPU's run queue, a cache line of its own.
  struct alignas(128) Queue {
    SpinLock lock;
    u32 index = 0;
    u32 load = 0;              ///< entries in the heap (atomic for readers elsewhere)
    SchedVcpu* root = nullptr; ///< the pairing heap's root: lowest vtime
    SchedVcpu* parked = nullptr;
    SchedVcpu* current = nullptr; ///< atomic for readers elsewhere
    u64 started = 0;              ///< when current was picked
    u64 floor = 0;                ///< the highest vtime picked here so far
    u64 period_end = 0;           ///< when this queue next takes its parked vCPUs back
    bool preempt = false;         ///< atomic: set by other CPUs too
    bool yield = false;
    bool balanced = false; ///< several CPUs: the shares below are kept
    u64 weighted = 0;      ///< atomic: the shares of the heap's entries
    u64 current_share = 0; ///< atomic: the running vCPU's share, 0 when idle
    u64 balance_at = 0;    ///< when this CPU next compares its queue's weight with the others'
  };

  u32 self() const { return config_.this_cpu != nullptr ? config_.this_cpu() : 0; }
  /// A queue's lock, taken only when several CPUs run: with one, only it ever touches its queue, and the
  /// path from one vCPU to the next keeps its figures (tests/bench/icount).
  void lock(Queue& q) {
    if (cpus_ > 1) q.lock.lock();
  }
  void unlock(Queue& q) {
    if (cpus_ > 1) q.lock.unlock();
  }
  /// Locks `v`'s queue, placing it first if it has none; returns it locked.
  Queue& lock_queue_of(SchedVcpu& v);
  u32 place(const SchedVcpu& v) const;
  void preempt(Queue& q);
  void charge(SchedVcpu& v, u64 ran, u64 now);
  // The cap's accounting, out of line: most domains have none, and the path from one vCPU to the next
  // keeps its registers for the rest (tests/bench/icount).
  [[gnu::noinline]] void charge_cap(SchedDomain& d, u64 ran, u64 now);
  u64 cap_used(const SchedDomain& d, u64 now) const;
  [[gnu::noinline]] bool park_if_over_cap(Queue& q, SchedVcpu& v, u64 now);
  [[gnu::noinline]] u64 cap_deadline(const SchedDomain& d, u64 now, u64 until) const;
  [[gnu::noinline]] static void yield_behind(Queue& q, SchedVcpu& v);
  u64 cap_budget(const SchedDomain& d) const { return config_.period_ns * d.cap / 100; }
  void requeue(Queue& q, SchedVcpu& v);
  void new_period(Queue& q, u64 now) {
    if (now >= q.period_end) [[unlikely]]
      next_period(q, now);
  }
  [[gnu::noinline]] void next_period(Queue& q, u64 now);
  [[gnu::always_inline]] inline SchedVcpu* pick(Queue& q, u64 now);
  /// An idle CPU's work: a runnable vCPU moved to `q` from the most loaded other queue. False: none.
  [[gnu::noinline]] bool take_work(Queue& q);
  /// The shares of `cpu`'s queue and of the vCPU it runs (read from any CPU).
  u64 weight_of(u32 cpu) const {
    return __atomic_load_n(&queues_[cpu].weighted, __ATOMIC_RELAXED) +
           __atomic_load_n(&queues_[cpu].current_share, __ATOMIC_RELAXED);
  }
  /// Moves or swaps vCPUs between `q` and the heaviest other queue when that brings their weights closer
  /// (see the top of this file); called on q's CPU without its lock.
  [[gnu::noinline]] void balance(Queue& q);
  static constexpr u32 balance_scan = 16;
  static u64 share_of(const SchedVcpu& v) {
    const u32 n = __atomic_load_n(&v.domain->runnable, __ATOMIC_RELAXED);
    return u64{v.domain->weight} * weight_scale / (n > 1 ? n : 1);
  }

  static SchedVcpu* meld(SchedVcpu* a, SchedVcpu* b);
  [[gnu::noinline]] static SchedVcpu* merge_pairs(SchedVcpu* first);
  static void push(Queue& q, SchedVcpu& v);
  static SchedVcpu* pop(Queue& q);

  static constexpr u64 default_weight = 256;
  /// How long a vCPU of a domain of `weight` runs when picked: the slice, scaled down for a weight below
  /// the default.
  u64 slice_for(u64 weight) const {
    if (weight >= default_weight) return config_.slice_ns;
    const u64 slice = config_.slice_ns * weight / default_weight;
    return slice > config_.min_slice_ns ? slice : config_.min_slice_ns;
  }

  Config config_;
  u32 cpus_ = 1;

  Queue queues_[max_cpus];
};

} // namespace hv

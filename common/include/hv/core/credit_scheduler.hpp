// SPDX-License-Identifier: Apache-2.0
// The credit scheduler: shares one physical CPU among the runnable vCPUs of all domains by weight, with
// an optional cap per domain.
//
// How it decides (our design; it keeps the family's interface, weight and cap per domain, but not its
// 30 ms credit refill, whose accounting is coarse and whose fairness depends on tick phase):
//  - Credit is kept as weighted virtual time. Running for t ns adds t * 65536 / weight to the domain's
//    vtime; the domain with the lowest vtime runs next. Over any busy interval, domains that stay
//    runnable get CPU time in proportion to their weights, exactly up to one slice.
//  - A slice is the configured one for the heaviest domain and shorter in proportion to weight for the
//    others (never below min_slice_ns), so that every slice moves a domain's vtime by about the same
//    amount. Whenever time is looked at, each domain is at most one slice ahead of the others in vtime:
//    with equal slices in time, that is one slice of time for a light domain as for a heavy one, which
//    over a few seconds shows as light domains taking more than their share (100 spinners of weights
//    100-400 for 10 s: +11% for the lightest); with slices by weight, every domain is off by the same
//    fraction of its own share.
//  - Domains with runnable vCPUs sit in a binary min-heap on vtime: picking is O(log domains) and
//    within a domain its runnable vCPUs take turns in FIFO order (O(1)), so a pick is O(log n) in the
//    number of runnable vCPUs or better.
//  - A domain that was idle re-enters at no less than the lowest vtime that ran since (the floor):
//    blocking neither costs anything nor banks credit to spend later in a burst that would starve others.
//  - A cap of c% lets a domain run at most c% of each accounting period (period_ns); past it the domain
//    is parked until the next period, even if the CPU would otherwise idle.
//  - Yield puts the caller behind every other domain that is runnable now.
//  - Idle: nothing runnable, schedule() returns no vCPU; idle time is charged to nobody.
//
// Who calls: the port's timer tick and the hypercalls that block, yield or wake vCPUs; time is the
// port's Timer::now() in ns (simulated in tests). The DomainTable reports run-state changes through
// hook(). One instance per physical CPU; not yet SMP-aware (no migration, no lock).
#pragma once

#include <hv/core/domain_table.hpp>

namespace hv {

struct CreditSchedulerConfig {
  u64 slice_ns = 10'000'000;    ///< longest uninterrupted run of one vCPU: the heaviest domain's slice
  u64 min_slice_ns = 1'000'000; ///< the shortest slice a light domain gets (the port's tick: no shorter one holds)
  u64 period_ns = 30'000'000;   ///< accounting period over which caps hold
};

class CreditScheduler {
public:
  using Config = CreditSchedulerConfig;
  struct Decision {
    Vcpu* vcpu; ///< what to run, or nullptr: idle
    u64 until;  ///< when to call schedule() again at the latest (the next timer deadline)
  };

  explicit CreditScheduler(Config config = {}) : config_(config) {}

  /// The hook to install with DomainTable::set_run_state_hook.
  RunStateHook hook();
  /// A vCPU's runnability may have changed (reads Domain::runnable). Called through hook().
  void update(Vcpu& v);
  /// The domain is being destroyed: drop every reference to it. Called through hook().
  void forget(Domain& d);

  /// Charges the running vCPU for the time since it was picked, then picks the next one. `now` must
  /// not go backwards.
  Decision schedule(u64 now);
  /// SCHEDOP_yield from the running vCPU: at the next schedule() it goes behind every runnable domain,
  /// and that schedule() is due at once (preempt_pending).
  void yield() {
    yield_ = true;
    preempt_ = true;
  }
  /// Whether a wake-up or a yield since the last schedule() deserves to preempt the running vCPU (the
  /// port then reschedules at once instead of at the deadline).
  bool preempt_pending() const { return preempt_; }

  Vcpu* current() const { return current_ != nullptr ? current_->vcpu : nullptr; }
  usize runnable_domains() const { return heap_size_; }

private:
  static constexpr u64 weight_scale = 65536;

  void attach(SchedDomain& d);
  void enqueue(SchedVcpu& v);
  void dequeue(SchedVcpu& v);
  void charge(SchedVcpu& v, u64 ran);
  /// Starts the next accounting period when this one is over. Inline, the one comparison of nearly
  /// every call; next_period does the rest.
  void new_period(u64 now) {
    if (period_end_ == 0 || now >= period_end_) next_period(now);
  }
  [[gnu::noinline]] void next_period(u64 now);
  u64 cap_budget(const SchedDomain& d) const { return config_.period_ns * d.cap / 100; }
  /// How long `d` runs when picked: the slice scaled by its weight against the heaviest domain's.
  u64 slice_for(const SchedDomain& d) const {
    const u64 slice = config_.slice_ns * d.weight / heaviest_;
    return slice > config_.min_slice_ns ? slice : config_.min_slice_ns;
  }

  void heap_push(SchedDomain& d);
  void heap_remove(SchedDomain& d);
  void heap_update(SchedDomain& d); // after its vtime grew
  void sift_up(u32 i);
  void sift_down(u32 i);
  void heap_set(u32 i, SchedDomain* d) {
    heap_[i] = d;
    d->heap_index = i;
  }

  Config config_;
  SchedDomain* heap_[limits::max_domains] = {};
  u32 heap_size_ = 0;
  SchedDomain* attached_[limits::max_domains] = {};
  SchedVcpu* current_ = nullptr;
  u64 started_ = 0;
  u64 floor_ = 0;
  u16 heaviest_ = 1; ///< the largest weight among the attached domains (weights are fixed at creation)
  u64 period_end_ = 0;
  bool yield_ = false;
  bool preempt_ = false;
};

} // namespace hv

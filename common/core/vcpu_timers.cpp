// SPDX-License-Identifier: Apache-2.0
// Per-vCPU timers. See hv/core/vcpu_timers.hpp for the contract.
#include <hv/core/domain_table.hpp>
#include <hv/core/vcpu_timers.hpp>

namespace hv {
namespace {

/// The family's longest period (STIME_DELTA_MAX): a signed 64-bit nanosecond count.
constexpr u64 max_period_ns = ~u64{0} >> 1;

u64 after(u64 now, u64 period) { return period > VcpuTimers::none - now ? VcpuTimers::none : now + period; }

/// How often a paused domain's due timers are looked at again: they fire about this long after its
/// unpause at most (the run time's tick).
constexpr u64 paused_recheck_ns = 1'000'000;

} // namespace

void VcpuTimers::arm(u64 deadline) {
  u64 next = __atomic_load_n(&next_, __ATOMIC_RELAXED);
  while (deadline < next &&
         !__atomic_compare_exchange_n(&next_, &next, deadline, true, __ATOMIC_RELEASE, __ATOMIC_RELAXED)) {
  }
}

void VcpuTimers::refresh_time(Vcpu& v) const {
  LockGuard hold(v.timers.lock);
  refresh_locked(v);
}

u64 VcpuTimers::now_of(const Domain& d) const { return clock_.now() + d.time_offset_ns; }

u64 VcpuTimers::from_guest(const Domain& d, u64 guest_ns) {
  return guest_ns > d.time_offset_ns ? guest_ns - d.time_offset_ns : 0;
}

Err VcpuTimers::set_singleshot(Vcpu& v, u64 guest_deadline, bool future_only) {
  const u64 now = clock_.now();
  const u64 deadline = from_guest(*v.domain, guest_deadline);
  if (future_only && deadline < now) return Err::time;
  LockGuard hold(v.timers.lock);
  v.timers.singleshot = deadline;
  if (deadline <= now)
    fire(v, now);
  else
    arm(deadline);
  return Err::ok;
}

void VcpuTimers::stop_singleshot(Vcpu& v) {
  LockGuard hold(v.timers.lock);
  v.timers.singleshot = none;
}

Err VcpuTimers::restore(Vcpu& v, u64 singleshot_in, u64 periodic_in, u64 period) {
  if ((period == 0) != (periodic_in == none)) return Err::inval;
  if (period != 0 && (period < min_period_ns || period > max_period_ns || periodic_in > period)) return Err::inval;
  const u64 now = clock_.now();
  LockGuard hold(v.timers.lock);
  v.timers.singleshot = singleshot_in == none ? none : after(now, singleshot_in);
  v.timers.period = period;
  v.timers.periodic = periodic_in == none ? none : after(now, periodic_in);
  arm(v.timers.singleshot);
  arm(v.timers.periodic);
  return Err::ok;
}

Err VcpuTimers::set_periodic(Vcpu& v, u64 period) {
  if (period < min_period_ns || period > max_period_ns) return Err::inval;
  LockGuard hold(v.timers.lock);
  v.timers.period = period;
  v.timers.periodic = after(clock_.now(), period);
  arm(v.timers.periodic);
  return Err::ok;
}

void VcpuTimers::stop_periodic(Vcpu& v) {
  LockGuard hold(v.timers.lock);
  v.timers.period = 0;
  v.timers.periodic = none;
}

void VcpuTimers::wake_at(Vcpu& v, u64 deadline) {
  LockGuard hold(v.timers.lock);
  v.timers.wake = deadline;
  v.timers.wake_wakeups = __atomic_load_n(&v.wakeups, __ATOMIC_RELAXED);
  arm(deadline);
}

void VcpuTimers::fire(Vcpu& v, u64 now) {
  VcpuTimerState& t = v.timers;
  Domain& d = *v.domain;
  if (d.state == DomainState::shut_down || d.state == DomainState::dying) { // never hears of them again
    t.clear();
    return;
  }
  // A paused domain's timers, or a restored one's not started yet, fire once it runs: while it is
  // paused (saved, say) nothing of it changes but what other domains send it. DomainTable::pause waits
  // for a firing under way.
  if (d.state != DomainState::running || __atomic_load_n(&d.pause_count, __ATOMIC_ACQUIRE) != 0) return;
  bool virq = false;
  if (t.singleshot <= now) {
    t.singleshot = none;
    virq = true;
  }
  if (t.periodic <= now) {
    virq = true;
    t.periodic = after(t.periodic, t.period); // in phase, unless periods were missed
    if (t.periodic <= now) t.periodic = after(now, t.period);
  }
  if (t.wake <= now) {
    t.wake = none;
    if (__atomic_load_n(&v.blocked, __ATOMIC_SEQ_CST) &&
        __atomic_load_n(&v.wakeups, __ATOMIC_RELAXED) == t.wake_wakeups)
      domains_.vcpu_kick(v);
  }
  if (!virq) return;
  refresh_locked(v);
  evtchn::send_virq(domains_, d, abi::virq::timer, v.id);
}

// next_ goes to none first and takes the minimum of what the walk found last: a timer armed on another CPU
// meanwhile either is seen by the walk (its vCPU's lock orders the two) or lowers next_ after the store.
void VcpuTimers::expire(u64 now) {
  u32 walks = __atomic_load_n(&walks_, __ATOMIC_RELAXED);
  if ((walks & 1) != 0 ||
      !__atomic_compare_exchange_n(&walks_, &walks, walks + 1, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
    return;
  __atomic_store_n(&next_, none, __ATOMIC_SEQ_CST);
  u64 next = none;
  for (usize i = 0; i < limits::max_domains; ++i) {
    Domain* d = domains_.slot(i);
    if (d == nullptr) continue;
    for (u32 n = 0; n < d->vcpu_count; ++n) {
      Vcpu& v = d->vcpus[n];
      LockGuard hold(v.timers.lock);
      if (v.timers.earliest() <= now) fire(v, now);
      u64 due = v.timers.earliest();
      // Still due: its domain is paused. Looked at again a little later rather than at every pick of
      // every CPU until it is unpaused.
      if (due <= now) due = after(now, paused_recheck_ns);
      next = due < next ? due : next;
    }
  }
  arm(next);
  __atomic_store_n(&walks_, walks + 2, __ATOMIC_SEQ_CST);
}

bool VcpuTimers::nothing_armed() const {
  const u32 before = __atomic_load_n(&walks_, __ATOMIC_SEQ_CST);
  if ((before & 1) != 0) return false;
  const u64 next = __atomic_load_n(&next_, __ATOMIC_SEQ_CST);
  return next == none && __atomic_load_n(&walks_, __ATOMIC_SEQ_CST) == before;
}

} // namespace hv

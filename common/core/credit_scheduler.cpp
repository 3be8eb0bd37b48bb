// SPDX-License-Identifier: Apache-2.0
// The credit scheduler. See hv/core/credit_scheduler.hpp for how it decides and what it promises.
#include <hv/core/credit_scheduler.hpp>
#include <hv/panic.hpp>

namespace hv {
namespace {

u32 load_u32(const u32& x) { return __atomic_load_n(&x, __ATOMIC_RELAXED); }

} // namespace

RunStateHook CreditScheduler::hook() {
  RunStateHook h;
  h.changed = [](void* self, Vcpu& v) { static_cast<CreditScheduler*>(self)->update(v); };
  h.domain_gone = [](void* self, Domain& d) { static_cast<CreditScheduler*>(self)->forget(d); };
  h.event = [](void* self, Vcpu& v) { static_cast<CreditScheduler*>(self)->event(v); };
  h.context = this;
  return h;
}

// The least loaded CPU its affinity allows (the running vCPU counts as load); CPU 0 when the affinity
// names none of the CPUs in use (a description's pinning to CPUs this machine lacks).
u32 CreditScheduler::place(const SchedVcpu& v) const {
  u32 best = SchedVcpu::no_cpu;
  u32 best_load = ~u32{0};
  for (u32 cpu = 0; cpu < cpus_; ++cpu) {
    if ((v.affinity >> cpu & 1) == 0) continue;
    const u32 load = queued(cpu) + (current(cpu) != nullptr ? 1 : 0);
    if (load < best_load) {
      best = cpu;
      best_load = load;
    }
  }
  return best != SchedVcpu::no_cpu ? best : 0;
}

CreditScheduler::Queue& CreditScheduler::lock_queue_of(SchedVcpu& v) {
  for (;;) {
    u32 cpu = __atomic_load_n(&v.cpu, __ATOMIC_ACQUIRE);
    if (cpu == SchedVcpu::no_cpu) {
      const u32 chosen = place(v);
      // Two CPUs may place it at once: the first one's choice holds.
      __atomic_compare_exchange_n(&v.cpu, &cpu, chosen, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
      cpu = __atomic_load_n(&v.cpu, __ATOMIC_ACQUIRE);
    }
    Queue& q = queues_[cpu];
    lock(q);
    if (__atomic_load_n(&v.cpu, __ATOMIC_RELAXED) == cpu) return q; // not moved meanwhile (take_work)
    unlock(q);
  }
}

void CreditScheduler::preempt(Queue& q) {
  __atomic_store_n(&q.preempt, true, __ATOMIC_RELAXED);
  if (cpus_ > 1 && config_.kick != nullptr && q.index != self()) config_.kick(q.index);
}

void CreditScheduler::update(Vcpu& v) {
  SchedVcpu& s = v.sched;
  Queue& q = lock_queue_of(s);
  const bool runnable = v.domain->runnable(v);
  if (runnable != s.runnable) {
    s.runnable = runnable;
    if (s.domain->slice_ns == 0) [[unlikely]] // weights are fixed at creation
      s.domain->slice_ns = slice_for(s.domain->weight);
    __atomic_fetch_add(&s.domain->runnable, runnable ? 1u : ~0u, __ATOMIC_RELAXED);
    if (s.running) {
      if (!runnable) preempt(q); // it stopped (blocked, paused): run something else now
    } else if (runnable) {
      // Not in the heap nor parked: it enters at no less than the queue's floor (no credit banked while
      // idle). Still in the heap from before: it was never dropped, and counts again as it is.
      if (!s.in_heap && !s.parked) {
        if (s.vtime < q.floor) s.vtime = q.floor;
        push(q, s);
      } else if (s.in_heap && s.share == 0 && q.balanced) { // it weighs again (see below)
        s.share = share_of(s);
        __atomic_store_n(&q.weighted, q.weighted + s.share, __ATOMIC_RELAXED);
      }
      const SchedVcpu* running = q.current;
      if (running == nullptr || s.vtime <= running->vtime) preempt(q);
    }
    // A vCPU that stops being runnable while queued stays in the heap until a pick drops it; its share
    // stops weighing on the queue now (balance would see an idle CPU's blocked vCPUs as load).
    if (!runnable && s.in_heap && q.balanced) {
      __atomic_store_n(&q.weighted, q.weighted - s.share, __ATOMIC_RELAXED);
      s.share = 0;
    }
  }
  unlock(q);
}

// The event's pending bits were set with an atomic read-modify-write before this load, and the CPU that
// runs `v` set `running` before its fence and its check of them (schedule()): one of the two sees the
// other, so the upcall is never left for a later exit.
void CreditScheduler::event(Vcpu& v) {
  const SchedVcpu& s = v.sched;
  if (cpus_ == 1 || !__atomic_load_n(&s.running, __ATOMIC_ACQUIRE) || config_.kick == nullptr) return;
  const u32 cpu = __atomic_load_n(&s.cpu, __ATOMIC_RELAXED);
  if (cpu != self()) config_.kick(cpu);
}

void CreditScheduler::forget(Domain& dom) {
  for (u32 cpu = 0; cpu < max_cpus; ++cpu) {
    Queue& q = queues_[cpu];
    LockGuard hold(q.lock);
    if (q.current != nullptr && q.current->vcpu->domain == &dom) {
      __atomic_store_n(&q.current, nullptr, __ATOMIC_RELAXED);
      __atomic_store_n(&q.current_share, 0, __ATOMIC_RELAXED);
    }
    // Rebuilt without the domain's vCPUs: destruction is rare, and the heap has no back links.
    SchedVcpu* kept = nullptr;
    while (q.root != nullptr) {
      SchedVcpu* v = pop(q);
      if (v->vcpu->domain == &dom) continue;
      v->parked_next = kept;
      kept = v;
    }
    for (SchedVcpu* v = kept; v != nullptr;) {
      SchedVcpu* next = v->parked_next;
      v->parked_next = nullptr;
      push(q, *v);
      v = next;
    }
    SchedVcpu** link = &q.parked;
    while (*link != nullptr) {
      if ((*link)->vcpu->domain == &dom)
        *link = (*link)->parked_next;
      else
        link = &(*link)->parked_next;
    }
  }
  for (u32 i = 0; i < dom.vcpu_count; ++i) {
    SchedVcpu& s = dom.vcpus[i].sched;
    s.in_heap = s.parked = s.running = s.runnable = false;
    s.child = s.sibling = s.parked_next = nullptr;
  }
  dom.sched.runnable = 0;
}

void CreditScheduler::charge(SchedVcpu& v, u64 ran, u64 now) {
  SchedDomain& d = *v.domain;
  v.run_ns += ran;
  __atomic_fetch_add(&d.run_ns, ran, __ATOMIC_RELAXED);
  const u32 sharing = load_u32(d.runnable);
  v.vtime += ran * weight_scale * (sharing > 1 ? sharing : 1) / d.weight;
  if (d.cap != 0) [[unlikely]]
    charge_cap(d, ran, now);
}

void CreditScheduler::charge_cap(SchedDomain& d, u64 ran, u64 now) {
  const u64 period = now / config_.period_ns;
  if (__atomic_exchange_n(&d.period, period, __ATOMIC_RELAXED) != period)
    __atomic_store_n(&d.period_used, 0, __ATOMIC_RELAXED); // the first charge of a new period
  __atomic_fetch_add(&d.period_used, ran, __ATOMIC_RELAXED);
}

u64 CreditScheduler::cap_used(const SchedDomain& d, u64 now) const {
  if (__atomic_load_n(&d.period, __ATOMIC_RELAXED) != now / config_.period_ns) return 0; // nothing used yet
  return __atomic_load_n(&d.period_used, __ATOMIC_RELAXED);
}

bool CreditScheduler::park_if_over_cap(Queue& q, SchedVcpu& v, u64 now) {
  if (cap_used(*v.domain, now) < cap_budget(*v.domain)) return false;
  v.parked = true;
  v.parked_next = q.parked;
  q.parked = &v;
  return true;
}

u64 CreditScheduler::cap_deadline(const SchedDomain& d, u64 now, u64 until) const {
  const u64 left = cap_budget(d) - cap_used(d, now);
  return now + left < until ? now + left : until;
}

void CreditScheduler::yield_behind(Queue& q, SchedVcpu& v) {
  if (q.root != nullptr && q.root->runnable && v.vtime <= q.root->vtime) v.vtime = q.root->vtime + 1;
}

void CreditScheduler::requeue(Queue& q, SchedVcpu& v) {
  if (v.in_heap || v.parked) return;
  push(q, v);
}

void CreditScheduler::next_period(Queue& q, u64 now) {
  q.period_end = (now / config_.period_ns + 1) * config_.period_ns;
  SchedVcpu* v = q.parked;
  q.parked = nullptr;
  while (v != nullptr) {
    SchedVcpu* next = v->parked_next;
    v->parked_next = nullptr;
    v->parked = false;
    if (v->runnable) {
      if (v->vtime < q.floor) v->vtime = q.floor;
      push(q, *v);
    }
    v = next;
  }
}

// The lowest vtime that may run: dropped on the way, those no longer runnable; parked, those whose domain
// is over its cap.
SchedVcpu* CreditScheduler::pick(Queue& q, u64 now) {
  while (q.root != nullptr) {
    SchedVcpu* v = pop(q);
    if (!v->runnable) continue;
    if (v->domain->cap != 0 && park_if_over_cap(q, *v, now)) [[unlikely]]
      continue;
    return v;
  }
  return nullptr;
}

template <bool Several> CreditScheduler::Decision CreditScheduler::schedule_on(u32 cpu, u64 now) {
  Queue& q = queues_[cpu];
  if constexpr (Several) q.lock.lock();
  __atomic_store_n(&q.preempt, false, __ATOMIC_RELAXED);
  if (SchedVcpu* c = q.current; c != nullptr) {
    __atomic_store_n(&q.current, nullptr, __ATOMIC_RELAXED);
    __atomic_store_n(&c->running, false, __ATOMIC_RELAXED);
    check(now >= q.started, "scheduler time does not go backwards");
    charge(*c, now - q.started, now);
    if (c->runnable) {
      if (q.yield) [[unlikely]]
        yield_behind(q, *c);
      requeue(q, *c);
    }
    if (Several && q.balanced) [[unlikely]]
      __atomic_store_n(&q.current_share, 0, __ATOMIC_RELAXED);
  }
  q.yield = false;
  new_period(q, now);
  if (Several && q.balanced && now >= q.balance_at) [[unlikely]] {
    q.balance_at = now + config_.slice_ns;
    q.lock.unlock();
    balance(q);
    q.lock.lock();
  }

  SchedVcpu* v = pick(q, now);
  if (Several && v == nullptr) [[unlikely]] {
    q.lock.unlock();
    const bool took = take_work(q);
    q.lock.lock();
    if (took) v = pick(q, now);
  }
  if (v == nullptr) {
    const u64 until = q.period_end; // idle; a parked vCPU may run next period
    if constexpr (Several) q.lock.unlock();
    return {nullptr, until};
  }
  __atomic_store_n(&v->running, true, __ATOMIC_RELAXED);
  __atomic_store_n(&q.current, v, __ATOMIC_RELAXED);
  if constexpr (Several) {
    if (q.balanced) __atomic_store_n(&q.current_share, v->share, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST); // before the run loop reads its upcall's bits: event()
  }
  q.started = now;
  if (v->vtime > q.floor) q.floor = v->vtime;

  u64 until = now + v->domain->slice_ns;
  if (v->domain->cap != 0) [[unlikely]]
    until = cap_deadline(*v->domain, now, until);
  if (q.period_end < until) until = q.period_end;
  if constexpr (Several) q.lock.unlock();
  return {v->vcpu, until};
}

template CreditScheduler::Decision CreditScheduler::schedule_on<false>(u32 cpu, u64 now);
template CreditScheduler::Decision CreditScheduler::schedule_on<true>(u32 cpu, u64 now);

// Both queues locked in CPU order (the only place two are held): the victim's entries are popped until
// one runnable vCPU this CPU may run turns up, the others pushed back.
bool CreditScheduler::take_work(Queue& q) {
  u32 victim = SchedVcpu::no_cpu;
  u32 most = 0;
  for (u32 cpu = 0; cpu < cpus_; ++cpu) {
    const u32 load = queued(cpu);
    if (cpu != q.index && load > most) {
      most = load;
      victim = cpu;
    }
  }
  if (victim == SchedVcpu::no_cpu) return false;
  Queue& from = queues_[victim];
  Queue& first = from.index < q.index ? from : q;
  Queue& second = from.index < q.index ? q : from;
  LockGuard hold_first(first.lock);
  LockGuard hold_second(second.lock);
  SchedVcpu* passed = nullptr;
  SchedVcpu* taken = nullptr;
  while (from.root != nullptr && taken == nullptr) {
    SchedVcpu* v = pop(from);
    if (!v->runnable) continue; // dropped, as a pick there would
    if ((v->affinity >> q.index & 1) != 0) {
      taken = v;
      break;
    }
    v->parked_next = passed;
    passed = v;
  }
  while (passed != nullptr) {
    SchedVcpu* next = passed->parked_next;
    passed->parked_next = nullptr;
    push(from, *passed);
    passed = next;
  }
  if (taken == nullptr) return false;
  // Its vtime was the other queue's measure: it enters this one at no less than this floor.
  if (taken->vtime < q.floor) taken->vtime = q.floor;
  __atomic_store_n(&taken->cpu, q.index, __ATOMIC_RELEASE);
  push(q, *taken);
  return true;
}

namespace {

// A vCPU moved between queues keeps its lead over the floor of the one it leaves: each queue's vtime is its
// own measure.
void carry_vtime(SchedVcpu& v, u64 from_floor, u64 to_floor) {
  v.vtime = to_floor + (v.vtime > from_floor ? v.vtime - from_floor : 0);
}

// How far apart two queues' weights end up when `moved` goes from the heavier (`gap` heavier) to the other,
// ~0 when that brings them no closer (moved must be below the gap).
u64 gap_after(u64 gap, u64 moved) {
  if (moved == 0 || moved >= gap) return ~u64{0};
  return gap > 2 * moved ? gap - 2 * moved : 2 * moved - gap;
}

} // namespace

// Both queues locked in CPU order, as take_work. The first balance_scan runnable entries of each heap are
// popped (not-runnable ones dropped, as a pick would); the best move or swap among them is made; the rest
// go back where they were.
void CreditScheduler::balance(Queue& q) {
  u32 victim = SchedVcpu::no_cpu;
  u64 heaviest = weight_of(q.index);
  for (u32 cpu = 0; cpu < cpus_; ++cpu) {
    if (cpu == q.index) continue;
    if (const u64 w = weight_of(cpu); w > heaviest) {
      heaviest = w;
      victim = cpu;
    }
  }
  if (victim == SchedVcpu::no_cpu) return;
  Queue& from = queues_[victim];
  Queue& first = from.index < q.index ? from : q;
  Queue& second = from.index < q.index ? q : from;
  LockGuard hold_first(first.lock);
  LockGuard hold_second(second.lock);
  const u64 theirs_weight = weight_of(victim), mine_weight = weight_of(q.index);
  if (theirs_weight <= mine_weight) return;
  const u64 gap = theirs_weight - mine_weight;

  SchedVcpu* theirs[balance_scan];
  SchedVcpu* mine[balance_scan];
  u32 n_theirs = 0, n_mine = 0;
  while (from.root != nullptr && n_theirs < balance_scan)
    if (SchedVcpu* v = pop(from); v->runnable) theirs[n_theirs++] = v;
  while (q.root != nullptr && n_mine < balance_scan)
    if (SchedVcpu* v = pop(q); v->runnable) mine[n_mine++] = v;

  u64 best = gap;
  u32 take = balance_scan, give = balance_scan; // give == balance_scan: a move, not a swap
  for (u32 i = 0; i < n_theirs; ++i) {
    if ((theirs[i]->affinity >> q.index & 1) == 0) continue;
    if (const u64 after = gap_after(gap, theirs[i]->share); after < best) {
      best = after;
      take = i;
      give = balance_scan;
    }
    for (u32 j = 0; j < n_mine; ++j) {
      if ((mine[j]->affinity >> victim & 1) == 0 || mine[j]->share >= theirs[i]->share) continue;
      if (const u64 after = gap_after(gap, theirs[i]->share - mine[j]->share); after < best) {
        best = after;
        take = i;
        give = j;
      }
    }
  }
  if (take != balance_scan) {
    SchedVcpu& t = *theirs[take];
    carry_vtime(t, from.floor, q.floor);
    __atomic_store_n(&t.cpu, q.index, __ATOMIC_RELEASE);
    theirs[take] = nullptr;
    push(q, t);
    if (give != balance_scan) {
      SchedVcpu& g = *mine[give];
      carry_vtime(g, q.floor, from.floor);
      __atomic_store_n(&g.cpu, victim, __ATOMIC_RELEASE);
      mine[give] = nullptr;
      push(from, g);
      preempt(from); // that CPU may be idle, or run a vCPU with more vtime than g
    }
  }
  for (u32 i = 0; i < n_theirs; ++i)
    if (theirs[i] != nullptr) push(from, *theirs[i]);
  for (u32 j = 0; j < n_mine; ++j)
    if (mine[j] != nullptr) push(q, *mine[j]);
}

// The pairing heap: the root has the lowest vtime; a node's children hang off `child` through `sibling`.

SchedVcpu* CreditScheduler::meld(SchedVcpu* a, SchedVcpu* b) {
  if (a == nullptr) return b;
  if (b == nullptr) return a;
  if (b->vtime < a->vtime) {
    SchedVcpu* t = a;
    a = b;
    b = t;
  }
  b->sibling = a->child;
  a->child = b;
  return a;
}

// Two passes: pairs melded left to right, then the pairs melded right to left (iteratively: no recursion
// as deep as the heap is wide).
SchedVcpu* CreditScheduler::merge_pairs(SchedVcpu* first) {
  SchedVcpu* pairs = nullptr;
  while (first != nullptr) {
    SchedVcpu* a = first;
    SchedVcpu* b = a->sibling;
    if (b == nullptr) {
      a->sibling = pairs;
      pairs = a;
      break;
    }
    first = b->sibling;
    a->sibling = b->sibling = nullptr;
    SchedVcpu* m = meld(a, b);
    m->sibling = pairs;
    pairs = m;
  }
  SchedVcpu* result = nullptr;
  while (pairs != nullptr) {
    SchedVcpu* next = pairs->sibling;
    pairs->sibling = nullptr;
    result = meld(result, pairs);
    pairs = next;
  }
  return result;
}

void CreditScheduler::push(Queue& q, SchedVcpu& v) {
  v.child = v.sibling = nullptr;
  v.in_heap = true;
  q.root = meld(q.root, &v);
  __atomic_store_n(&q.load, q.load + 1, __ATOMIC_RELAXED);
  if (q.balanced) [[unlikely]] {
    v.share = share_of(v);
    __atomic_store_n(&q.weighted, q.weighted + v.share, __ATOMIC_RELAXED);
  }
}

SchedVcpu* CreditScheduler::pop(Queue& q) {
  SchedVcpu* r = q.root;
  q.root = r->child != nullptr ? merge_pairs(r->child) : nullptr;
  r->child = nullptr;
  r->in_heap = false;
  __atomic_store_n(&q.load, q.load - 1, __ATOMIC_RELAXED);
  if (q.balanced) [[unlikely]]
    __atomic_store_n(&q.weighted, q.weighted - r->share, __ATOMIC_RELAXED);
  return r;
}

} // namespace hv

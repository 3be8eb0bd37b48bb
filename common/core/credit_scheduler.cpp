// SPDX-License-Identifier: Apache-2.0
// The credit scheduler. See hv/core/credit_scheduler.hpp for how it decides and what it promises.
#include <hv/core/credit_scheduler.hpp>
#include <hv/panic.hpp>

namespace hv {

RunStateHook CreditScheduler::hook() {
  RunStateHook h;
  h.changed = [](void* self, Vcpu& v) { static_cast<CreditScheduler*>(self)->update(v); };
  h.domain_gone = [](void* self, Domain& d) { static_cast<CreditScheduler*>(self)->forget(d); };
  h.context = this;
  return h;
}

void CreditScheduler::attach(SchedDomain& d) {
  if (d.attached) return;
  for (SchedDomain*& slot : attached_) {
    if (slot == nullptr) {
      slot = &d;
      d.attached = true;
      d.vtime = floor_;
      if (d.weight > heaviest_) heaviest_ = d.weight;
      return;
    }
  }
  panic("scheduler: more than {} domains", limits::max_domains); // the DomainTable holds no more
}

void CreditScheduler::update(Vcpu& v) {
  SchedVcpu& s = v.sched;
  attach(*s.domain);
  const bool runnable = v.domain->runnable(v);
  if (runnable == s.runnable) return;
  s.runnable = runnable;
  if (&s == current_) {
    if (!runnable) preempt_ = true; // it stopped (blocked, paused): run something else now
    return;
  }
  if (runnable) {
    const bool was_idle = s.domain->head == nullptr && (current_ == nullptr || current_->domain != s.domain);
    if (was_idle && s.domain->vtime < floor_) s.domain->vtime = floor_; // no credit banked while idle
    enqueue(s);
    if (current_ == nullptr || (current_->domain != s.domain && s.domain->vtime <= current_->domain->vtime))
      preempt_ = true;
  } else {
    dequeue(s);
  }
}

void CreditScheduler::enqueue(SchedVcpu& v) {
  SchedDomain& d = *v.domain;
  v.next = nullptr;
  v.queued = true;
  if (d.tail != nullptr)
    d.tail->next = &v;
  else
    d.head = &v;
  d.tail = &v;
  if (d.heap_index == SchedDomain::not_in_heap && !d.parked) heap_push(d);
}

void CreditScheduler::dequeue(SchedVcpu& v) {
  if (!v.queued) return;
  SchedDomain& d = *v.domain;
  // A domain's FIFO holds at most limits::max_vcpus entries: a linear unlink is cheap and needs no
  // back links.
  SchedVcpu* prev = nullptr;
  for (SchedVcpu* p = d.head; p != nullptr; prev = p, p = p->next) {
    if (p != &v) continue;
    if (prev != nullptr)
      prev->next = p->next;
    else
      d.head = p->next;
    if (d.tail == p) d.tail = prev;
    break;
  }
  v.next = nullptr;
  v.queued = false;
  if (d.head == nullptr && d.heap_index != SchedDomain::not_in_heap) heap_remove(d);
}

void CreditScheduler::forget(Domain& dom) {
  SchedDomain& d = dom.sched;
  for (u32 i = 0; i < dom.vcpu_count; ++i) dequeue(dom.vcpus[i].sched);
  if (d.heap_index != SchedDomain::not_in_heap) heap_remove(d);
  if (current_ != nullptr && current_->domain == &d) current_ = nullptr;
  heaviest_ = 1;
  for (SchedDomain*& slot : attached_) {
    if (slot == &d) slot = nullptr;
    if (slot != nullptr && slot->weight > heaviest_) heaviest_ = slot->weight;
  }
  d.attached = false;
}

void CreditScheduler::charge(SchedVcpu& v, u64 ran) {
  SchedDomain& d = *v.domain;
  v.run_ns += ran;
  d.run_ns += ran;
  d.period_used += ran;
  d.vtime += ran * weight_scale / d.weight;
  if (d.cap != 0 && d.period_used >= cap_budget(d)) {
    d.parked = true;
    if (d.heap_index != SchedDomain::not_in_heap) heap_remove(d);
  } else if (d.heap_index != SchedDomain::not_in_heap) {
    heap_update(d);
  }
}

void CreditScheduler::next_period(u64 now) {
  if (period_end_ == 0) period_end_ = now + config_.period_ns;
  if (now < period_end_) return;
  while (period_end_ <= now) period_end_ += config_.period_ns;
  for (SchedDomain* d : attached_) {
    if (d == nullptr) continue;
    d->period_used = 0;
    if (d->parked) {
      d->parked = false;
      if (d->vtime < floor_) d->vtime = floor_;
      if (d->head != nullptr) heap_push(*d);
    }
  }
}

CreditScheduler::Decision CreditScheduler::schedule(u64 now) {
  preempt_ = false;
  if (current_ != nullptr) {
    SchedVcpu& v = *current_;
    current_ = nullptr;
    check(now >= started_, "scheduler time does not go backwards");
    charge(v, now - started_);
    if (v.runnable) {
      SchedDomain& d = *v.domain;
      if (yield_ && heap_size_ != 0 && heap_[0] != &d && d.vtime <= heap_[0]->vtime) {
        d.vtime = heap_[0]->vtime + 1;
        if (d.heap_index != SchedDomain::not_in_heap) heap_update(d);
      }
      enqueue(v);
    }
  }
  yield_ = false;
  new_period(now);

  if (heap_size_ == 0) return {nullptr, period_end_}; // idle; a parked domain may run next period
  SchedDomain& d = *heap_[0];
  SchedVcpu& v = *d.head;
  d.head = v.next;
  if (d.head == nullptr) {
    d.tail = nullptr;
    heap_remove(d);
  }
  v.next = nullptr;
  v.queued = false;
  current_ = &v;
  started_ = now;
  if (d.vtime > floor_) floor_ = d.vtime;

  u64 until = now + slice_for(d);
  if (d.cap != 0) {
    const u64 left = cap_budget(d) - d.period_used;
    if (now + left < until) until = now + left;
  }
  if (period_end_ < until) until = period_end_;
  return {v.vcpu, until};
}

// The heap: heap_[0] has the lowest vtime; each domain knows its index so it can be moved or removed.

void CreditScheduler::heap_push(SchedDomain& d) {
  check(heap_size_ < limits::max_domains, "scheduler heap has room");
  heap_set(heap_size_, &d);
  sift_up(heap_size_++);
}

void CreditScheduler::heap_remove(SchedDomain& d) {
  const u32 i = d.heap_index;
  d.heap_index = SchedDomain::not_in_heap;
  if (--heap_size_ == i) return;
  SchedDomain* moved = heap_[heap_size_];
  heap_set(i, moved);
  sift_up(i);
  sift_down(moved->heap_index);
}

void CreditScheduler::heap_update(SchedDomain& d) { sift_down(d.heap_index); }

void CreditScheduler::sift_up(u32 i) {
  while (i > 0) {
    const u32 parent = (i - 1) / 2;
    if (heap_[parent]->vtime <= heap_[i]->vtime) break;
    SchedDomain* p = heap_[parent];
    heap_set(parent, heap_[i]);
    heap_set(i, p);
    i = parent;
  }
}

void CreditScheduler::sift_down(u32 i) {
  for (;;) {
    const u32 l = 2 * i + 1, r = l + 1;
    u32 least = i;
    if (l < heap_size_ && heap_[l]->vtime < heap_[least]->vtime) least = l;
    if (r < heap_size_ && heap_[r]->vtime < heap_[least]->vtime) least = r;
    if (least == i) return;
    SchedDomain* x = heap_[i];
    heap_set(i, heap_[least]);
    heap_set(least, x);
    i = least;
  }
}

} // namespace hv

// SPDX-License-Identifier: Apache-2.0
// Domain lifecycle. See hv/core/domain_table.hpp for the contract.
#include <hv/core/domain_table.hpp>
#include <hv/core/foreign_map.hpp>
#include <hv/core/machine_memory.hpp>
#include <hv/panic.hpp>

namespace hv {
namespace {

// The Domain object's block: the smallest power-of-two number of frames that holds it.
constexpr u32 domain_order() {
  const u64 frames = (sizeof(Domain) + FrameAllocator::frame_size - 1) / FrameAllocator::frame_size;
  u32 order = 0;
  while ((u64{1} << order) < frames) ++order;
  return order;
}
static_assert(domain_order() <= FrameAllocator::max_order, "a Domain fits in one block");

bool valid_config(const DomainConfig& c) {
  return c.vcpus >= 1 && c.vcpus <= limits::max_vcpus && c.max_evtchn_ports >= 1 &&
         c.max_evtchn_ports <= abi::two_level_port_limit(c.width) && c.max_evtchn_ports <= limits::max_evtchn_ports &&
         c.weight >= 1 && (c.width == abi::GuestWidth::bits32 || c.width == abi::GuestWidth::bits64) &&
         c.grant_frames >= 1 && c.grant_frames <= limits::max_grant_frames && c.id < abi::domid_first_reserved;
}

} // namespace

Domain* DomainTable::find(abi::domid_t id) const {
  if (id >= abi::domid_first_reserved) return nullptr;
  for (Domain* d : slots_)
    if (d != nullptr && d->id == id) return d;
  return nullptr;
}

Result<Domain*> DomainTable::create(const DomainConfig& config) {
  if (!valid_config(config)) return Err::inval;
  if (config.privileged && control() != nullptr) return Err::exist;
  if (!config.privileged && config.id != 0 && find(config.id) != nullptr) return Err::exist;
  usize slot = 0;
  while (slot < limits::max_domains && slots_[slot] != nullptr) ++slot;
  if (slot == limits::max_domains) return Err::nomem;

  abi::domid_t id = 0;
  if (!config.privileged && config.id != 0) {
    id = config.id;
  } else if (!config.privileged) {
    while (find(next_id_) != nullptr || next_id_ == 0)
      next_id_ = next_id_ + 1 >= abi::domid_first_reserved ? 1 : next_id_ + 1;
    id = next_id_;
    next_id_ = next_id_ + 1 >= abi::domid_first_reserved ? 1 : next_id_ + 1;
  }

  FrameAccount overhead{id};
  auto block = frames_->alloc(domain_order(), overhead);
  if (!block.ok()) return block.error();
  auto* d = new (place, map_frame(block.value())) Domain();
  d->id = id;
  d->generation = ++created_;
  d->serial.set_domain(id);
  d->debug_console.set_domain(id);
  d->console.line.set_domain(id);
  d->overhead = overhead;
  d->self = block.value();
  d->self_order = domain_order();
  d->privileged = config.privileged;
  d->width = config.width;
  d->memory = FrameAccount{id, 0, config.max_pages}; // its limit, and the overhead's, set_max_pages sets
  d->p2m.init(*frames_, d->overhead);
  d->events.limit = config.max_evtchn_ports;
  d->sched.weight = config.weight;
  d->sched.cap = config.cap;

  auto shared = frames_->alloc(0, d->overhead);
  const Err grants = shared.ok() ? grant::setup(*frames_, *d, config.grant_frames) : shared.error();
  if (grants != Err::ok) {
    if (shared.ok()) check(frames_->free(shared.value(), d->overhead) == Err::ok, "shared_info freed");
    FrameAccount self = d->overhead;
    d->~Domain();
    check(frames_->free(block.value(), self) == Err::ok, "domain block freed");
    return grants;
  }
  zero_frames(shared.value(), 1);
  d->shared_info_frame = shared.value();
  d->shared_info = SharedInfoPage(map_frame(shared.value()), config.width);

  set_max_pages(*d, config.max_pages);
  d->vcpu_count = config.vcpus;
  for (u32 i = 0; i < config.vcpus; ++i) {
    Vcpu& v = d->vcpus[i];
    v.domain = d;
    v.id = i;
    v.online = i == 0;
    v.initialised = i == 0;
    v.sched.vcpu = &v;
    v.sched.domain = &d->sched;
  }
  __atomic_store_n(&slots_[slot], d, __ATOMIC_RELEASE); // whole before a timer walk can find it
  ++count_;
  return d;
}

void DomainTable::set_max_pages(Domain& d, u64 pages) {
  constexpr u64 per_vcpu = 4;      // a backend's vCPU state (a VMCB; saved partition registers)
  constexpr u64 upper_levels = 16; // each tree's levels above the leaf tables, with room for holes
  constexpr u64 leaf_span = 512;   // pages one leaf table of 512 entries maps
  const u64 leaves = pages / leaf_span + 1;
  const u64 tables = 2 * (upper_levels + 2 * leaves); // the p2m and the backend's tables, twice over
  d.memory.limit = pages;
  d.overhead.limit =
      (u64{1} << domain_order()) + 1 + 2 * u64{d.grants.max_frames} + per_vcpu * limits::max_vcpus + tables;
}

Err DomainTable::populate(Domain& d, u64 first_gfn, u64 count) {
  if (d.state != DomainState::created && d.state != DomainState::running) return Err::inval;
  if (first_gfn >= GuestPhysMap::gfn_limit || count > GuestPhysMap::gfn_limit - first_gfn) return Err::inval;
  for (u64 i = 0; i < count; ++i)
    if (d.p2m.lookup(first_gfn + i).present()) return Err::inval;
  for (u64 i = 0; i < count; ++i) {
    auto frame = frames_->alloc(0, d.memory);
    if (!frame.ok()) return frame.error();
    zero_frames(frame.value(), 1);
    const Err e = d.p2m.set(first_gfn + i, frame.value(), GuestPhysMap::Kind::ram);
    if (e != Err::ok) {
      check(frames_->free(frame.value(), d.memory) == Err::ok, "unmapped guest frame freed");
      return e;
    }
  }
  d.built = true;
  return Err::ok;
}

Err DomainTable::depopulate(Domain& d, u64 gfn) {
  const GuestPhysMap::Entry e = d.p2m.lookup(gfn);
  if (e.kind != GuestPhysMap::Kind::ram) return Err::inval;
  if (grant::frame_in_use(d, e.frame)) return Err::busy; // another domain maps it
  for (u32 i = 0; i < d.vcpu_count; ++i)
    if (d.vcpus[i].vcpu_info_gfn == gfn) return Err::busy; // the hypervisor writes a vcpu_info there
  if (foreign::frame_mapped(*this, d, e.frame)) {          // the control domain maps it: it keeps the frame
    const Err e2 = foreign::orphan(*this, d, e.frame);
    if (e2 != Err::ok) return e2;
    d.p2m.clear(gfn);
    return Err::ok;
  }
  d.p2m.clear(gfn);
  // Another of d's vCPUs may be copying into it through the entry just cleared (hv/read_section.hpp).
  check(frames_->retire(e.frame, d.memory) == Err::ok, "guest RAM frame belongs to its domain");
  return Err::ok;
}

Err DomainTable::start(Domain& d) {
  if (d.state != DomainState::created || !d.built) return Err::inval;
  d.set_state(DomainState::running);
  return unpause(d);
}

Err DomainTable::pause(Domain& d) {
  if (d.state == DomainState::dying) return Err::inval;
  __atomic_store_n(&d.pause_count, d.pause_count + 1, __ATOMIC_SEQ_CST);
  // A timer of d's that another CPU fires (VcpuTimers::expire, under the vCPU's timer lock) is done once
  // each lock was taken here; none fires again while d is paused.
  for (u32 i = 0; i < d.vcpu_count; ++i) {
    d.vcpus[i].timers.lock.lock();
    d.vcpus[i].timers.lock.unlock();
  }
  for (u32 i = 0; i < d.vcpu_count; ++i) run_state_changed(d.vcpus[i]);
  if (hook_.paused != nullptr) hook_.paused(hook_.gone_context != nullptr ? hook_.gone_context : hook_.context, d);
  return Err::ok;
}

Err DomainTable::unpause(Domain& d) {
  if (d.pause_count == 0 || d.state == DomainState::dying) return Err::inval;
  __atomic_store_n(&d.pause_count, d.pause_count - 1, __ATOMIC_RELEASE);
  for (u32 i = 0; i < d.vcpu_count; ++i) run_state_changed(d.vcpus[i]);
  return Err::ok;
}

Err DomainTable::shutdown(Domain& d, abi::ShutdownReason reason) {
  if (static_cast<u32>(reason) > static_cast<u32>(abi::ShutdownReason::watchdog)) return Err::inval;
  if (d.state == DomainState::shut_down || d.state == DomainState::dying) return Err::ok;
  d.set_state(reason == abi::ShutdownReason::crash ? DomainState::dying : DomainState::shut_down);
  d.shutdown_reason = reason;
  // The control domain going leaves nobody to decide for the boot's domains it left shut down.
  if (d.state == DomainState::dying || d.destroy_when_shut_down || d.privileged)
    __atomic_store_n(&reap_due_, true, __ATOMIC_RELEASE);
  for (u32 i = 0; i < d.vcpu_count; ++i) run_state_changed(d.vcpus[i]);
  if (hook_.shut_down != nullptr && d.state == DomainState::shut_down && !ends_at_shutdown(d))
    hook_.shut_down(hook_.gone_context != nullptr ? hook_.gone_context : hook_.context, d);
  Domain* ctl = control();
  if (ctl != nullptr && ctl != &d) evtchn::send_virq(*this, *ctl, abi::virq::dom_exc);
  return Err::ok;
}

bool DomainTable::ends_at_shutdown(const Domain& d) const {
  if (d.state == DomainState::dying) return true;
  if (d.state != DomainState::shut_down || !d.destroy_when_shut_down) return false;
  if (d.shutdown_reason == abi::ShutdownReason::poweroff) return true;
  const Domain* ctl = control();
  return ctl == nullptr || ctl == &d || ctl->state != DomainState::running;
}

Err DomainTable::resume(Domain& d) {
  if (d.state != DomainState::shut_down) return Err::inval;
  d.set_state(DomainState::running);
  for (u32 i = 0; i < d.vcpu_count; ++i) run_state_changed(d.vcpus[i]);
  return Err::ok;
}

void DomainTable::reap_dying() {
  __atomic_store_n(&reap_due_, false, __ATOMIC_RELAXED);
  for (Domain*& d : slots_)
    if (d != nullptr && ends_at_shutdown(*d)) destroy(*d);
}

void DomainTable::destroy(Domain& d) {
  d.destroyed_from = d.state;
  d.set_state(DomainState::dying);
  // A timer walk on another CPU (VcpuTimers::expire, without the core lock) fires under each vCPU's timer
  // lock, into a running domain only: once each lock was taken here, none fires into d again.
  for (u32 i = 0; i < d.vcpu_count; ++i) {
    LockGuard hold(d.vcpus[i].timers.lock);
    d.vcpus[i].timers.clear();
  }
  for (u32 i = 0; i < d.vcpu_count; ++i) run_state_changed(d.vcpus[i]);
  if (hook_.domain_gone != nullptr)
    hook_.domain_gone(hook_.gone_context != nullptr ? hook_.gone_context : hook_.context, d);
  evtchn::close_all(*this, d);
  foreign::release(*this, d); // no other domain keeps a frame of d's, nor d one of theirs
  grant::release(*this, d);   // before the p2m goes: it holds the foreign entries

  // Retired, not freed: the control domain, which mapped them until foreign::release, may still be
  // copying into one of them in a hypercall on another CPU.
  d.p2m.for_each([&](u64, GuestPhysMap::Entry e) {
    if (e.kind == GuestPhysMap::Kind::ram)
      check(frames_->retire(e.frame, d.memory) == Err::ok, "guest RAM frame belongs to its domain");
  });
  d.p2m.release_tables();
  check(frames_->free(d.shared_info_frame, d.overhead) == Err::ok, "shared_info belongs to its domain");
  dirty::stop(*frames_, d);
  check(d.memory.frames == 0, "every guest frame was in the p2m");
  check(d.overhead.frames == u64{1} << d.self_order, "only the domain object is left");

  for (Domain*& s : slots_)
    if (s == &d) __atomic_store_n(&s, nullptr, __ATOMIC_RELAXED);
  --count_;
  FrameAccount self = d.overhead;
  const PhysAddr block = d.self;
  d.~Domain();
  check(frames_->retire(block, self) == Err::ok, "domain object freed");
}

Err DomainTable::vcpu_up(Vcpu& v) {
  if (v.online || !v.context_made) return Err::inval;
  v.online = true;
  run_state_changed(v);
  return Err::ok;
}

Err DomainTable::vcpu_down(Vcpu& v) {
  if (!v.online) return Err::inval;
  Domain& d = *v.domain;
  u32 online = 0;
  for (u32 i = 0; i < d.vcpu_count; ++i) online += d.vcpus[i].online ? 1 : 0;
  if (online == 1) return Err::inval;
  v.online = false;
  run_state_changed(v);
  return Err::ok;
}

void DomainTable::vcpu_take_down(Vcpu& v) {
  Domain& d = *v.domain;
  if (v.online) {
    v.online = false;
    run_state_changed(v);
  }
  for (u32 i = 0; i < d.vcpu_count; ++i)
    if (d.vcpus[i].online) return;
  shutdown(d, abi::ShutdownReason::poweroff);
}

Err DomainTable::set_max_vcpus(Domain& d, u32 count) {
  if (d.state != DomainState::created || count < d.vcpu_count || count > limits::max_vcpus) return Err::inval;
  for (u32 i = d.vcpu_count; i < count; ++i) {
    Vcpu& v = d.vcpus[i];
    v.domain = &d;
    v.id = i;
    v.online = false;
    v.sched.vcpu = &v;
    v.sched.domain = &d.sched;
  }
  d.vcpu_count = count;
  return Err::ok;
}

// A block and a kick may run at once on two CPUs (the vCPU's own, and a sender's). Each writes its flag
// before it reads the other's, both sequentially consistent: the blocker sets `blocked`, then reads
// upcall_pending; the sender sets upcall_pending (SharedInfoPage's atomics), then takes `blocked` back with
// an exchange. Either the blocker sees the event and stays runnable, or the sender sees the block and ends
// it; when both see each other, the exchange decides which one undoes the block, once.
bool DomainTable::vcpu_block(Vcpu& v) {
  SharedInfoPage& s = v.domain->shared_info;
  s.clear_upcall_mask(v.id);
  if (s.upcall_pending(v.id)) return false;
  __atomic_store_n(&v.blocked, true, __ATOMIC_SEQ_CST);
  if (s.upcall_pending(v.id)) {
    __atomic_fetch_add(&v.unblocks, u64{1}, __ATOMIC_SEQ_CST);
    __atomic_store_n(&v.blocked, false, __ATOMIC_SEQ_CST); // the scheduler never saw it blocked
    return false;
  }
  run_state_changed(v);
  return true;
}

void DomainTable::vcpu_kick(Vcpu& v) {
  __atomic_fetch_add(&v.unblocks, u64{1}, __ATOMIC_SEQ_CST);
  if (!__atomic_exchange_n(&v.blocked, false, __ATOMIC_SEQ_CST)) {
    if (hook_.event != nullptr) hook_.event(hook_.context, v);
    return;
  }
  __atomic_store_n(&v.polling, Vcpu::not_polling, __ATOMIC_RELAXED);
  __atomic_fetch_add(&v.wakeups, u64{1}, __ATOMIC_RELAXED);
  run_state_changed(v);
}

} // namespace hv

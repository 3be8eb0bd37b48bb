// SPDX-License-Identifier: Apache-2.0
// Event channels, 2-level ABI. See hv/core/event_channel.hpp for the contract of each operation.
#include <hv/core/console_ring.hpp>
#include <hv/core/domain_table.hpp>
#include <hv/core/event_channel.hpp>
#include <hv/panic.hpp>

namespace hv::evtchn {
namespace {

bool port_valid(const Domain& d, u32 port) { return port < d.events.valid && port < d.events.limit; }

/// Holds the port locks of both ends of an interdomain channel, the lower domain ID's first, so that two
/// CPUs changing channels between the same two domains never wait for each other crosswise (one lock when
/// both ends are one domain).
class PairLock {
public:
  PairLock(Domain& a, Domain& b) : first_(a.id <= b.id ? a : b), second_(a.id <= b.id ? b : a) {
    first_.events.lock.lock();
    if (&second_ != &first_) second_.events.lock.lock();
  }
  ~PairLock() {
    if (&second_ != &first_) second_.events.lock.unlock();
    first_.events.lock.unlock();
  }
  PairLock(const PairLock&) = delete;
  PairLock& operator=(const PairLock&) = delete;

private:
  Domain& first_;
  Domain& second_;
};

u32 notify_vcpu_of(const Channel& c) { return __atomic_load_n(&c.notify_vcpu, __ATOMIC_RELAXED); }

/// The lowest closed port from 1 up, opening a new bucket when the used ones are full.
Result<u32> free_port(Domain& d) {
  EventChannels& e = d.events;
  for (u32 port = 1; port < e.limit; ++port) {
    if (port >= e.valid) {
      e.valid += EventChannels::bucket;
      return port;
    }
    if (e.ports[port].state == abi::EvtchnStat::closed) return port;
  }
  return Err::nospc;
}

/// Tells `v` that events wait: the first time since the guest last cleared upcall_pending, kick it.
void mark_events_pending(DomainTable& table, Vcpu& v) {
  if (!v.domain->shared_info.set_upcall_pending(v.id)) table.vcpu_kick(v);
}

/// The 2-level delivery rule: pending bit, then (unless masked) selector bit, then upcall.
/// (Already pending: the guest has not seen the last one yet, and nothing more happens.)
void set_pending(DomainTable& table, Domain& d, u32 port) {
  Vcpu* v = d.vcpu(notify_vcpu_of(d.events.ports[port]));
  check(v != nullptr, "event channel notifies an existing vCPU");
  if (d.shared_info.deliver(port, v->id)) {
    table.vcpu_kick(*v);
    return;
  }
  // Masked (or already pending): no upcall, but a vCPU polling this port wakes all the same. The pending
  // bit was set (sequentially consistent) before `polling` is read here, and a poller sets `polling`
  // before it reads the bit (SCHEDOP_poll): one of the two sees the other.
  for (u32 n = 0; n < d.vcpu_count; ++n) {
    Vcpu& poller = d.vcpus[n];
    const i64 polling = __atomic_load_n(&poller.polling, __ATOMIC_SEQ_CST);
    if (polling == static_cast<i64>(port) || polling == Vcpu::any_port) table.vcpu_kick(poller);
  }
}

void free_channel(Domain& d, u32 port) {
  d.shared_info.clear_pending(port); // a later bind of the same port must not inherit a stale event
  d.events.ports[port] = Channel{};
}

} // namespace

Err alloc_unbound(DomainTable& table, Domain& caller, abi::EvtchnAllocUnbound& op) {
  Domain* d = table.resolve(caller, op.dom);
  if (d == nullptr) return Err::srch;
  if (d != &caller && !caller.privileged) return Err::perm;
  LockGuard hold(d->events.lock);
  auto port = free_port(*d);
  if (!port.ok()) return port.error();
  Channel& c = d->events.ports[port.value()];
  c.state = abi::EvtchnStat::unbound;
  c.remote_dom = op.remote_dom == abi::domid_self ? caller.id : op.remote_dom;
  c.notify_vcpu = 0;
  op.port = port.value();
  return Err::ok;
}

Err bind_interdomain(DomainTable& table, Domain& caller, abi::EvtchnBindInterdomain& op) {
  Domain* rd = table.resolve(caller, op.remote_dom);
  if (rd == nullptr) return Err::srch;
  PairLock hold(caller, *rd);
  auto lport = free_port(caller);
  if (!lport.ok()) return lport.error();
  if (!port_valid(*rd, op.remote_port)) return Err::inval;
  Channel& rc = rd->events.ports[op.remote_port];
  if (rc.state != abi::EvtchnStat::unbound || rc.remote_dom != caller.id) return Err::inval;
  Channel& lc = caller.events.ports[lport.value()];
  lc = Channel{abi::EvtchnStat::interdomain, rd->id, op.remote_port, 0, rd};
  rc.state = abi::EvtchnStat::interdomain;
  rc.remote_dom = caller.id;
  rc.remote_port = lport.value();
  rc.peer = &caller;
  op.local_port = lport.value();
  set_pending(table, caller, lport.value());
  return Err::ok;
}

Err bind_virq(Domain& caller, abi::EvtchnBindVirq& op) {
  if (op.virq >= abi::virq::count) return Err::inval;
  if (!abi::virq::is_per_vcpu(op.virq) && op.vcpu != 0) return Err::inval;
  Vcpu* v = caller.vcpu(op.vcpu);
  if (v == nullptr) return Err::noent;
  LockGuard hold(caller.events.lock);
  if (v->virq_port[op.virq] != 0) return Err::exist;
  auto port = free_port(caller);
  if (!port.ok()) return port.error();
  caller.events.ports[port.value()] = Channel{abi::EvtchnStat::virq, abi::domid_invalid, op.virq, op.vcpu};
  v->virq_port[op.virq] = port.value();
  op.port = port.value();
  return Err::ok;
}

Err bind_ipi(Domain& caller, abi::EvtchnBindIpi& op) {
  if (caller.vcpu(op.vcpu) == nullptr) return Err::noent;
  LockGuard hold(caller.events.lock);
  auto port = free_port(caller);
  if (!port.ok()) return port.error();
  caller.events.ports[port.value()] = Channel{abi::EvtchnStat::ipi, abi::domid_invalid, 0, op.vcpu};
  op.port = port.value();
  return Err::ok;
}

// A channel's state changes only on the control paths, which the run time serializes (its core lock): what
// `c` says before the locks are taken still holds once they are. The locks keep a send on another CPU from
// seeing a half-changed channel.
Err close(DomainTable& table, Domain& caller, u32 port) {
  if (!port_valid(caller, port)) return Err::inval;
  Channel& c = caller.events.ports[port];
  Domain* const peer = c.state == abi::EvtchnStat::interdomain ? c.peer : nullptr;
  PairLock hold(caller, peer != nullptr ? *peer : caller);
  switch (c.state) {
  case abi::EvtchnStat::closed:
  case abi::EvtchnStat::pirq: return Err::inval;
  case abi::EvtchnStat::unbound:
  case abi::EvtchnStat::ipi: break;
  case abi::EvtchnStat::virq:
    for (u32 i = 0; i < caller.vcpu_count; ++i)
      if (caller.vcpus[i].virq_port[c.remote_port] == port) caller.vcpus[i].virq_port[c.remote_port] = 0;
    break;
  case abi::EvtchnStat::interdomain: {
    if (c.remote_dom == abi::domid_xen) { // the hypervisor's side just forgets it
      console_ring::closed(caller, port);
      break;
    }
    // The peer's port waits again, for this domain: it may bind again to it.
    check(peer != nullptr && peer == table.find(c.remote_dom), "interdomain peer exists while connected");
    Channel& pc = peer->events.ports[c.remote_port];
    check(pc.state == abi::EvtchnStat::interdomain && pc.remote_dom == caller.id && pc.remote_port == port,
          "interdomain channels point at each other");
    pc.state = abi::EvtchnStat::unbound;
    pc.remote_port = 0;
    pc.peer = nullptr;
    break;
  }
  }
  free_channel(caller, port);
  return Err::ok;
}

Err send(DomainTable& table, Domain& caller, u32 port) {
  LockGuard hold(caller.events.lock);
  if (!port_valid(caller, port)) return Err::inval;
  const Channel& c = caller.events.ports[port];
  switch (c.state) {
  case abi::EvtchnStat::interdomain:
    if (c.peer == nullptr) { // DOMID_XEN: the hypervisor's own backend
      check(c.remote_dom == abi::domid_xen, "interdomain peer exists while connected");
      console_ring::drain(caller);
      return Err::ok;
    }
    set_pending(table, *c.peer, c.remote_port);
    return Err::ok;
  case abi::EvtchnStat::ipi: set_pending(table, caller, port); return Err::ok;
  case abi::EvtchnStat::unbound: return Err::ok; // nobody to tell yet: dropped, as the ABI says
  default: return Err::inval;
  }
}

Err status(DomainTable& table, Domain& caller, abi::EvtchnStatus& op) {
  Domain* d = table.resolve(caller, op.dom);
  if (d == nullptr) return Err::srch;
  if (d != &caller && !caller.privileged) return Err::perm;
  LockGuard hold(d->events.lock);
  if (!port_valid(*d, op.port)) return Err::inval;
  const Channel& c = d->events.ports[op.port];
  op.status = static_cast<u32>(c.state);
  op.vcpu = c.notify_vcpu;
  op.u = {};
  switch (c.state) {
  case abi::EvtchnStat::unbound: op.u.unbound.dom = c.remote_dom; break;
  case abi::EvtchnStat::interdomain:
    op.u.interdomain.dom = c.remote_dom;
    op.u.interdomain.port = c.remote_port;
    break;
  case abi::EvtchnStat::virq: op.u.virq = c.remote_port; break;
  default: break;
  }
  return Err::ok;
}

Err unmask(DomainTable& table, Domain& caller, u32 port) {
  LockGuard hold(caller.events.lock);
  if (!port_valid(caller, port)) return Err::inval;
  SharedInfoPage& s = caller.shared_info;
  Vcpu* v = caller.vcpu(notify_vcpu_of(caller.events.ports[port]));
  if (s.clear_mask(port) && s.test_pending(port) && !s.set_pending_sel(v->id, port / s.bits_per_word()))
    mark_events_pending(table, *v);
  return Err::ok;
}

Err bind_vcpu(Domain& caller, abi::EvtchnBindVcpu& op) {
  if (caller.vcpu(op.vcpu) == nullptr) return Err::noent;
  LockGuard hold(caller.events.lock);
  if (!port_valid(caller, op.port)) return Err::inval;
  Channel& c = caller.events.ports[op.port];
  switch (c.state) {
  case abi::EvtchnStat::virq:
    if (abi::virq::is_per_vcpu(c.remote_port)) return Err::inval;
    __atomic_store_n(&c.notify_vcpu, op.vcpu, __ATOMIC_RELAXED);
    return Err::ok;
  case abi::EvtchnStat::unbound:
  case abi::EvtchnStat::interdomain: __atomic_store_n(&c.notify_vcpu, op.vcpu, __ATOMIC_RELAXED); return Err::ok;
  default: return Err::inval;
  }
}

Result<u32> bind_hypervisor(Domain& d) {
  LockGuard hold(d.events.lock);
  auto port = free_port(d);
  if (!port.ok()) return port.error();
  d.events.ports[port.value()] = Channel{abi::EvtchnStat::interdomain, abi::domid_xen, 0, 0};
  return port.value();
}

void send_virq(DomainTable& table, Domain& domain, u32 virq, u32 vcpu) {
  if (virq >= abi::virq::count) return;
  LockGuard hold(domain.events.lock);
  Vcpu* v = domain.vcpu(abi::virq::is_per_vcpu(virq) ? vcpu : 0);
  if (v == nullptr || v->virq_port[virq] == 0) return;
  set_pending(table, domain, v->virq_port[virq]);
}

void close_all(DomainTable& table, Domain& domain) {
  for (u32 port = 1; port < domain.events.valid && port < domain.events.limit; ++port)
    if (domain.events.ports[port].state != abi::EvtchnStat::closed)
      check(close(table, domain, port) == Err::ok, "open port closes");
}

u32 adopt_peers(DomainTable& table, Domain& successor, abi::domid_t predecessor) {
  u32 adopted = 0;
  for (usize i = 0; i < limits::max_domains; ++i) {
    Domain* d = table.slot(i);
    if (d == nullptr) continue;
    LockGuard hold(d->events.lock);
    for (u32 port = 1; port < d->events.valid && port < d->events.limit; ++port) {
      Channel& c = d->events.ports[port];
      if (c.state != abi::EvtchnStat::unbound || c.remote_dom != predecessor) continue;
      c.remote_dom = successor.id;
      ++adopted;
    }
  }
  return adopted;
}

} // namespace hv::evtchn

// SPDX-License-Identifier: Apache-2.0
// Event channels: the 2-level ABI's delivery rules over shared_info, and its error code for every misuse.
#include "core_support.hpp"

using hv::Domain;
using hv::DomainConfig;
using hv::Err;
using hv::u32;
using hv::u64;
using namespace hv::abi;
namespace evtchn = hv::evtchn;

namespace {
using SharedInfo64 = SharedInfo<GuestWidth::bits64>;
using SharedInfo32 = SharedInfo<GuestWidth::bits32>;
SharedInfo64& page64(Domain& d) { return *static_cast<SharedInfo64*>(d.shared_info.raw()); }
SharedInfo32& page32(Domain& d) { return *static_cast<SharedInfo32*>(d.shared_info.raw()); }

u32 unbound(hv::test::CoreMachine& m, Domain& d, domid_t remote) {
  EvtchnAllocUnbound op{domid_self, remote, 0};
  REQUIRE(evtchn::alloc_unbound(*m.domains, d, op) == Err::ok);
  return op.port;
}

/// Connects a fresh port of `a` with a fresh port of `b`; returns {a's port, b's port}.
std::pair<u32, u32> connect(hv::test::CoreMachine& m, Domain& a, Domain& b) {
  const u32 pa = unbound(m, a, b.id);
  EvtchnBindInterdomain op{a.id, pa, 0};
  REQUIRE(evtchn::bind_interdomain(*m.domains, b, op) == Err::ok);
  return {pa, op.local_port};
}

u32 status_of(hv::test::CoreMachine& m, Domain& d, u32 port) {
  EvtchnStatus st{domid_self, port, 99, 99, {}};
  REQUIRE(evtchn::status(*m.domains, d, st) == Err::ok);
  return st.status;
}

void clear_events(Domain& d) { // what a guest does after handling its events
  SharedInfo64& s = page64(d);
  for (auto& w : s.evtchn_pending) w = 0;
  for (auto& v : s.vcpu_info) v.evtchn_pending_sel = 0, v.evtchn_upcall_pending = 0;
}
} // namespace

TEST_CASE("event channels: an interdomain send sets pending, selector and upcall, and wakes the peer") {
  hv::test::CoreMachine m;
  Domain& a = m.running();
  Domain& b = m.running();
  const u32 pa = unbound(m, a, b.id);
  CHECK(pa == 1); // port 0 is never handed out
  CHECK(status_of(m, a, pa) == static_cast<u32>(EvtchnStat::unbound));

  EvtchnBindInterdomain bind{a.id, pa, 0};
  REQUIRE(evtchn::bind_interdomain(*m.domains, b, bind) == Err::ok);
  const u32 pb = bind.local_port;
  // Binding marks the new local port pending: a send before the bind is not lost.
  CHECK(b.shared_info.test_pending(pb));
  CHECK(page64(b).vcpu_info[0].evtchn_upcall_pending == 1);
  clear_events(b);

  REQUIRE(m.domains->vcpu_block(b.vcpus[0]));
  CHECK(evtchn::send(*m.domains, a, pa) == Err::ok);
  CHECK((page64(b).evtchn_pending[pb / 64] >> (pb % 64) & 1) == 1);
  CHECK((page64(b).vcpu_info[0].evtchn_pending_sel >> (pb / 64) & 1) == 1);
  CHECK(page64(b).vcpu_info[0].evtchn_upcall_pending == 1);
  CHECK(b.runnable(b.vcpus[0]));
  CHECK(b.vcpus[0].wakeups == 1);
  CHECK_FALSE(a.shared_info.test_pending(pa)); // the sender's own port is untouched

  // Another send while still pending changes nothing and kicks nobody.
  REQUIRE(m.domains->vcpu_block(b.vcpus[0]) == false); // upcall still pending: no block at all
  CHECK(evtchn::send(*m.domains, a, pa) == Err::ok);
  CHECK(b.vcpus[0].wakeups == 1);

  // And the other direction.
  CHECK(evtchn::send(*m.domains, b, pb) == Err::ok);
  CHECK(a.shared_info.test_pending(pa));

  EvtchnStatus st{domid_self, pb, 0, 0, {}};
  REQUIRE(evtchn::status(*m.domains, b, st) == Err::ok);
  CHECK(st.status == static_cast<u32>(EvtchnStat::interdomain));
  CHECK(st.u.interdomain.dom == a.id);
  CHECK(st.u.interdomain.port == pa);
}

TEST_CASE("event channels: alloc_unbound errors are -ESRCH, -EPERM and -ENOSPC") {
  hv::test::CoreMachine m;
  Domain& control = m.running({.privileged = true});
  Domain& a = m.running({.max_evtchn_ports = 8});
  Domain& b = m.running();

  EvtchnAllocUnbound op{77, domid_self, 0};
  CHECK(evtchn::alloc_unbound(*m.domains, a, op) == Err::srch);
  op = {b.id, a.id, 0};
  CHECK(evtchn::alloc_unbound(*m.domains, a, op) == Err::perm); // a port in someone else's table
  op = {b.id, a.id, 0};
  CHECK(evtchn::alloc_unbound(*m.domains, control, op) == Err::ok); // the control domain may
  CHECK(status_of(m, b, op.port) == static_cast<u32>(EvtchnStat::unbound));

  for (u32 i = 1; i < 8; ++i) CHECK(unbound(m, a, b.id) == i); // ports 1..7 of a limit of 8
  op = {domid_self, b.id, 0};
  CHECK(evtchn::alloc_unbound(*m.domains, a, op) == Err::nospc);
  CHECK(evtchn::close(*m.domains, a, 5) == Err::ok);
  CHECK(unbound(m, a, b.id) == 5); // the lowest free port is reused
}

TEST_CASE("event channels: bind_interdomain refuses unknown domains, bad ports and full tables") {
  hv::test::CoreMachine m;
  Domain& a = m.running();
  Domain& b = m.running({.max_evtchn_ports = 2});
  Domain& c = m.running();

  EvtchnBindInterdomain op{77, 1, 0};
  CHECK(evtchn::bind_interdomain(*m.domains, c, op) == Err::srch);
  op = {a.id, 500, 0}; // past every bucket a has used
  CHECK(evtchn::bind_interdomain(*m.domains, c, op) == Err::inval);
  op = {a.id, 3, 0}; // valid but closed
  CHECK(evtchn::bind_interdomain(*m.domains, c, op) == Err::inval);
  const u32 for_b = unbound(m, a, b.id);
  op = {a.id, for_b, 0}; // waiting for b, not for c
  CHECK(evtchn::bind_interdomain(*m.domains, c, op) == Err::inval);
  const u32 for_c = unbound(m, a, c.id);
  op = {a.id, for_c, 0};
  CHECK(evtchn::bind_interdomain(*m.domains, c, op) == Err::ok);
  op = {a.id, for_c, 0}; // already connected
  CHECK(evtchn::bind_interdomain(*m.domains, c, op) == Err::inval);

  const auto [pa, pb] = connect(m, a, b); // uses b's only port (limit 2: port 1)
  CHECK(pb == 1);
  const u32 another = unbound(m, a, b.id);
  op = {a.id, another, 0};
  CHECK(evtchn::bind_interdomain(*m.domains, b, op) == Err::nospc);
  CHECK(status_of(m, a, another) == static_cast<u32>(EvtchnStat::unbound)); // untouched by the failure
  (void)pa;
}

TEST_CASE("event channels: a domain may connect two of its own ports") {
  hv::test::CoreMachine m;
  Domain& a = m.running();
  const u32 p1 = unbound(m, a, domid_self);
  EvtchnBindInterdomain op{domid_self, p1, 0};
  REQUIRE(evtchn::bind_interdomain(*m.domains, a, op) == Err::ok);
  clear_events(a);
  CHECK(evtchn::send(*m.domains, a, p1) == Err::ok);
  CHECK(a.shared_info.test_pending(op.local_port));
  CHECK_FALSE(a.shared_info.test_pending(p1));
  CHECK(evtchn::close(*m.domains, a, op.local_port) == Err::ok);
  CHECK(status_of(m, a, p1) == static_cast<u32>(EvtchnStat::unbound));
}

TEST_CASE("event channels: VIRQs bind once per vCPU, global ones only on vCPU 0") {
  hv::test::CoreMachine m;
  Domain& d = m.running({.vcpus = 2});
  EvtchnBindVirq op{virq::count, 0, 0};
  CHECK(evtchn::bind_virq(d, op) == Err::inval);
  op = {virq::console, 1, 0};
  CHECK(evtchn::bind_virq(d, op) == Err::inval); // global VIRQ on vCPU 1
  op = {virq::timer, 2, 0};
  CHECK(evtchn::bind_virq(d, op) == Err::noent);
  op = {virq::timer, 1, 0};
  REQUIRE(evtchn::bind_virq(d, op) == Err::ok);
  const u32 timer1 = op.port;
  op = {virq::timer, 1, 0};
  CHECK(evtchn::bind_virq(d, op) == Err::exist);
  op = {virq::timer, 0, 0};
  REQUIRE(evtchn::bind_virq(d, op) == Err::ok); // per-vCPU: vCPU 0 has its own
  const u32 timer0 = op.port;

  EvtchnStatus st{domid_self, timer1, 0, 0, {}};
  REQUIRE(evtchn::status(*m.domains, d, st) == Err::ok);
  CHECK(st.status == static_cast<u32>(EvtchnStat::virq));
  CHECK(st.vcpu == 1);
  CHECK(st.u.virq == virq::timer);

  REQUIRE(m.domains->vcpu_up(d.vcpus[1]) == Err::ok);
  evtchn::send_virq(*m.domains, d, virq::timer, 1);
  CHECK(d.shared_info.test_pending(timer1));
  CHECK_FALSE(d.shared_info.test_pending(timer0));
  CHECK(page64(d).vcpu_info[1].evtchn_upcall_pending == 1);
  CHECK(page64(d).vcpu_info[0].evtchn_upcall_pending == 0);
  evtchn::send_virq(*m.domains, d, virq::debug, 0);         // not bound: nothing
  CHECK(evtchn::send(*m.domains, d, timer1) == Err::inval); // guests cannot send on a VIRQ

  CHECK(evtchn::close(*m.domains, d, timer1) == Err::ok);
  op = {virq::timer, 1, 0};
  CHECK(evtchn::bind_virq(d, op) == Err::ok); // free to bind again
}

TEST_CASE("event channels: IPIs notify the vCPU they were bound for") {
  hv::test::CoreMachine m;
  Domain& d = m.running({.vcpus = 2});
  EvtchnBindIpi op{2, 0};
  CHECK(evtchn::bind_ipi(d, op) == Err::noent);
  op = {1, 0};
  REQUIRE(evtchn::bind_ipi(d, op) == Err::ok);
  CHECK(status_of(m, d, op.port) == static_cast<u32>(EvtchnStat::ipi));
  CHECK(evtchn::send(*m.domains, d, op.port) == Err::ok);
  CHECK(page64(d).vcpu_info[1].evtchn_upcall_pending == 1);
  CHECK((page64(d).vcpu_info[1].evtchn_pending_sel & 1) == 1);
  CHECK(page64(d).vcpu_info[0].evtchn_upcall_pending == 0);
}

TEST_CASE("event channels: close, send and status on bad ports are -EINVAL; unbound sends are dropped") {
  hv::test::CoreMachine m;
  Domain& d = m.running();
  Domain& other = m.running();
  CHECK(evtchn::close(*m.domains, d, 0) == Err::inval);  // reserved port 0
  CHECK(evtchn::close(*m.domains, d, 5) == Err::inval);  // valid, closed
  CHECK(evtchn::close(*m.domains, d, 64) == Err::inval); // past the first bucket
  CHECK(evtchn::close(*m.domains, d, 1u << 31) == Err::inval);
  CHECK(evtchn::send(*m.domains, d, 0) == Err::inval);
  CHECK(evtchn::send(*m.domains, d, 5) == Err::inval);
  CHECK(evtchn::send(*m.domains, d, 4096) == Err::inval);
  CHECK(status_of(m, d, 5) == static_cast<u32>(EvtchnStat::closed));
  EvtchnStatus st{domid_self, 64, 0, 0, {}};
  CHECK(evtchn::status(*m.domains, d, st) == Err::inval);
  st = {other.id, 1, 0, 0, {}};
  CHECK(evtchn::status(*m.domains, d, st) == Err::perm);
  st = {123, 1, 0, 0, {}};
  CHECK(evtchn::status(*m.domains, d, st) == Err::srch);

  const u32 p = unbound(m, d, other.id);
  CHECK(evtchn::send(*m.domains, d, p) == Err::ok); // nobody bound yet: dropped
  CHECK_FALSE(d.shared_info.test_pending(p));
  CHECK(evtchn::close(*m.domains, d, p) == Err::ok);
  CHECK(evtchn::close(*m.domains, d, p) == Err::inval); // twice

  // Ports become valid a bucket at a time.
  for (u32 i = 0; i < 64; ++i) unbound(m, d, other.id);
  st = {domid_self, 64, 0, 0, {}};
  CHECK(evtchn::status(*m.domains, d, st) == Err::ok);
  st = {domid_self, 128, 0, 0, {}};
  CHECK(evtchn::status(*m.domains, d, st) == Err::inval);
}

TEST_CASE("event channels: a masked port stays pending without an upcall until unmasked") {
  hv::test::CoreMachine m;
  Domain& a = m.running();
  Domain& b = m.running();
  const auto [pa, pb] = connect(m, a, b);
  clear_events(b);
  b.shared_info.set_mask(pb);
  REQUIRE(m.domains->vcpu_block(b.vcpus[0]));
  CHECK(evtchn::send(*m.domains, a, pa) == Err::ok);
  CHECK(b.shared_info.test_pending(pb));
  CHECK(page64(b).vcpu_info[0].evtchn_pending_sel == 0);
  CHECK(page64(b).vcpu_info[0].evtchn_upcall_pending == 0);
  CHECK_FALSE(b.runnable(b.vcpus[0])); // a masked event does not wake

  CHECK(evtchn::unmask(*m.domains, b, pb) == Err::ok);
  CHECK_FALSE(b.shared_info.test_mask(pb));
  CHECK((page64(b).vcpu_info[0].evtchn_pending_sel >> (pb / 64) & 1) == 1);
  CHECK(page64(b).vcpu_info[0].evtchn_upcall_pending == 1);
  CHECK(b.runnable(b.vcpus[0]));
  CHECK(evtchn::unmask(*m.domains, b, 4096) == Err::inval);

  // Unmasking a port with nothing pending delivers nothing.
  clear_events(b);
  b.shared_info.set_mask(pb);
  CHECK(evtchn::unmask(*m.domains, b, pb) == Err::ok);
  CHECK(page64(b).vcpu_info[0].evtchn_upcall_pending == 0);
}

TEST_CASE("event channels: closing one end leaves the other unbound and bindable by the same domain") {
  hv::test::CoreMachine m;
  Domain& a = m.running();
  Domain& b = m.running();
  const auto [pa, pb] = connect(m, a, b);
  REQUIRE(evtchn::close(*m.domains, b, pb) == Err::ok);
  CHECK(status_of(m, b, pb) == static_cast<u32>(EvtchnStat::closed));
  EvtchnStatus st{domid_self, pa, 0, 0, {}};
  REQUIRE(evtchn::status(*m.domains, a, st) == Err::ok);
  CHECK(st.status == static_cast<u32>(EvtchnStat::unbound));
  CHECK(st.u.unbound.dom == b.id);
  CHECK(evtchn::send(*m.domains, a, pa) == Err::ok); // dropped
  EvtchnBindInterdomain op{a.id, pa, 0};
  CHECK(evtchn::bind_interdomain(*m.domains, b, op) == Err::ok);
  CHECK(status_of(m, a, pa) == static_cast<u32>(EvtchnStat::interdomain));
}

TEST_CASE("event channels: bind_vcpu moves global VIRQs and interdomain ports, not IPIs") {
  hv::test::CoreMachine m;
  Domain& a = m.running({.vcpus = 2});
  Domain& b = m.running();
  REQUIRE(m.domains->vcpu_up(a.vcpus[1]) == Err::ok);
  const auto [pa, pb] = connect(m, a, b);
  EvtchnBindVcpu op{pa, 2};
  CHECK(evtchn::bind_vcpu(a, op) == Err::noent);
  op = {999, 1};
  CHECK(evtchn::bind_vcpu(a, op) == Err::inval);
  op = {pa, 1};
  CHECK(evtchn::bind_vcpu(a, op) == Err::ok);
  clear_events(a);
  CHECK(evtchn::send(*m.domains, b, pb) == Err::ok);
  CHECK(page64(a).vcpu_info[1].evtchn_upcall_pending == 1);
  CHECK(page64(a).vcpu_info[0].evtchn_upcall_pending == 0);

  EvtchnBindIpi ipi{0, 0};
  REQUIRE(evtchn::bind_ipi(a, ipi) == Err::ok);
  op = {ipi.port, 1};
  CHECK(evtchn::bind_vcpu(a, op) == Err::inval);
  EvtchnBindVirq timer{virq::timer, 0, 0};
  REQUIRE(evtchn::bind_virq(a, timer) == Err::ok);
  op = {timer.port, 1};
  CHECK(evtchn::bind_vcpu(a, op) == Err::inval);
  EvtchnBindVirq console{virq::console, 0, 0};
  REQUIRE(evtchn::bind_virq(a, console) == Err::ok);
  op = {console.port, 1};
  CHECK(evtchn::bind_vcpu(a, op) == Err::ok);
  clear_events(a);
  evtchn::send_virq(*m.domains, a, virq::console);
  CHECK(page64(a).vcpu_info[1].evtchn_upcall_pending == 1);
  CHECK(page64(a).vcpu_info[0].evtchn_upcall_pending == 0);
}

TEST_CASE("event channels: a 32-bit guest's bits are laid out in 32-bit words, up to 1024 ports") {
  hv::test::CoreMachine m;
  Domain& a = m.running({.max_evtchn_ports = 1024, .width = GuestWidth::bits32});
  Domain& b = m.running();
  // Use ports up to 40 in a, so that the interdomain port lands in the second 32-bit word.
  for (u32 i = 1; i < 40; ++i) unbound(m, a, b.id);
  const auto [pa, pb] = connect(m, a, b);
  REQUIRE(pa == 40);
  CHECK(evtchn::send(*m.domains, b, pb) == Err::ok);
  CHECK(page32(a).evtchn_pending[1] == (1u << 8));
  CHECK(page32(a).evtchn_pending[0] == 0);
  CHECK(page32(a).vcpu_info[0].evtchn_pending_sel == (1u << 1));
  CHECK(page32(a).vcpu_info[0].evtchn_upcall_pending == 1);
  DomainConfig too_many{.max_evtchn_ports = 1025, .width = GuestWidth::bits32};
  CHECK(m.domains->create(too_many).error() == Err::inval);
}

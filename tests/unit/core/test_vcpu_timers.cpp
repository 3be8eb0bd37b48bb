// SPDX-License-Identifier: Apache-2.0
// vCPU timers: the single-shot and periodic timers and SCHEDOP_poll's timeout, through the hypercalls a
// guest makes (vcpu_op, set_timer_op, sched_op) and the expiry the run time drives, on a clock the test
// moves. A timer's event is VIRQ_TIMER on its vCPU.
#include <hv/abi/hypercall.hpp>

#include "hypercall_support.hpp"

using hv::Domain;
using hv::Err;
using hv::i64;
using hv::u32;
using hv::u64;
using hv::Vcpu;
using hv::test::put;
using namespace hv::abi;

namespace {
constexpr u64 page = 4096, ms = 1'000'000;
constexpr i64 enosys = -38, efault = -14, einval = -22, enoent = -2, etime = -62;

struct Machine : hv::test::HypercallMachine {
  /// The system time moves to `ns` and the run time's expiry runs, as at a tick.
  void at(u64 ns) {
    clock_ns = ns;
    if (ns >= timers.next_deadline()) timers.expire(ns);
  }
};

/// VIRQ_TIMER bound on `v`: its port.
u32 bind_timer(Domain& d, u32 vcpu = 0) {
  EvtchnBindVirq op{virq::timer, vcpu, 0};
  REQUIRE(hv::evtchn::bind_virq(d, op) == Err::ok);
  return op.port;
}

i64 singleshot(Machine& m, Vcpu& v, u64 deadline, u32 flags = 0) {
  put(*v.domain, 0x100, SetSingleshotTimer<GuestWidth::bits64>{deadline, flags});
  return m.call_on(v, hypercall::vcpu_op, vcpuop::set_singleshot_timer, v.id, 0x100);
}

i64 periodic(Machine& m, Domain& d, u32 vcpu, u64 period) {
  put(d, 0x200, SetPeriodicTimer{period});
  return m.call(d, hypercall::vcpu_op, vcpuop::set_periodic_timer, vcpu, 0x200);
}
} // namespace

TEST_CASE("timers: a single-shot timer raises VIRQ_TIMER at its deadline, once") {
  Machine m;
  Domain& d = m.running();
  const u32 port = bind_timer(d);
  const u64 t0 = m.clock_ns;
  REQUIRE(singleshot(m, d.vcpus[0], t0 + 5 * ms) == 0);
  CHECK(m.timers.next_deadline() == t0 + 5 * ms);
  m.at(t0 + 4 * ms);
  CHECK_FALSE(d.shared_info.test_pending(port));
  m.at(t0 + 5 * ms);
  CHECK(d.shared_info.test_pending(port));
  CHECK(d.shared_info.upcall_pending(0));
  CHECK(m.timers.next_deadline() == hv::VcpuTimers::none);
  d.shared_info.clear_pending(port);
  m.at(t0 + 50 * ms);
  CHECK_FALSE(d.shared_info.test_pending(port));

  // Replaced by a later one; stopped before it fires.
  REQUIRE(singleshot(m, d.vcpus[0], t0 + 60 * ms) == 0);
  REQUIRE(singleshot(m, d.vcpus[0], t0 + 70 * ms) == 0);
  m.at(t0 + 65 * ms);
  CHECK_FALSE(d.shared_info.test_pending(port));
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::stop_singleshot_timer, 0) == 0);
  m.at(t0 + 80 * ms);
  CHECK_FALSE(d.shared_info.test_pending(port));
}

TEST_CASE("timers: a deadline already passed fires at once, or is -ETIME with VCPU_SSHOTTMR_future") {
  Machine m;
  Domain& d = m.running();
  const u32 port = bind_timer(d);
  CHECK(singleshot(m, d.vcpus[0], m.clock_ns - 1, sshottmr::future) == etime);
  CHECK_FALSE(d.shared_info.test_pending(port));
  CHECK(singleshot(m, d.vcpus[0], m.clock_ns, sshottmr::future) == 0); // now is not the past
  CHECK(d.shared_info.test_pending(port));
  d.shared_info.clear_pending(port);
  CHECK(singleshot(m, d.vcpus[0], 1) == 0);
  CHECK(d.shared_info.test_pending(port));
}

TEST_CASE("timers: a timer wakes its blocked vCPU, when VIRQ_TIMER is bound") {
  Machine m;
  Domain& d = m.running();
  REQUIRE(singleshot(m, d.vcpus[0], m.clock_ns + ms) == 0);
  CHECK(m.call(d, hypercall::sched_op, schedop::block) == 0);
  REQUIRE(d.vcpus[0].blocked);
  m.at(m.clock_ns + 2 * ms); // nothing bound: nothing to wake it
  CHECK(d.vcpus[0].blocked);

  bind_timer(d);
  REQUIRE(singleshot(m, d.vcpus[0], m.clock_ns + ms) == 0);
  m.at(m.clock_ns + ms);
  CHECK_FALSE(d.vcpus[0].blocked);
  CHECK(d.vcpus[0].wakeups == 1);
}

TEST_CASE("timers: single-shot operations are the calling vCPU's, periodic ones any of its domain's") {
  Machine m;
  hv::DomainConfig c;
  c.vcpus = 2;
  Domain& d = m.running(c);
  REQUIRE(m.domains->vcpu_up(d.vcpus[1]) == Err::ok);
  put(d, 0x100, SetSingleshotTimer<GuestWidth::bits64>{m.clock_ns + ms, 0});
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::set_singleshot_timer, 1, 0x100) == einval);
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::stop_singleshot_timer, 1) == einval);
  CHECK(m.call_on(d.vcpus[1], hypercall::vcpu_op, vcpuop::set_singleshot_timer, 1, 0x100) == 0);
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::set_singleshot_timer, 2, 0x100) == enoent);
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::set_singleshot_timer, 0, 16 * page) == efault);
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::set_singleshot_timer, 0, 16 * page - 8) == efault);

  const u32 port1 = bind_timer(d, 1);
  CHECK(periodic(m, d, 1, 10 * ms) == 0);
  m.at(m.clock_ns + 10 * ms);
  CHECK(d.shared_info.test_pending(port1));
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::set_periodic_timer, 0, 16 * page) == efault);
}

TEST_CASE("timers: a periodic timer fires every period, in phase, once after missed periods") {
  Machine m;
  Domain& d = m.running();
  const u32 port = bind_timer(d);
  CHECK(periodic(m, d, 0, ms - 1) == einval);
  CHECK(periodic(m, d, 0, u64{1} << 63) == einval);
  const u64 t0 = m.clock_ns;
  REQUIRE(periodic(m, d, 0, 10 * ms) == 0);
  for (u64 k = 1; k <= 3; ++k) {
    m.at(t0 + k * 10 * ms - 1);
    CHECK_FALSE(d.shared_info.test_pending(port));
    m.at(t0 + k * 10 * ms + ms / 2); // a tick late: the next deadline keeps the phase
    CHECK(d.shared_info.test_pending(port));
    d.shared_info.clear_pending(port);
  }
  CHECK(m.timers.next_deadline() == t0 + 40 * ms);
  m.at(t0 + 95 * ms); // five periods missed: one event, and on from now
  CHECK(d.shared_info.test_pending(port));
  CHECK(m.timers.next_deadline() == t0 + 105 * ms);
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::stop_periodic_timer, 0) == 0);
  d.shared_info.clear_pending(port);
  m.at(t0 + 200 * ms);
  CHECK_FALSE(d.shared_info.test_pending(port));
  CHECK(m.timers.next_deadline() == hv::VcpuTimers::none);
}

TEST_CASE("timers: set_timer_op arms, stops, tames far deadlines and takes a 32-bit guest's halves") {
  Machine m;
  Domain& d = m.running();
  const u32 port = bind_timer(d);
  const u64 t0 = m.clock_ns;
  CHECK(m.call(d, hypercall::set_timer_op, t0 + 3 * ms) == 0);
  CHECK(m.timers.next_deadline() == t0 + 3 * ms);
  CHECK(m.call(d, hypercall::set_timer_op, 0) == 0);
  m.at(t0 + 4 * ms);
  CHECK_FALSE(d.shared_info.test_pending(port));
  CHECK(m.call(d, hypercall::set_timer_op, m.clock_ns + (u64{1} << 51)) == 0); // wrapped: in 100 ms instead
  CHECK(d.vcpus[0].timers.singleshot == m.clock_ns + 100 * ms);
  CHECK(m.call(d, hypercall::set_timer_op, 5) == 0); // long past: at once
  CHECK(d.shared_info.test_pending(port));

  hv::DomainConfig narrow;
  narrow.width = GuestWidth::bits32;
  Domain& n = m.running(narrow);
  const u64 deadline = (u64{3} << 32) + 7;
  CHECK(m.call(n, hypercall::set_timer_op, deadline & 0xffff'ffff, deadline >> 32) == 0);
  CHECK(n.vcpus[0].timers.singleshot == deadline);
}

TEST_CASE("timers: SCHEDOP_poll's timeout wakes the vCPU once, and not a later block") {
  Machine m;
  Domain& d = m.running();
  put(d, 0x500, u32{1}); // port 1: closed, never pending
  const u64 t0 = m.clock_ns;
  put(d, 0x600, SchedPoll<GuestWidth::bits64>{0x500, 1, t0 + 5 * ms});
  CHECK(m.call(d, hypercall::sched_op, schedop::poll, 0x600) == 0);
  CHECK(d.vcpus[0].blocked);
  m.at(t0 + 5 * ms);
  CHECK_FALSE(d.vcpus[0].blocked);

  // Woken by an event first: the timeout then leaves a later SCHEDOP_block alone.
  put(d, 0x600, SchedPoll<GuestWidth::bits64>{0x500, 1, t0 + 10 * ms});
  CHECK(m.call(d, hypercall::sched_op, schedop::poll, 0x600) == 0);
  m.domains->vcpu_kick(d.vcpus[0]);
  CHECK(m.call(d, hypercall::sched_op, schedop::block) == 0);
  m.at(t0 + 10 * ms);
  CHECK(d.vcpus[0].blocked);
  m.domains->vcpu_kick(d.vcpus[0]);

  // A timeout already passed returns at once; 0 is no timeout at all.
  put(d, 0x600, SchedPoll<GuestWidth::bits64>{0x500, 1, m.clock_ns});
  CHECK(m.call(d, hypercall::sched_op, schedop::poll, 0x600) == 0);
  CHECK_FALSE(d.vcpus[0].blocked);
  put(d, 0x600, SchedPoll<GuestWidth::bits64>{0x500, 1, 0});
  CHECK(m.call(d, hypercall::sched_op, schedop::poll, 0x600) == 0);
  CHECK(d.vcpus[0].blocked);
  CHECK(m.timers.next_deadline() == hv::VcpuTimers::none);
}

TEST_CASE("timers: a stopped domain's timers are dropped; the time hook runs before the event") {
  Machine m;
  struct Seen {
    u32 calls = 0;
    bool pending_before = true;
    u32 port = 0;
  } seen;
  hv::VcpuTimers timers(*m.domains,
                        hv::SystemClock{[](const void* c) { return static_cast<const Machine*>(c)->clock_ns; }, &m},
                        hv::GuestTimeHook{[](void* c, Vcpu& v) {
                                            auto& s = *static_cast<Seen*>(c);
                                            ++s.calls;
                                            s.pending_before = v.domain->shared_info.test_pending(s.port);
                                          },
                                          &seen});
  Domain& d = m.running();
  seen.port = bind_timer(d);
  REQUIRE(timers.set_periodic(d.vcpus[0], 2 * ms) == Err::ok);
  timers.expire(m.clock_ns + 2 * ms);
  CHECK(seen.calls == 1);
  CHECK_FALSE(seen.pending_before);
  CHECK(d.shared_info.test_pending(seen.port));

  REQUIRE(m.domains->shutdown(d, ShutdownReason::poweroff) == Err::ok);
  timers.expire(m.clock_ns + 4 * ms);
  CHECK(seen.calls == 1);
  CHECK(d.vcpus[0].timers.period == 0);
  CHECK(timers.next_deadline() == hv::VcpuTimers::none);
}

TEST_CASE("timers: a vCPU brought up has its time record written before it first runs") {
  Machine m;
  hv::DomainConfig c;
  c.vcpus = 2;
  Domain& d = m.running(c);
  auto& shared = *static_cast<SharedInfo<GuestWidth::bits64>*>(d.shared_info.raw());
  CHECK(shared.vcpu_info[1].time.version == 0);
  d.vcpus[1].initialised = true; // as VCPUOP_initialise will
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::up, 1) == 0);
  CHECK(shared.vcpu_info[1].time.version == 2);
  CHECK(shared.vcpu_info[1].time.system_time == m.clock_ns);
  CHECK(shared.vcpu_info[1].time.tsc_to_system_mul != 0);
}

TEST_CASE("vcpu_op: a runstate area is accepted; without timers the timer operations are -ENOSYS") {
  Machine m;
  Domain& d = m.running();
  put(d, 0x300, RegisterRunstateArea{0x4000});
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::register_runstate_memory_area, 0, 0x300) == 0);
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::register_runstate_memory_area, 0, 16 * page) == efault);
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::register_runstate_memory_area, 1, 0x300) == enoent);

  m.env.timers = nullptr;
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::stop_periodic_timer, 0) == enosys);
  CHECK(m.call(d, hypercall::set_timer_op, 5) == enosys);
}

TEST_CASE("vcpu_op: register_vcpu_info moves a vCPU's vcpu_info into its RAM, once; that frame stays the domain's") {
  Machine m;
  Domain& d = m.running();
  const u64 gfn = 2, offset = 0x40;
  put(d, 0x300, RegisterVcpuInfo{gfn, 0xfc8, 0}); // would cross the frame's end
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::register_vcpu_info, 0, 0x300) == -6);
  put(d, 0x300, RegisterVcpuInfo{hv::GuestPhysMap::gfn_limit, 0, 0}); // no such frame
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::register_vcpu_info, 0, 0x300) == einval);
  put(d, 0x300, RegisterVcpuInfo{gfn, static_cast<u32>(offset), 0});
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::register_vcpu_info, 0, 0x300) == 0);
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::register_vcpu_info, 0, 0x300) == einval); // once
  auto* moved = static_cast<hv::u8*>(hv::map_frame(d.p2m.lookup(gfn).frame)) + offset;
  CHECK(d.shared_info.vcpu_info(0) == moved);
  CHECK(moved[0] == 1); // evtchn_upcall_pending: the guest rescans its ports
  // Events are delivered to the new place, once the guest has taken what was pending (its upcall flag and
  // selector word, at offset 8 of a 64-bit vcpu_info, cleared).
  d.shared_info.clear_pending(5);
  moved[0] = 0;
  for (int i = 8; i < 16; ++i) moved[i] = 0;
  CHECK(d.shared_info.deliver(5, 0) == true);
  CHECK(moved[0] == 1);
  // The frame cannot be given back while the hypervisor writes there.
  CHECK(m.domains->depopulate(d, gfn) == Err::busy);
}

TEST_CASE(
    "vcpu_op: register_vcpu_info refuses a vcpu_info that is not 8-byte aligned, where its atomic words could not be") {
  // POWER's ldarx/stdcx. on a misaligned doubleword is an alignment interrupt in the hypervisor: a guest
  // that chose offset 4 panicked the machine at its next event (found by the fuzz boot scenario).
  Machine m;
  Domain& d = m.running();
  for (const u32 offset : {1u, 4u, 0x44u, 0xfbcu}) {
    put(d, 0x300, RegisterVcpuInfo{2, offset, 0});
    CHECK(m.call(d, hypercall::vcpu_op, vcpuop::register_vcpu_info, 0, 0x300) == -6);
  }
  CHECK(d.shared_info.vcpu_info(0) != static_cast<hv::u8*>(hv::map_frame(d.p2m.lookup(2).frame)) + 4);
  put(d, 0x300, RegisterVcpuInfo{2, 0x48, 0});
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::register_vcpu_info, 0, 0x300) == 0);
}

TEST_CASE("timers: restored from a save stream, they fire what was left of them from the restore's time") {
  Machine m;
  Domain& d = m.running();
  const u32 port = bind_timer(d);
  Vcpu& v = d.vcpus[0];
  const u64 none = hv::VcpuTimers::none;
  CHECK(m.timers.restore(v, none, 3 * ms, 0) == Err::inval);     // a next tick without a period
  CHECK(m.timers.restore(v, none, none, 10 * ms) == Err::inval); // a period without a next tick
  CHECK(m.timers.restore(v, none, 20 * ms, 10 * ms) == Err::inval);
  CHECK(m.timers.restore(v, none, 0, ms - 1) == Err::inval);
  const u64 t0 = m.clock_ns;
  REQUIRE(m.timers.restore(v, 5 * ms, 3 * ms, 10 * ms) == Err::ok);
  CHECK(m.timers.next_deadline() == t0 + 3 * ms);
  m.at(t0 + 3 * ms); // the periodic tick
  CHECK(d.shared_info.test_pending(port));
  d.shared_info.clear_pending(port);
  m.at(t0 + 5 * ms); // the single-shot one
  CHECK(d.shared_info.test_pending(port));
  d.shared_info.clear_pending(port);
  m.at(t0 + 13 * ms); // the periodic one, a period after its first
  CHECK(d.shared_info.test_pending(port));
  CHECK(m.timers.next_deadline() == t0 + 23 * ms);
}

TEST_CASE("timers: a domain whose clock runs ahead (restored from a later boot) sets deadlines in its own time") {
  Machine m;
  Domain& d = m.running();
  const u32 port = bind_timer(d);
  d.time_offset_ns = 7'000 * ms; // its system time reads 7 s more than the hypervisor's
  const u64 t0 = m.clock_ns;
  CHECK(m.timers.now_of(d) == t0 + 7'000 * ms);
  REQUIRE(singleshot(m, d.vcpus[0], t0 + 7'000 * ms + 5 * ms) == 0);
  CHECK(m.timers.next_deadline() == t0 + 5 * ms);
  m.at(t0 + 4 * ms);
  CHECK_FALSE(d.shared_info.test_pending(port));
  m.at(t0 + 5 * ms);
  CHECK(d.shared_info.test_pending(port));
  // A deadline before the hypervisor's 0 has passed: with VCPU_SSHOTTMR_future it is refused.
  CHECK(singleshot(m, d.vcpus[0], 1 * ms, sshottmr::future) == etime);
}

TEST_CASE("timers: a paused domain's timer fires once it is unpaused, so that a save sees it armed") {
  Machine m;
  Domain& d = m.running();
  const u32 port = bind_timer(d);
  const u64 t0 = m.clock_ns;
  REQUIRE(singleshot(m, d.vcpus[0], t0 + 5 * ms) == 0);
  REQUIRE(m.domains->pause(d) == Err::ok);
  m.at(t0 + 10 * ms);
  CHECK_FALSE(d.shared_info.test_pending(port));
  CHECK(d.vcpus[0].timers.singleshot == t0 + 5 * ms); // still armed: a save records it due at once
  CHECK(m.timers.next_deadline() == t0 + 11 * ms);    // looked at again 1 ms later, not at every pick
  CHECK_FALSE(m.timers.nothing_armed());
  REQUIRE(m.domains->unpause(d) == Err::ok);
  m.at(t0 + 11 * ms);
  CHECK(d.shared_info.test_pending(port));
  CHECK(d.vcpus[0].timers.singleshot == hv::VcpuTimers::none);
  CHECK(m.timers.nothing_armed());
}

TEST_CASE("timers: a restored domain's due timer fires once it is started, not lost before") {
  Machine m;
  hv::DomainConfig config;
  config.max_pages = 16;
  auto created = m.domains->create(config);
  REQUIRE(created.ok());
  Domain& d = *created.value();
  REQUIRE(m.domains->populate(d, 0, 16) == Err::ok);
  const u32 port = bind_timer(d);
  const u64 t0 = m.clock_ns;
  REQUIRE(m.timers.restore(d.vcpus[0], 0, hv::VcpuTimers::none, 0) == Err::ok); // due at once
  m.at(t0 + 1 * ms);                                                            // a tick before the toolstack starts it
  CHECK_FALSE(d.shared_info.test_pending(port));
  CHECK(d.vcpus[0].timers.singleshot == t0);
  REQUIRE(m.domains->start(d) == Err::ok);
  m.at(t0 + 2 * ms);
  CHECK(d.shared_info.test_pending(port));
}

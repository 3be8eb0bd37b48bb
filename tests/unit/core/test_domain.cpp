// SPDX-License-Identifier: Apache-2.0
// Domains: IDs, the lifecycle, and destruction giving back every frame.
#include <hv/core/machine_memory.hpp>

#include "core_support.hpp"

#include <cstring>
#include <vector>

using hv::Domain;
using hv::DomainConfig;
using hv::DomainState;
using hv::Err;
using hv::abi::ShutdownReason;

namespace {
Domain* create(hv::test::CoreMachine& m, DomainConfig c = {}) {
  auto r = m.domains->create(c);
  REQUIRE(r.ok());
  return r.value();
}
} // namespace

TEST_CASE("domains: the control domain is 0, others count up, bad configurations are refused") {
  hv::test::CoreMachine m;
  DomainConfig control;
  control.privileged = true;
  Domain* d0 = create(m, control);
  CHECK(d0->id == 0);
  CHECK(d0->privileged);
  CHECK(m.domains->create(control).error() == Err::exist);
  Domain* d1 = create(m);
  Domain* d2 = create(m);
  CHECK(d1->id == 1);
  CHECK(d2->id == 2);
  CHECK_FALSE(d1->privileged);
  CHECK(m.domains->find(2) == d2);
  CHECK(m.domains->find(hv::abi::domid_self) == nullptr);
  CHECK(m.domains->resolve(*d1, hv::abi::domid_self) == d1);
  CHECK(m.domains->control() == d0);

  m.domains->destroy(*d1);
  CHECK(m.domains->find(1) == nullptr);
  CHECK(create(m)->id == 3); // a destroyed domain's ID is not reused at once

  DomainConfig bad;
  bad.vcpus = 0;
  CHECK(m.domains->create(bad).error() == Err::inval);
  bad.vcpus = hv::limits::max_vcpus + 1;
  CHECK(m.domains->create(bad).error() == Err::inval);
  bad = {};
  bad.width = hv::abi::GuestWidth::bits32;
  bad.max_evtchn_ports = 1025; // past the 2-level limit of a 32-bit guest
  CHECK(m.domains->create(bad).error() == Err::inval);
  bad = {};
  bad.weight = 0;
  CHECK(m.domains->create(bad).error() == Err::inval);
  CHECK(m.domains->count() == 3);
}

TEST_CASE("domains: the table holds max_domains, then creation fails cleanly") {
  hv::test::CoreMachine m(128u << 20);
  const hv::u64 free_before = m.frames.free_frames();
  std::vector<Domain*> all;
  for (hv::usize i = 0; i < hv::limits::max_domains; ++i) all.push_back(create(m));
  CHECK(m.domains->create({}).error() == Err::nomem);
  for (Domain* d : all) m.domains->destroy(*d);
  CHECK(m.frames.free_frames() == free_before);
}

TEST_CASE("domains: created paused, started once built, pause nests, shutdown records its reason") {
  hv::test::CoreMachine m;
  Domain* d = create(m, {.max_pages = 4});
  CHECK(d->state == DomainState::created);
  CHECK(d->pause_count == 1);
  CHECK_FALSE(d->runnable(d->vcpus[0]));
  CHECK(m.domains->start(*d) == Err::inval); // nothing built yet
  REQUIRE(m.domains->populate(*d, 0, 4) == Err::ok);
  CHECK(m.domains->start(*d) == Err::ok);
  CHECK(d->state == DomainState::running);
  CHECK(d->runnable(d->vcpus[0]));
  CHECK(m.domains->start(*d) == Err::inval); // only once

  CHECK(m.domains->pause(*d) == Err::ok);
  CHECK(m.domains->pause(*d) == Err::ok);
  CHECK(m.domains->unpause(*d) == Err::ok);
  CHECK_FALSE(d->runnable(d->vcpus[0]));
  CHECK(m.domains->unpause(*d) == Err::ok);
  CHECK(d->runnable(d->vcpus[0]));
  CHECK(m.domains->unpause(*d) == Err::inval);

  CHECK(m.domains->shutdown(*d, static_cast<ShutdownReason>(9)) == Err::inval);
  CHECK(m.domains->shutdown(*d, ShutdownReason::reboot) == Err::ok);
  CHECK(d->state == DomainState::shut_down);
  CHECK_FALSE(d->runnable(d->vcpus[0]));
  CHECK(m.domains->shutdown(*d, ShutdownReason::poweroff) == Err::ok);
  CHECK(d->shutdown_reason == ShutdownReason::reboot); // the first reason stays
}

TEST_CASE("domains: vCPU 0 starts online, others come up once, and blocking waits for an event") {
  hv::test::CoreMachine m;
  Domain& d = m.running({.vcpus = 3});
  CHECK(d.vcpu_count == 3);
  CHECK(d.vcpu(3) == nullptr);
  CHECK(d.vcpus[0].online);
  CHECK_FALSE(d.vcpus[1].online);
  CHECK_FALSE(d.runnable(d.vcpus[1]));
  CHECK(m.domains->vcpu_up(d.vcpus[1]) == Err::ok);
  CHECK(m.domains->vcpu_up(d.vcpus[1]) == Err::inval);
  CHECK(d.runnable(d.vcpus[1]));

  CHECK(m.domains->vcpu_block(d.vcpus[1]));
  CHECK_FALSE(d.runnable(d.vcpus[1]));
  m.domains->vcpu_kick(d.vcpus[1]);
  CHECK(d.runnable(d.vcpus[1]));
  CHECK(d.vcpus[1].wakeups == 1);

  // An event already waiting (upcall pending, not masked) means SCHEDOP_block returns at once.
  d.shared_info.set_upcall_pending(1);
  CHECK_FALSE(m.domains->vcpu_block(d.vcpus[1]));
  CHECK(d.runnable(d.vcpus[1]));
}

TEST_CASE("domains: SCHEDOP_block re-enables event delivery, so an event that came while masked ends it") {
  // The family's "mask, check, block" idiom: a guest masks upcalls, finds nothing to do, blocks. An event
  // between the check and the block set upcall_pending with the vCPU running, so nothing kicks it later;
  // a block that kept the mask would sleep for good.
  hv::test::CoreMachine m;
  Domain& d = m.running({});
  auto* info = static_cast<hv::u8*>(d.shared_info.vcpu_info(0));
  info[1] = 1; // evtchn_upcall_mask
  d.shared_info.set_upcall_pending(0);
  CHECK_FALSE(m.domains->vcpu_block(d.vcpus[0]));
  CHECK(d.runnable(d.vcpus[0]));
  CHECK_FALSE(d.shared_info.upcall_mask(0));
  info[0] = 0; // the guest takes its event: nothing pending, so the next block waits
  info[1] = 1;
  CHECK(m.domains->vcpu_block(d.vcpus[0]));
  CHECK_FALSE(d.shared_info.upcall_mask(0));
}

TEST_CASE("domains: guest memory is limited by the allowance, and running out of memory is an error") {
  hv::test::CoreMachine m(8u << 20);
  const hv::u64 free_before = m.frames.free_frames();
  Domain* d = create(m, {.max_pages = 100});
  CHECK(m.domains->populate(*d, 0, 101) == Err::nomem);
  CHECK(d->memory.frames == 100);
  CHECK(d->p2m.entries() == 100);
  CHECK(m.domains->populate(*d, 50, 1) == Err::inval); // already mapped
  CHECK(m.domains->populate(*d, hv::GuestPhysMap::gfn_limit, 1) == Err::inval);
  m.domains->destroy(*d);
  CHECK(m.frames.free_frames() == free_before);

  // More than the machine has: an error, not a panic, and everything comes back.
  Domain* big = create(m, {.max_pages = 1u << 20});
  CHECK(m.domains->populate(*big, 0, 4096) == Err::nomem);
  CHECK(m.frames.free_frames() < 16);
  m.domains->destroy(*big);
  CHECK(m.frames.free_frames() == free_before);
}

TEST_CASE("domains: on several CPUs a frame given back leaves its domain at once and the pool after release") {
  hv::test::CoreMachine m(8u << 20);
  const hv::u64 free_at_first = m.frames.free_frames();
  Domain* d = create(m, {.max_pages = 100});
  REQUIRE(m.domains->populate(*d, 0, 100) == Err::ok);
  const hv::u64 free_before = m.frames.free_frames();
  m.frames.keep_retired(true); // as the run time does while other CPUs may read the p2m
  CHECK(m.domains->depopulate(*d, 7) == Err::ok);
  CHECK(d->memory.frames == 99);
  CHECK_FALSE(d->p2m.lookup(7).present());
  CHECK(m.frames.free_frames() == free_before); // retired: another vCPU's hypercall may still copy into it
  CHECK(m.frames.retired_frames() == 1);
  const hv::u64 object_frames = hv::u64{1} << d->self_order;
  // Its RAM is retired too, and the Domain object (a timer walk may read it); the rest is freed.
  m.domains->destroy(*d);
  CHECK(m.frames.retired_frames() == 100 + object_frames);
  m.frames.release_retired(m.frames.take_retired());
  m.frames.keep_retired(false);
  CHECK(m.frames.retired_frames() == 0);
  CHECK(m.frames.free_frames() == free_at_first);
}

TEST_CASE("domains: frames given to a guest are zeroed, even when another guest wrote them") {
  hv::test::CoreMachine m(8u << 20);
  Domain* a = create(m, {.max_pages = 1800});
  REQUIRE(m.domains->populate(*a, 0, 1800) == Err::ok);
  a->p2m.for_each([](hv::u64, hv::GuestPhysMap::Entry e) { std::memset(hv::map_frame(e.frame), 0xA5, 4096); });
  m.domains->destroy(*a);
  Domain* b = create(m, {.max_pages = 1800});
  REQUIRE(m.domains->populate(*b, 0, 1800) == Err::ok);
  bool all_zero = true;
  b->p2m.for_each([&](hv::u64, hv::GuestPhysMap::Entry e) {
    const auto* bytes = static_cast<const unsigned char*>(hv::map_frame(e.frame));
    for (int i = 0; i < 4096; ++i) all_zero = all_zero && bytes[i] == 0;
  });
  CHECK(all_zero);
}

TEST_CASE("domains: destroying a domain gives back every frame it held, to the frame") {
  hv::test::CoreMachine m;
  const hv::u64 free_before = m.frames.free_frames();
  Domain& peer = m.running();
  const hv::u64 free_with_peer = m.frames.free_frames();

  Domain& d = m.running({.vcpus = 4, .max_pages = 3000}, 1000);
  // Memory scattered over the guest-physical space, so that the p2m needs several tables.
  REQUIRE(m.domains->populate(d, 1u << 20, 300) == Err::ok);
  REQUIRE(m.domains->populate(d, (1u << 26) + 7, 5) == Err::ok);
  REQUIRE(m.domains->depopulate(d, 10) == Err::ok);
  CHECK(m.domains->depopulate(d, 10) == Err::inval);
  hv::abi::EvtchnAllocUnbound unbound{hv::abi::domid_self, peer.id, 0};
  REQUIRE(hv::evtchn::alloc_unbound(*m.domains, d, unbound) == Err::ok);
  hv::abi::EvtchnBindInterdomain bind{d.id, unbound.port, 0};
  REQUIRE(hv::evtchn::bind_interdomain(*m.domains, peer, bind) == Err::ok);

  const hv::abi::domid_t id = d.id;
  const hv::u64 held = d.memory.frames + d.overhead.frames;
  CHECK(d.memory.frames == 1000 + 300 + 5 - 1);
  CHECK(m.frames.count_owned_by(id) == held);
  CHECK(free_with_peer - m.frames.free_frames() == held);

  m.domains->destroy(d);
  CHECK(m.frames.count_owned_by(id) == 0);
  CHECK(m.frames.free_frames() == free_with_peer);
  // The peer's end of the channel is waiting again, for the domain that went away.
  hv::abi::EvtchnStatus st{hv::abi::domid_self, bind.local_port, 0, 0, {}};
  REQUIRE(hv::evtchn::status(*m.domains, peer, st) == Err::ok);
  CHECK(st.status == static_cast<hv::u32>(hv::abi::EvtchnStat::unbound));

  m.domains->destroy(peer);
  CHECK(m.frames.free_frames() == free_before);
  CHECK(m.frames.largest_free_order() == static_cast<hv::i32>(hv::FrameAllocator::max_order));
}

TEST_CASE("domains: a crashed domain is torn down alone, and the control domain is told") {
  hv::test::CoreMachine m;
  Domain& control = m.running({.privileged = true});
  hv::abi::EvtchnBindVirq exc{hv::abi::virq::dom_exc, 0, 0};
  REQUIRE(hv::evtchn::bind_virq(control, exc) == Err::ok);
  Domain& survivor = m.running();
  const hv::u64 free_before_crash = m.frames.free_frames();
  Domain& crasher = m.running({.max_pages = 64}, 64);
  const hv::u64 crasher_frames = crasher.memory.frames + crasher.overhead.frames;
  const hv::abi::domid_t crasher_id = crasher.id;

  CHECK(m.domains->shutdown(crasher, ShutdownReason::crash) == Err::ok);
  CHECK(crasher.state == DomainState::dying);
  CHECK(control.shared_info.test_pending(exc.port));
  CHECK(m.frames.free_frames() == free_before_crash - crasher_frames);

  m.domains->reap();
  CHECK(m.domains->find(crasher_id) == nullptr);
  CHECK(m.frames.free_frames() == free_before_crash);
  CHECK(m.domains->count() == 2);
  CHECK(survivor.state == DomainState::running);
  CHECK(survivor.runnable(survivor.vcpus[0]));
  CHECK(control.state == DomainState::running);

  // An orderly shutdown is not torn down by reap: the control domain decides.
  CHECK(m.domains->shutdown(survivor, ShutdownReason::poweroff) == Err::ok);
  m.domains->reap();
  CHECK(m.domains->find(survivor.id) == &survivor);
}

TEST_CASE("domains: a domain no toolstack watches is torn down by reap once it shuts down, for any reason") {
  hv::test::CoreMachine m;
  const hv::u64 free_before = m.frames.free_frames();
  Domain& watched = m.running();
  Domain& alone = m.running();
  alone.destroy_when_shut_down = true;
  const hv::abi::domid_t alone_id = alone.id;

  CHECK(m.domains->shutdown(alone, ShutdownReason::reboot) == Err::ok);
  CHECK(alone.state == DomainState::shut_down);
  CHECK(m.domains->shutdown(watched, ShutdownReason::reboot) == Err::ok);
  m.domains->reap();
  CHECK(m.domains->find(alone_id) == nullptr);
  CHECK(m.domains->find(watched.id) == &watched); // the control domain decides its fate
  CHECK(watched.state == DomainState::shut_down);

  m.domains->destroy(watched);
  CHECK(m.frames.free_frames() == free_before);
}

TEST_CASE("domains: beside a control domain, a boot domain's reboot, suspend and watchdog leave it for the "
          "control domain; poweroff ends it") {
  hv::test::CoreMachine m;
  const hv::u64 free_before = m.frames.free_frames();
  Domain& control = m.running({.privileged = true});
  Domain* boot[4] = {};
  const ShutdownReason reasons[4] = {ShutdownReason::reboot, ShutdownReason::suspend, ShutdownReason::watchdog,
                                     ShutdownReason::poweroff};
  hv::abi::domid_t ids[4] = {};
  for (int i = 0; i < 4; ++i) {
    boot[i] = &m.running();
    boot[i]->destroy_when_shut_down = true;
    ids[i] = boot[i]->id;
    CHECK(m.domains->shutdown(*boot[i], reasons[i]) == Err::ok);
  }
  m.domains->reap();
  for (int i = 0; i < 3; ++i) {
    REQUIRE(m.domains->find(ids[i]) == boot[i]);
    CHECK(boot[i]->state == DomainState::shut_down);
    CHECK(boot[i]->shutdown_reason == reasons[i]);
    CHECK_FALSE(m.domains->ends_at_shutdown(*boot[i]));
  }
  CHECK(m.domains->find(ids[3]) == nullptr); // poweroff ended it

  // Resumed, the suspended one may run again; the others stay as they are.
  CHECK(m.domains->resume(*boot[1]) == Err::ok);
  CHECK(boot[1]->state == DomainState::running);
  CHECK(boot[1]->runnable(boot[1]->vcpus[0]));
  CHECK(m.domains->resume(*boot[1]) == Err::inval); // not shut down now
  m.domains->destroy(*boot[0]);

  // With the control domain gone nobody decides: what it left shut down goes at the next reap.
  CHECK(m.domains->shutdown(control, ShutdownReason::poweroff) == Err::ok);
  m.domains->reap();
  CHECK(m.domains->find(ids[2]) == nullptr);
  CHECK(m.domains->find(ids[1]) == boot[1]); // running again: not the reap's to end
  m.domains->destroy(*boot[1]);
  m.domains->destroy(control);
  CHECK(m.domains->count() == 0);
  CHECK(m.frames.free_frames() == free_before);
}

TEST_CASE("domains: a domain the control domain made keeps every shut-down state for it but a crash") {
  hv::test::CoreMachine m;
  m.running({.privileged = true});
  Domain& made = m.running();
  const hv::abi::domid_t id = made.id;
  CHECK(m.domains->shutdown(made, ShutdownReason::poweroff) == Err::ok);
  m.domains->reap();
  CHECK(m.domains->find(id) == &made);
  CHECK(made.state == DomainState::shut_down);
  CHECK(m.domains->resume(made) == Err::ok);
  CHECK(m.domains->shutdown(made, ShutdownReason::crash) == Err::ok);
  CHECK(m.domains->resume(made) == Err::inval); // dying
  m.domains->reap();
  CHECK(m.domains->find(id) == nullptr);
}

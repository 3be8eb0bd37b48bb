// SPDX-License-Identifier: Apache-2.0
// The core's paths that physical CPUs run at once without the run time's core lock, stressed with real
// threads: a vCPU blocking on its CPU while an event is sent to it from another, round after round (no
// wake-up may be lost: the block/kick protocol of domain_table.cpp; the window is a few instructions wide,
// so a run proves the protocol holds under contention rather than that it catches every bad interleaving),
// and sends on a channel while its other end is closed and bound again (the ports' locks; AddressSanitizer
// and the core's own checks catch a send that reaches a half-changed channel), and a frame a p2m gave up
// freed only after the grace period of hv/read_section.hpp (AddressSanitizer catches a reader reaching
// it after it was freed), and a walk of the timers without the core lock beside domains destroyed.
#include "core_support.hpp"

#include <hv/abi/shared_info.hpp>
#include <hv/core/event_channel.hpp>
#include <hv/core/machine_memory.hpp>
#include <hv/core/vcpu_timers.hpp>
#include <hv/read_section.hpp>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>

using hv::Domain;
using hv::Err;
using hv::u32;
using hv::u64;
using hv::u8;
using Clock = std::chrono::steady_clock;

namespace {

/// What the guest's upcall handler does: takes the port's event and clears its vCPU's selector and
/// upcall_pending, so that the next event starts the 2-level delivery afresh.
void take_event(Domain& d, u32 vcpu, u32 port) {
  auto* info = static_cast<hv::abi::VcpuInfo<hv::abi::GuestWidth::bits64>*>(d.shared_info.vcpu_info(vcpu));
  __atomic_store_n(&info->evtchn_upcall_pending, u8{0}, __ATOMIC_SEQ_CST);
  __atomic_store_n(&info->evtchn_pending_sel, 0ul, __ATOMIC_SEQ_CST);
  d.shared_info.clear_pending(port);
}

} // namespace

TEST_CASE("smp: a vCPU blocking while another CPU sends it an event is never left blocked", "[smp]") {
  hv::test::CoreMachine m;
  Domain& d = m.running({.vcpus = 2});
  REQUIRE(m.domains->vcpu_up(d.vcpus[1]) == Err::ok);
  hv::abi::EvtchnBindIpi ipi{.vcpu = 1, .port = 0};
  REQUIRE(hv::evtchn::bind_ipi(d, ipi) == Err::ok);
  hv::Vcpu& v = d.vcpus[1];

  constexpr u32 rounds = 20'000;
  std::atomic<u32> ready{0}; // round the blocker is in (it is about to block)
  std::atomic<u32> sent{0};  // rounds whose event was sent
  u32 lost = 0;
  std::atomic<u32> refused{0}; // Catch2's assertions belong to the test's own thread: counted here
  std::thread sender([&] {
    for (u32 i = 1; i <= rounds; ++i) {
      while (ready.load() < i) {
      }
      // A delay that sweeps the blocker's few instructions between its check and its block, round by
      // round, so that some sends land inside that window.
      for (volatile u32 spin = 0; spin < i % 64; spin = spin + 1) {
      }
      if (hv::evtchn::send(*m.domains, d, ipi.port) != Err::ok) ++refused;
      sent.store(i);
    }
  });
  for (u32 i = 1; i <= rounds && lost == 0; ++i) {
    take_event(d, 1, ipi.port);
    ready.store(i);
    // Block, racing the send: either the event was seen and it did not block, or the send woke it.
    if (m.domains->vcpu_block(v)) {
      const auto give_up = Clock::now() + std::chrono::seconds(5);
      while (__atomic_load_n(&v.blocked, __ATOMIC_SEQ_CST) && Clock::now() < give_up) {
      }
      if (__atomic_load_n(&v.blocked, __ATOMIC_SEQ_CST)) ++lost;
    }
    while (sent.load() < i) {
    }
  }
  ready.store(rounds); // lets the sender finish if a lost wake-up ended the rounds early
  sender.join();
  CHECK(refused.load() == 0);
  CHECK(lost == 0);
  CHECK(d.runnable(v));
}

TEST_CASE("smp: sends on a channel while its other end is closed and bound again", "[smp]") {
  hv::test::CoreMachine m;
  Domain& a = m.running({});
  Domain& b = m.running({});
  hv::abi::EvtchnAllocUnbound offer{.dom = hv::abi::domid_self, .remote_dom = b.id, .port = 0};
  REQUIRE(hv::evtchn::alloc_unbound(*m.domains, a, offer) == Err::ok);
  hv::abi::EvtchnBindInterdomain bind{.remote_dom = a.id, .remote_port = offer.port, .local_port = 0};
  REQUIRE(hv::evtchn::bind_interdomain(*m.domains, b, bind) == Err::ok);

  std::atomic<bool> done{false};
  std::atomic<u32> sends{0}, refused{0};
  std::thread sender([&] {
    while (!done.load()) {
      // Connected or unbound (then the event is dropped), never anything in between.
      if (hv::evtchn::send(*m.domains, a, offer.port) != Err::ok) ++refused;
      ++sends;
    }
  });
  while (sends.load() == 0) std::this_thread::yield(); // on a loaded host the thread starts late
  // The control path (one thread at a time, as the run time's core lock makes it): b's end goes and
  // comes back, a's port waiting for b meanwhile.
  for (u32 i = 0; i < 20'000; ++i) {
    REQUIRE(hv::evtchn::close(*m.domains, b, bind.local_port) == Err::ok);
    CHECK(a.events.ports[offer.port].state == hv::abi::EvtchnStat::unbound);
    REQUIRE(hv::evtchn::bind_interdomain(*m.domains, b, bind) == Err::ok);
    take_event(b, 0, bind.local_port);
  }
  done.store(true);
  sender.join();
  CHECK(sends.load() > 0);
  CHECK(refused.load() == 0);
  CHECK(a.events.ports[offer.port].state == hv::abi::EvtchnStat::interdomain);
  CHECK(a.events.ports[offer.port].peer == &b);
  CHECK(b.events.ports[bind.local_port].peer == &a);
}

TEST_CASE("smp: a frame the p2m gave up is freed only after every CPU that may have looked it up is done", "[smp]") {
  // Three CPUs' sections: 0 changes the "p2m" (one entry) and frees the old frame after the wait, as
  // Hypervisor::free_retired does; 1 follows the entry without a lock, as a hot hypercall does; 2 never
  // enters.
  hv::ReadSection sections[3];
  auto at = [&](u32 cpu) -> const hv::ReadSection& { return sections[cpu]; };

  SECTION("a reader inside when the entry changed is waited for, and the waiter serves meanwhile") {
    std::atomic<bool> inside{false}, done_reading{false};
    std::thread reader([&] {
      sections[1].enter();
      inside.store(true);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      done_reading.store(true);
      sections[1].leave();
    });
    while (!inside.load()) std::this_thread::yield();
    u32 served = 0;
    hv::ReadSection::wait_for_others(3, 0, at, [&] { ++served; });
    CHECK(done_reading.load());
    CHECK(served > 0);
    reader.join();
  }

  SECTION("nobody inside: no wait") {
    u32 served = 0;
    sections[1].enter();
    sections[1].leave();
    hv::ReadSection::wait_for_others(3, 0, at, [&] { ++served; });
    CHECK(served == 0);
    CHECK_FALSE(sections[1].inside());
  }

  SECTION("a reader following the entry round after round never reaches a freed frame") {
    // A freed frame reached is a heap-use-after-free, which AddressSanitizer reports.
    std::atomic<u64*> entry{new u64{0}};
    std::atomic<bool> stop{false};
    std::atomic<u64> reads{0};
    std::thread reader([&] {
      while (!stop.load(std::memory_order_relaxed)) {
        sections[1].enter();
        u64* const frame = entry.load(std::memory_order_relaxed);
        const u64 seen = __atomic_load_n(frame, __ATOMIC_RELAXED);
        __atomic_store_n(frame, seen + 1, __ATOMIC_RELAXED); // a copy into the guest's page
        sections[1].leave();
        reads.fetch_add(1, std::memory_order_relaxed);
      }
    });
    while (reads.load() == 0) std::this_thread::yield(); // on a loaded host the thread starts late
    for (u32 i = 0; i < 20'000; ++i) {
      u64* const old = entry.exchange(new u64{0}, std::memory_order_relaxed);
      hv::ReadSection::wait_for_others(3, 0, at, [] {});
      delete old;
    }
    stop.store(true);
    reader.join();
    delete entry.load();
    CHECK(reads.load() > 0);
  }
}

TEST_CASE("smp: a timer walk without the core lock fires into no domain once its destroy has begun", "[smp]") {
  // Thread 1 walks the timers inside its section, as a CPU's tick does, moving the clock 1 ms each walk;
  // the main thread, as cold exits do under the core lock, makes domains with a periodic timer and
  // destroys them, then frees what destroy retired after the grace period. Memory taken meanwhile is
  // poisoned, which a walk still reading a freed Domain would trip on (a lock held forever, a vCPU count
  // far beyond the object: AddressSanitizer).
  hv::test::CoreMachine m;
  m.frames.keep_retired(true);
  struct Shared {
    hv::test::CoreMachine* machine;
    std::atomic<u64> now{1'000'000'000};
    std::atomic<u32> fired{0}, into_gone{0};
  } shared{&m};
  hv::VcpuTimers timers(
      *m.domains, hv::SystemClock{[](const void* s) { return static_cast<const Shared*>(s)->now.load(); }, &shared},
      hv::GuestTimeHook{[](void* s, hv::Vcpu& v) {
                          auto& sh = *static_cast<Shared*>(s);
                          sh.fired.fetch_add(1);
                          bool listed = false; // a domain is unlisted only at the end of its destroy
                          for (hv::usize i = 0; i < hv::limits::max_domains; ++i)
                            listed = listed || sh.machine->domains->slot(i) == v.domain;
                          if (!listed) sh.into_gone.fetch_add(1);
                        },
                        &shared});
  hv::ReadSection sections[2];
  auto at = [&](u32 cpu) -> const hv::ReadSection& { return sections[cpu]; };
  hv::FrameAccount scratch{hv::abi::domid_xen};
  std::atomic<bool> done{false};
  std::atomic<u64> walks{0};
  std::thread walker([&] {
    while (!done.load()) {
      sections[1].enter();
      timers.expire(shared.now.fetch_add(1'000'000) + 1'000'000);
      sections[1].leave();
      walks.fetch_add(1);
    }
  });
  while (walks.load() == 0) std::this_thread::yield(); // on a loaded host the thread starts late
  for (u32 i = 0; i < 2'000; ++i) {
    Domain& d = m.running();
    REQUIRE(timers.set_periodic(d.vcpus[0], hv::VcpuTimers::min_period_ns) == Err::ok);
    const u64 walked = walks.load();
    while (walks.load() < walked + (i % 3)) std::this_thread::yield(); // sometimes a walk or two first
    const u32 order = d.self_order;
    m.domains->destroy(d);
    // Another CPU takes memory at once, as one may, and overwrites it: were the Domain freed rather than
    // retired, this would be its block (the allocator hands back what was freed last).
    auto taken_over = m.frames.alloc(order, scratch);
    if (taken_over.ok()) std::memset(hv::map_frame(taken_over.value()), 0xff, hv::FrameAllocator::frame_size << order);
    const hv::FrameAllocator::Retired retired = m.frames.take_retired();
    hv::ReadSection::wait_for_others(2, 0, at, [] {});
    m.frames.release_retired(retired);
    if (taken_over.ok()) REQUIRE(m.frames.free(taken_over.value(), scratch) == Err::ok);
  }
  done.store(true);
  walker.join();
  CHECK(shared.fired.load() > 0);
  CHECK(shared.into_gone.load() == 0);
}

// SPDX-License-Identifier: Apache-2.0
// The credit scheduler on simulated time: weights, caps, blocking, yield, idle, and no starvation.
#include <hv/core/credit_scheduler.hpp>

#include "core_support.hpp"

#include <catch2/catch_approx.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <vector>

using Catch::Approx;
using hv::CreditScheduler;
using hv::Domain;
using hv::Err;
using hv::u64;
using hv::Vcpu;

namespace {
constexpr u64 ms = 1'000'000;

/// A single physical CPU driven by the scheduler's decisions. vCPUs spin unless they have an entry in
/// `demand`: then they run that long and block (as a guest does after handling its events).
struct Sim {
  hv::test::CoreMachine machine;
  CreditScheduler sched;
  u64 now = 0;
  u64 idle_ns = 0;
  std::map<Vcpu*, u64> demand;
  std::map<Vcpu*, u64> woken_at;
  u64 worst_latency = 0;
  u64 tick = 0;                 ///< period of external events; 0 = none
  std::function<u64()> late_by; ///< how long after its deadline a slice ends (a port's tick); none: at it
  u64 next_tick = 0;
  std::function<void()> on_tick;

  explicit Sim(CreditScheduler::Config config = {}) : sched(config) {
    machine.domains->set_run_state_hook(sched.hook());
  }

  Domain& domain(hv::u16 weight, hv::u16 cap = 0, hv::u32 vcpus = 1) {
    Domain& d = machine.running({.vcpus = vcpus, .weight = weight, .cap = cap});
    for (hv::u32 i = 1; i < vcpus; ++i) REQUIRE(machine.domains->vcpu_up(d.vcpus[i]) == Err::ok);
    return d;
  }

  /// An external event for `v` now (a timer VIRQ, say): its next piece of work, and a wake-up.
  void wake(Vcpu& v, u64 work) {
    demand[&v] += work;
    if (!woken_at.count(&v)) woken_at[&v] = now;
    if (v.virq_port[hv::abi::virq::timer] == 0) {
      hv::abi::EvtchnBindVirq op{hv::abi::virq::timer, v.id, 0};
      REQUIRE(hv::evtchn::bind_virq(*v.domain, op) == Err::ok);
    }
    hv::evtchn::send_virq(*machine.domains, *v.domain, hv::abi::virq::timer, v.id);
  }

  void run_for(u64 duration) {
    const u64 end = now + duration;
    if (tick != 0 && next_tick == 0) next_tick = now + tick;
    while (now < end) {
      const auto d = sched.schedule(now);
      u64 stop = std::min(late_by ? d.until + late_by() : d.until, end);
      if (tick != 0) stop = std::min(stop, next_tick);
      REQUIRE(stop > now);
      Vcpu* v = d.vcpu;
      bool blocks = false;
      if (v == nullptr) {
        idle_ns += stop - now;
      } else if (demand.count(v)) {
        if (woken_at.count(v)) {
          worst_latency = std::max(worst_latency, now - woken_at[v]);
          woken_at.erase(v);
        }
        if (demand[v] <= stop - now) {
          stop = now + demand[v];
          blocks = true;
        }
        demand[v] -= stop - now;
      }
      now = stop;
      if (blocks) {
        // The guest handled its events: it clears what it saw, then blocks.
        auto* page = static_cast<hv::abi::SharedInfo<hv::abi::GuestWidth::bits64>*>(v->domain->shared_info.raw());
        page->vcpu_info[v->id].evtchn_upcall_pending = 0;
        page->vcpu_info[v->id].evtchn_pending_sel = 0;
        for (auto& word : page->evtchn_pending) word = 0;
        REQUIRE(machine.domains->vcpu_block(*v));
      }
      while (tick != 0 && next_tick <= now) {
        on_tick();
        next_tick += tick;
      }
    }
    sched.schedule(now); // charges the last slice, as the next timer interrupt would
  }
};

double share(const Domain& d, u64 total) { return static_cast<double>(d.sched.run_ns) / static_cast<double>(total); }
} // namespace

TEST_CASE("credit scheduler: weights 256:512 give 1:2 of the CPU within 5%") {
  Sim sim;
  Domain& light = sim.domain(256);
  Domain& heavy = sim.domain(512);
  sim.run_for(3000 * ms);
  CHECK(sim.idle_ns == 0);
  CHECK(light.sched.run_ns + heavy.sched.run_ns == 3000 * ms);
  const double ratio = static_cast<double>(heavy.sched.run_ns) / static_cast<double>(light.sched.run_ns);
  CHECK(ratio == Approx(2.0).epsilon(0.05));
  // And over a short window too: fairness does not need seconds to show.
  const u64 l0 = light.sched.run_ns, h0 = heavy.sched.run_ns;
  sim.run_for(300 * ms);
  CHECK(static_cast<double>(heavy.sched.run_ns - h0) / static_cast<double>(light.sched.run_ns - l0) ==
        Approx(2.0).epsilon(0.05));
}

TEST_CASE("credit scheduler: 100 domains of four weights share by weight, on a coarse tick too") {
  // A slice ends at the first tick past its deadline (the port checks at ticks only), here one 1 to 3 ms
  // late. Slices of one length for every weight left each domain up to a slice of time ahead at the
  // end, which for the light ones is a large part of their share (the boot matrix's hundred-spinners,
  // 10 s: the weight-100 domains +11%); slices by weight keep the domains off by about one fraction.
  Sim sim;
  sim.late_by = [n = 0u]() mutable { return (1 + (n++ * 7919u) % 3) * ms; };
  std::vector<Domain*> domains;
  for (hv::u16 weight : {100, 200, 300, 400})
    for (int i = 0; i < 25; ++i) domains.push_back(&sim.domain(weight));
  const u64 total = 10'000 * ms;
  sim.run_for(total);
  for (hv::u16 weight : {100, 200, 300, 400}) {
    u64 used = 0;
    for (const Domain* d : domains)
      if (d->sched.weight == weight) {
        used += d->sched.run_ns;
        const double wanted = static_cast<double>(total) * weight / 25'000.0;
        CHECK(static_cast<double>(d->sched.run_ns) == Approx(wanted).epsilon(0.15)); // equal slices: 18% off
      }
    // Equal slices: the weight-100 domains 6.3% over; the boot matrix's hundred-spinners: within 1.3%.
    CHECK(static_cast<double>(used) == Approx(static_cast<double>(total) * weight / 1000.0).epsilon(0.03));
  }
}

TEST_CASE("credit scheduler: three domains share in proportion to their weights") {
  Sim sim;
  Domain& a = sim.domain(100);
  Domain& b = sim.domain(200);
  Domain& c = sim.domain(700);
  sim.run_for(5000 * ms);
  CHECK(share(a, sim.now) == Approx(0.1).epsilon(0.05));
  CHECK(share(b, sim.now) == Approx(0.2).epsilon(0.05));
  CHECK(share(c, sim.now) == Approx(0.7).epsilon(0.05));
}

TEST_CASE("credit scheduler: a cap of 25% holds, alone or against others") {
  SECTION("alone: the CPU idles rather than exceed the cap") {
    Sim sim;
    Domain& capped = sim.domain(256, 25);
    sim.run_for(3000 * ms);
    CHECK(share(capped, sim.now) == Approx(0.25).epsilon(0.05));
    CHECK(share(capped, sim.now) <= 0.25);
    CHECK(static_cast<double>(sim.idle_ns) / static_cast<double>(sim.now) == Approx(0.75).epsilon(0.05));
  }
  SECTION("against an uncapped domain of the same weight") {
    Sim sim;
    Domain& capped = sim.domain(256, 25);
    Domain& other = sim.domain(256);
    sim.run_for(3000 * ms);
    CHECK(share(capped, sim.now) == Approx(0.25).epsilon(0.05));
    CHECK(share(other, sim.now) == Approx(0.75).epsilon(0.05));
    CHECK(sim.idle_ns == 0);
  }
  SECTION("a heavy weight does not lift the cap") {
    Sim sim;
    Domain& capped = sim.domain(4096, 25);
    sim.domain(256);
    sim.run_for(3000 * ms);
    CHECK(share(capped, sim.now) <= 0.25);
    CHECK(share(capped, sim.now) == Approx(0.25).epsilon(0.05));
  }
}

TEST_CASE("credit scheduler: a blocked vCPU costs nothing and banks nothing") {
  Sim sim;
  Domain& sleeper = sim.domain(256);
  Domain& a = sim.domain(256);
  Domain& b = sim.domain(256);
  sim.demand[&sleeper.vcpus[0]] = 0; // blocks the first time it runs
  sim.run_for(1000 * ms);
  CHECK(sleeper.sched.run_ns == 0);
  CHECK(sim.idle_ns == 0);
  CHECK(share(a, sim.now) == Approx(0.5).epsilon(0.02));
  CHECK(share(b, sim.now) == Approx(0.5).epsilon(0.02));

  // After a second asleep it wakes with plenty of work: it gets its third, not a burst that shuts the
  // others out while it spends credit saved up while blocked.
  sim.demand[&sleeper.vcpus[0]] = 0;
  sim.wake(sleeper.vcpus[0], 10'000 * ms);
  const u64 s0 = sleeper.sched.run_ns, a0 = a.sched.run_ns, b0 = b.sched.run_ns;
  sim.run_for(300 * ms);
  CHECK(static_cast<double>(sleeper.sched.run_ns - s0) == Approx(100.0 * ms).epsilon(0.1));
  CHECK(static_cast<double>(a.sched.run_ns - a0) == Approx(100.0 * ms).epsilon(0.1));
  CHECK(static_cast<double>(b.sched.run_ns - b0) == Approx(100.0 * ms).epsilon(0.1));
}

TEST_CASE("credit scheduler: a spinning domain cannot starve an event-driven one") {
  Sim sim;
  Domain& spinner = sim.domain(256);
  Domain& other_spinner = sim.domain(256);
  Domain& interactive = sim.domain(256);
  hv::abi::EvtchnBindVirq timer{hv::abi::virq::timer, 0, 0};
  REQUIRE(hv::evtchn::bind_virq(interactive, timer) == Err::ok);
  Vcpu& v = interactive.vcpus[0];
  sim.demand[&v] = 0;
  sim.tick = 5 * ms; // every 5 ms an event brings 1 ms of work
  sim.on_tick = [&] { sim.wake(v, 1 * ms); };
  sim.run_for(2000 * ms);
  // It got all it asked for (20%), and never waited long: woken, it runs at the next decision.
  CHECK(static_cast<double>(interactive.sched.run_ns) == Approx(0.2 * 2000 * ms).epsilon(0.02));
  CHECK(sim.worst_latency == 0);
  CHECK(v.wakeups >= 390);
  CHECK(share(spinner, sim.now) == Approx(0.4).epsilon(0.05));
  CHECK(share(other_spinner, sim.now) == Approx(0.4).epsilon(0.05));
}

TEST_CASE("credit scheduler: a domain's weight is shared by its vCPUs, which take turns") {
  Sim sim;
  Domain& wide = sim.domain(256, 0, 2);
  Domain& narrow = sim.domain(256);
  sim.run_for(1200 * ms);
  CHECK(share(wide, sim.now) == Approx(0.5).epsilon(0.02));
  CHECK(share(narrow, sim.now) == Approx(0.5).epsilon(0.02));
  CHECK(static_cast<double>(wide.vcpus[0].sched.run_ns) ==
        Approx(static_cast<double>(wide.vcpus[1].sched.run_ns)).epsilon(0.05));
}

TEST_CASE("credit scheduler: yield hands the CPU to another runnable domain") {
  Sim sim;
  Domain& a = sim.domain(256);
  Domain& b = sim.domain(256);
  auto first = sim.sched.schedule(0);
  REQUIRE(first.vcpu != nullptr);
  Domain& ran = *first.vcpu->domain;
  Domain& waiting = &ran == &a ? b : a;
  sim.sched.yield();                  // after 1 ms of its slice
  CHECK(sim.sched.preempt_pending()); // the port reschedules now, not at the slice's end
  auto next = sim.sched.schedule(1 * ms);
  REQUIRE(next.vcpu != nullptr);
  CHECK(next.vcpu->domain == &waiting);
  // Alone, a yield just continues.
  REQUIRE(sim.machine.domains->pause(waiting) == Err::ok);
  sim.sched.yield();
  auto again = sim.sched.schedule(2 * ms);
  CHECK(again.vcpu->domain == &ran);
}

TEST_CASE("credit scheduler: idle when nothing is runnable, and paused or dead domains never run") {
  Sim sim;
  auto d = sim.sched.schedule(0);
  CHECK(d.vcpu == nullptr);
  Domain& a = sim.domain(256);
  Domain& b = sim.domain(256);
  REQUIRE(sim.machine.domains->pause(a) == Err::ok);
  sim.run_for(100 * ms);
  CHECK(a.sched.run_ns == 0);
  CHECK(b.sched.run_ns == 100 * ms);
  REQUIRE(sim.machine.domains->unpause(a) == Err::ok);
  CHECK(sim.sched.preempt_pending());
  sim.run_for(100 * ms);
  CHECK(a.sched.run_ns > 40 * ms);

  // Destroying the running domain leaves the scheduler consistent.
  auto pick = sim.sched.schedule(sim.now);
  REQUIRE(pick.vcpu != nullptr);
  Domain& victim = *pick.vcpu->domain;
  Domain& survivor = &victim == &a ? b : a;
  sim.machine.domains->destroy(victim);
  CHECK(sim.sched.current() == nullptr);
  const u64 before = survivor.sched.run_ns;
  sim.run_for(50 * ms);
  CHECK(survivor.sched.run_ns - before == 50 * ms);
  REQUIRE(sim.machine.domains->shutdown(survivor, hv::abi::ShutdownReason::poweroff) == Err::ok);
  sim.run_for(50 * ms);
  CHECK(sim.idle_ns >= 50 * ms);
}

// ---- several CPUs, each with its own run queue ----

namespace {

/// CPUs that all reschedule every millisecond, each vCPU spinning; kicks recorded.
struct Cpus {
  hv::test::CoreMachine machine;
  CreditScheduler sched;
  u64 now = 0;
  static inline std::vector<hv::u32> kicks;

  explicit Cpus(hv::u32 count, CreditScheduler::Config config = {})
      : sched([&] {
          config.kick = [](hv::u32 cpu) { kicks.push_back(cpu); };
          config.this_cpu = [] { return hv::u32{0}; }; // the test drives the domain table from CPU 0
          return config;
        }()) {
    kicks.clear();
    sched.set_cpus(count);
    machine.domains->set_run_state_hook(sched.hook());
  }

  Domain& domain(hv::u16 weight, hv::u16 cap = 0, hv::u32 vcpus = 1, u64 affinity_of_last = ~u64{0}) {
    Domain& d = machine.running({.vcpus = vcpus, .weight = weight, .cap = cap});
    for (hv::u32 i = 1; i < vcpus; ++i) {
      if (i + 1 == vcpus) d.vcpus[i].sched.affinity = affinity_of_last;
      REQUIRE(machine.domains->vcpu_up(d.vcpus[i]) == Err::ok);
    }
    return d;
  }

  /// Every CPU picks once a millisecond for `duration`; returns, per vCPU, the CPUs it ran on.
  std::map<Vcpu*, std::set<hv::u32>> run_for(u64 duration) {
    std::map<Vcpu*, std::set<hv::u32>> where;
    const u64 end = now + duration;
    for (; now < end; now += ms)
      for (hv::u32 cpu = 0; cpu < sched.cpus(); ++cpu)
        if (Vcpu* v = sched.schedule(cpu, now).vcpu; v != nullptr) where[v].insert(cpu);
    for (hv::u32 cpu = 0; cpu < sched.cpus(); ++cpu) sched.schedule(cpu, now);
    return where;
  }
};

} // namespace

TEST_CASE("credit scheduler, 4 CPUs: four spinning domains run at once, one a CPU") {
  Cpus cpus(4);
  Domain* d[4];
  for (auto& x : d) x = &cpus.domain(256);
  std::set<Vcpu*> picked;
  for (hv::u32 cpu = 0; cpu < 4; ++cpu) picked.insert(cpus.sched.schedule(cpu, 0).vcpu);
  CHECK(picked.size() == 4);
  CHECK_FALSE(picked.count(nullptr));
  cpus.run_for(100 * ms);
  for (auto* x : d) CHECK(static_cast<double>(x->sched.run_ns) == Approx(100.0 * ms).epsilon(0.02));
}

TEST_CASE("credit scheduler, 2 CPUs: weights hold machine-wide, not only among the domains that share a CPU") {
  Cpus cpus(2);
  // Placed in turn on the less loaded CPU: a and c on CPU 0, b on CPU 1. Left there, c would get 2/3 of
  // CPU 0 and b all of CPU 1; by weight, c (512) is owed one CPU and a and b (256) half of one each.
  Domain& a = cpus.domain(256);
  Domain& b = cpus.domain(256);
  Domain& c = cpus.domain(512);
  REQUIRE(a.vcpus[0].sched.cpu == c.vcpus[0].sched.cpu);
  cpus.run_for(300 * ms);
  CHECK(static_cast<double>(c.sched.run_ns) / static_cast<double>(a.sched.run_ns) == Approx(2.0).epsilon(0.05));
  CHECK(static_cast<double>(c.sched.run_ns) / static_cast<double>(b.sched.run_ns) == Approx(2.0).epsilon(0.05));
}

TEST_CASE("credit scheduler, 4 CPUs: two 4-vCPU domains of weights 256 and 512 share the machine 1:2") {
  // Placement by count can leave both light vCPUs on one CPU and both heavy ones on another (1:1 there);
  // balancing by the queues' shares ends with one of each on every CPU, in whichever order they came.
  for (const bool light_first : {true, false}) {
    Cpus cpus(4);
    Domain& first = cpus.domain(light_first ? 256 : 512, 0, 4);
    Domain& second = cpus.domain(light_first ? 512 : 256, 0, 4);
    Domain& light = light_first ? first : second;
    Domain& heavy = light_first ? second : first;
    cpus.run_for(600 * ms);
    const double total = static_cast<double>(light.sched.run_ns + heavy.sched.run_ns);
    CHECK(total == Approx(4 * 600.0 * ms).epsilon(0.01)); // no CPU idled
    CHECK(static_cast<double>(light.sched.run_ns) / total == Approx(1.0 / 3).margin(0.05));
  }
}

TEST_CASE("credit scheduler, 2 CPUs: an idle CPU takes a runnable vCPU from the loaded queue") {
  Cpus cpus(2);
  Domain& a = cpus.domain(256);
  Domain& b = cpus.domain(256);
  Domain& c = cpus.domain(256);
  cpus.run_for(10 * ms);
  // Whichever CPU had one vCPU: block it, and that CPU takes one of the other queue's.
  Vcpu* alone = nullptr;
  for (Domain* d : {&a, &b, &c})
    if (cpus.sched.queued(d->vcpus[0].sched.cpu) == 0) alone = &d->vcpus[0];
  REQUIRE(alone != nullptr);
  const hv::u32 cpu = alone->sched.cpu;
  REQUIRE(cpus.machine.domains->vcpu_block(*alone));
  const auto where = cpus.run_for(50 * ms);
  hv::u32 moved = 0;
  for (Domain* d : {&a, &b, &c})
    if (&d->vcpus[0] != alone && where.count(&d->vcpus[0]) && where.at(&d->vcpus[0]).count(cpu)) ++moved;
  CHECK(moved >= 1);
  CHECK(cpus.sched.current(cpu) != nullptr);
}

TEST_CASE("credit scheduler, 2 CPUs: hard affinity keeps a vCPU on its CPU") {
  Cpus cpus(2);
  Domain& pinned = cpus.domain(256, 0, 2, u64{1} << 1); // its vCPU 1 on CPU 1 alone
  Domain& other = cpus.domain(256);
  (void)other;
  const auto where = cpus.run_for(100 * ms);
  REQUIRE(where.count(&pinned.vcpus[1]));
  CHECK(where.at(&pinned.vcpus[1]) == std::set<hv::u32>{1});
}

TEST_CASE("credit scheduler, 2 CPUs: a cap holds for a domain's vCPUs together") {
  Cpus cpus(2);
  Domain& capped = cpus.domain(256, 50, 2); // two spinning vCPUs, at most half of one CPU in all
  cpus.run_for(300 * ms);
  CHECK(static_cast<double>(capped.sched.run_ns) / static_cast<double>(300 * ms) <= 0.5 + 0.06);
  CHECK(static_cast<double>(capped.sched.run_ns) / static_cast<double>(300 * ms) >= 0.5 - 0.06);
}

TEST_CASE("credit scheduler, 2 CPUs: a wake-up for the other CPU's queue asks that CPU") {
  Cpus cpus(2);
  Domain& a = cpus.domain(256);
  Domain& b = cpus.domain(256);
  const hv::u32 cpu_b = b.vcpus[0].sched.cpu;
  REQUIRE(cpu_b != a.vcpus[0].sched.cpu);
  cpus.run_for(5 * ms);
  REQUIRE(cpus.machine.domains->vcpu_block(b.vcpus[0]));
  cpus.run_for(5 * ms); // CPU cpu_b idles
  Cpus::kicks.clear();
  cpus.machine.domains->vcpu_kick(b.vcpus[0]);
  if (cpu_b != 0) {
    REQUIRE(Cpus::kicks.size() == 1);
    CHECK(Cpus::kicks[0] == cpu_b);
  } else {
    CHECK(Cpus::kicks.empty()); // its own CPU: no IPI, the flag says
  }
  CHECK(cpus.sched.preempt_pending(cpu_b));
}

TEST_CASE("credit scheduler, 2 CPUs: an event for a vCPU running on the other CPU asks that CPU") {
  Cpus cpus(2);
  Domain& a = cpus.domain(256);
  Domain& b = cpus.domain(256);
  cpus.run_for(2 * ms);
  Vcpu& on_1 = a.vcpus[0].sched.cpu == 1 ? a.vcpus[0] : b.vcpus[0];
  REQUIRE(cpus.sched.current(1) == &on_1);
  Cpus::kicks.clear();
  cpus.machine.domains->vcpu_kick(on_1); // not blocked: an event while it runs
  CHECK(Cpus::kicks == std::vector<hv::u32>{1});
  Vcpu& on_0 = &on_1 == &a.vcpus[0] ? b.vcpus[0] : a.vcpus[0];
  Cpus::kicks.clear();
  cpus.machine.domains->vcpu_kick(on_0); // running on the asking CPU itself: nothing to send
  CHECK(Cpus::kicks.empty());
}

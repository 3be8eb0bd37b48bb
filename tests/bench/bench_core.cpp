// SPDX-License-Identifier: Apache-2.0
// Host micro-benchmarks of the core's hot paths (Google Benchmark), on the host port's simulated machine.
// Not run by the test suite: tests/bench/run builds them in release mode and runs them; the figures go
// into docs/performance.md.
#include <hv/abi/hypercall.hpp>
#include <hv/core/credit_scheduler.hpp>
#include <hv/core/domain_table.hpp>
#include <hv/core/event_channel.hpp>
#include <hv/core/hypercall.hpp>
#include <hv/core/machine_memory.hpp>

#include <port.hpp>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

namespace {

using namespace hv;

constexpr PhysAddr ram_base = 0x80000000;

/// RAM, a frame allocator over it, a domain table and a scheduler.
struct Machine {
  std::vector<FrameInfo> table;
  FrameAllocator frames;
  std::unique_ptr<DomainTable> domains;
  CreditScheduler scheduler;

  explicit Machine(u64 ram_bytes = 64u << 20) {
    host::reset_machine(ram_base, ram_bytes, nullptr, "");
    table.resize(FrameAllocator::metadata_bytes(ram_base, ram_base + ram_bytes) / sizeof(FrameInfo));
    frames.init(ram_base, ram_base + ram_bytes, table.data());
    frames.add_free({ram_base, ram_bytes});
    domains = std::make_unique<DomainTable>(frames);
    domains->set_run_state_hook(scheduler.hook());
  }

  Domain& running(u32 vcpus, bool privileged = false) {
    DomainConfig c;
    c.vcpus = vcpus;
    c.max_pages = 4;
    c.privileged = privileged;
    auto d = domains->create(c);
    if (!d.ok() || domains->populate(*d.value(), 0, 4) != Err::ok || domains->start(*d.value()) != Err::ok) {
      std::fprintf(stderr, "bench: cannot build a domain\n");
      std::abort();
    }
    for (u32 i = 1; i < vcpus; ++i) (void)domains->vcpu_up(d.value()->vcpus[i]);
    return *d.value();
  }
};

/// One scheduling decision with N runnable vCPUs (N / 32 domains of 32 vCPUs, or one domain of N):
/// charge the running vCPU, put it back, pick the next. Every vCPU stays runnable, so each call is a full
/// pick among N.
void BM_SchedulerPick(benchmark::State& state) {
  const u32 n = static_cast<u32>(state.range(0));
  Machine m;
  const u32 per_domain = n < limits::max_vcpus ? n : limits::max_vcpus;
  for (u32 made = 0; made < n; made += per_domain) m.running(per_domain);
  u64 now = 0;
  m.scheduler.schedule(now);
  for (auto _ : state) {
    now += 1000;
    benchmark::DoNotOptimize(m.scheduler.schedule(now));
  }
}
BENCHMARK(BM_SchedulerPick)->Arg(1)->Arg(16)->Arg(256)->Arg(4096);

/// The same with C CPUs, each with its own run queue (the vCPUs spread over them as they become
/// runnable): one decision of each CPU in turn, so that a figure is one CPU's pick among N / C.
void BM_SchedulerPickPerCpu(benchmark::State& state) {
  const u32 cpus = static_cast<u32>(state.range(0));
  const u32 n = static_cast<u32>(state.range(1));
  Machine m;
  m.scheduler.set_cpus(cpus);
  for (u32 made = 0; made < n; made += limits::max_vcpus) m.running(limits::max_vcpus);
  u64 now = 0;
  for (u32 cpu = 0; cpu < cpus; ++cpu) m.scheduler.schedule(cpu, now);
  u32 cpu = 0;
  for (auto _ : state) {
    now += 1000;
    benchmark::DoNotOptimize(m.scheduler.schedule(cpu, now));
    cpu = cpu + 1 == cpus ? 0 : cpu + 1;
  }
}
BENCHMARK(BM_SchedulerPickPerCpu)->Args({4, 4096})->Args({16, 4096})->Args({64, 4096});

/// EVTCHNOP_send on an interdomain channel, then the receiving guest's acknowledgement (clearing the
/// port's pending bit, its selector bit and upcall_pending), so that every send takes the full delivery
/// path: pending bit, selector bit, upcall flag.
void BM_EventChannelSend(benchmark::State& state) {
  Machine m;
  Domain& a = m.running(1);
  Domain& b = m.running(1);
  abi::EvtchnAllocUnbound alloc{abi::domid_self, b.id, 0};
  abi::EvtchnBindInterdomain bind{a.id, 0, 0};
  if (evtchn::alloc_unbound(*m.domains, a, alloc) != Err::ok) std::abort();
  bind.remote_port = alloc.port;
  if (evtchn::bind_interdomain(*m.domains, b, bind) != Err::ok) std::abort();
  auto* info = static_cast<abi::SharedInfo<abi::GuestWidth::bits64>*>(a.shared_info.raw());
  for (auto _ : state) {
    benchmark::DoNotOptimize(evtchn::send(*m.domains, b, bind.local_port));
    a.shared_info.clear_pending(alloc.port);
    __atomic_store_n(&info->vcpu_info[0].evtchn_pending_sel, u64{0}, __ATOMIC_RELAXED);
    __atomic_store_n(&info->vcpu_info[0].evtchn_upcall_pending, u8{0}, __ATOMIC_RELAXED);
  }
}
BENCHMARK(BM_EventChannelSend);

/// The same send as a hypercall: dispatch, the 4-byte record copied from guest memory, the send itself.
void BM_HypercallEventChannelSend(benchmark::State& state) {
  Machine m;
  Domain& a = m.running(1);
  Domain& b = m.running(1);
  abi::EvtchnAllocUnbound alloc{abi::domid_self, b.id, 0};
  abi::EvtchnBindInterdomain bind{a.id, 0, 0};
  if (evtchn::alloc_unbound(*m.domains, a, alloc) != Err::ok) std::abort();
  bind.remote_port = alloc.port;
  if (evtchn::bind_interdomain(*m.domains, b, bind) != Err::ok) std::abort();
  *static_cast<u32*>(map_frame(b.p2m.lookup(1).frame)) = bind.local_port; // the record, at gpa 0x1000
  HypercallEnv env{*m.domains, &m.scheduler};
  const HypercallArgs args{abi::hypercall::event_channel_op, abi::evtchnop::send, 0x1000};
  auto* info = static_cast<abi::SharedInfo<abi::GuestWidth::bits64>*>(a.shared_info.raw());
  for (auto _ : state) {
    benchmark::DoNotOptimize(dispatch(env, b, b.vcpus[0], args));
    a.shared_info.clear_pending(alloc.port);
    __atomic_store_n(&info->vcpu_info[0].evtchn_pending_sel, u64{0}, __ATOMIC_RELAXED);
    __atomic_store_n(&info->vcpu_info[0].evtchn_upcall_pending, u8{0}, __ATOMIC_RELAXED);
  }
}
BENCHMARK(BM_HypercallEventChannelSend);

/// A block of 2^order frames allocated and freed again (bookkeeping only: the allocator never touches
/// the frames themselves).
void BM_FrameAllocFree(benchmark::State& state) {
  const u32 order = static_cast<u32>(state.range(0));
  Machine m;
  FrameAccount account{7};
  // Some fragmentation, so that alloc splits and free merges.
  std::vector<PhysAddr> held;
  for (int i = 0; i < 64; ++i) held.push_back(m.frames.alloc(0, account).value());
  for (usize i = 0; i < held.size(); i += 2) (void)m.frames.free(held[i], account);
  for (auto _ : state) {
    auto block = m.frames.alloc(order, account);
    benchmark::DoNotOptimize(block);
    (void)m.frames.free(block.value(), account);
  }
}
BENCHMARK(BM_FrameAllocFree)->Arg(0)->Arg(9);

/// xen_version(XENVER_version) through dispatch: the null hypercall's common-code share.
void BM_HypercallXenVersion(benchmark::State& state) {
  Machine m;
  Domain& d = m.running(1);
  HypercallEnv env{*m.domains, &m.scheduler};
  const HypercallArgs args{abi::hypercall::xen_version, abi::xenver::version};
  for (auto _ : state) benchmark::DoNotOptimize(dispatch(env, d, d.vcpus[0], args));
}
BENCHMARK(BM_HypercallXenVersion);

} // namespace

BENCHMARK_MAIN();

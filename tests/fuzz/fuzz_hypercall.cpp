// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness for hypercall dispatch (hv/core/hypercall.hpp, every family in common/core/*_hypercalls.cpp
// and everything they reach).
//
// A simulated machine with a control domain lives for the whole run. Each input gets a fresh unprivileged domain
// (32- or 64-bit, as the input says, with a console ring at its last page) whose guest memory starts with the
// input's first bytes, then drives a sequence of hypercalls with numbers, sub-operations and arguments taken from
// the input (mostly from the unprivileged domain, sometimes from the control domain, so that domctl creates,
// builds and destroys domains too), interleaved with writes to guest memory, timer expiry and scheduler
// decisions. After each input:
//  - nothing crashed (ASan, UBSan, or a core check() failing: a panic ends the process);
//  - once every domain but the control domain is destroyed, no frame is lost: free frames plus the frames
//    each domain owns equal the total, and each domain's accounts agree with the allocator;
//  - the hypervisor still works: the control domain's xen_version call succeeds.
#include <hv/abi/domctl.hpp>
#include <hv/abi/hypercall.hpp>
#include <hv/core/credit_scheduler.hpp>
#include <hv/core/guest_memory.hpp>
#include <hv/core/hypercall.hpp>

#include <port.hpp>

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

using namespace hv;

constexpr PhysAddr ram_base = 0x80000000;
constexpr u64 ram_bytes = 8u << 20;
constexpr u64 page = 4096;
constexpr u64 guest_pages = 16;

struct World {
  std::vector<FrameInfo> table;
  FrameAllocator frames;
  DomainTable* domains = nullptr;
  CreditScheduler scheduler;
  HypercallEnv* env = nullptr;
  VcpuTimers* timers = nullptr;
  HypervisorFacts facts{"hvm-3.0-x86_64", "fuzz"};
  u64 now = 0;

  World() {
    host::reset_machine(ram_base, ram_bytes, nullptr, "");
    table.resize(FrameAllocator::metadata_bytes(ram_base, ram_base + ram_bytes) / sizeof(FrameInfo));
    frames.init(ram_base, ram_base + ram_bytes, table.data());
    frames.add_free({ram_base, ram_bytes});
    domains = new DomainTable(frames);
    domains->set_run_state_hook(scheduler.hook());
    timers =
        new VcpuTimers(*domains, SystemClock{[](const void* w) { return static_cast<const World*>(w)->now; }, this});
    env = new HypercallEnv{*domains, &scheduler, timers, &facts};
  }

  Domain* make(bool privileged, u32 vcpus, abi::GuestWidth width = abi::GuestWidth::bits64) {
    DomainConfig c;
    c.privileged = privileged;
    c.vcpus = vcpus;
    c.width = width;
    c.max_evtchn_ports = abi::two_level_port_limit(width);
    c.max_pages = 2 * guest_pages;
    auto d = domains->create(c);
    if (!d.ok() || domains->populate(*d.value(), 0, guest_pages) != Err::ok || domains->start(*d.value()) != Err::ok) {
      std::fprintf(stderr, "fuzz: cannot build a domain\n");
      std::abort();
    }
    for (u32 i = 0; i < d.value()->vcpu_count; ++i) d.value()->vcpus[i].context_made = true; // as a builder would
    if (!privileged) { // a console ring at its last page, as the run time gives the domains it builds
      d.value()->console.gfn = guest_pages - 1;
      d.value()->hvm_params[abi::hvm_param::console_pfn] = guest_pages - 1;
    }
    return d.value();
  }

  Domain& control() {
    Domain* c = domains->control();
    return c != nullptr ? *c : *make(true, 1);
  }
};

World& world() {
  static World w;
  return w;
}

void fail(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

/// A guest address: usually in or just past guest memory, sometimes anything at all.
u64 guest_address(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 7)) {
  case 0: return in.ConsumeIntegral<u64>();
  case 1: return guest_pages * page - in.ConsumeIntegralInRange<u64>(0, 64); // straddling the end
  default: return in.ConsumeIntegralInRange<u64>(0, (guest_pages + 1) * page);
  }
}

u64 hypercall_number(FuzzedDataProvider& in) {
  static constexpr u64 known[] = {abi::hypercall::xen_version,    abi::hypercall::console_io,
                                  abi::hypercall::sched_op,       abi::hypercall::event_channel_op,
                                  abi::hypercall::grant_table_op, abi::hypercall::memory_op,
                                  abi::hypercall::vcpu_op,        abi::hypercall::domctl,
                                  abi::hypercall::hvm_op,         abi::hypercall::set_timer_op};
  const u32 pick = in.ConsumeIntegralInRange<u32>(0, sizeof known / sizeof known[0]);
  return pick < sizeof known / sizeof known[0] ? known[pick] : in.ConsumeIntegral<u64>();
}

/// A small number most of the time (sub-operations, counts, vCPU IDs, ports), anything sometimes.
u64 small_or_any(FuzzedDataProvider& in) {
  return in.ConsumeBool() ? in.ConsumeIntegralInRange<u64>(0, 15) : in.ConsumeIntegral<u64>();
}

/// Writes a domctl record with the right interface version, so that the control domain's calls get past
/// the version check and reach the commands.
void plant_domctl(FuzzedDataProvider& in, Domain& ctl, u64 at) {
  abi::Domctl op{};
  op.cmd = in.ConsumeIntegralInRange<u32>(0, 17);
  if (op.cmd == 17) op.cmd = abi::domctl::hv_adopt_peers; // this hypervisor's own, outside the family's numbers
  op.interface_version = abi::domctl_interface_version;
  op.domain = in.ConsumeIntegralInRange<u16>(0, 8);
  auto raw = in.ConsumeBytes<u8>(sizeof op.u.raw);
  for (usize i = 0; i < raw.size(); ++i) op.u.raw[i] = raw[i];
  if (op.cmd == abi::domctl::createdomain) op.u.createdomain.max_vcpus = in.ConsumeIntegralInRange<u32>(0, 4);
  (void)GuestMemory(ctl.p2m).copy_to(at, &op, sizeof op);
}

void check_frames(World& w) {
  u64 owned = 0;
  for (usize i = 0; i < limits::max_domains; ++i) {
    Domain* d = w.domains->slot(i);
    if (d == nullptr) continue;
    const u64 mine = w.frames.count_owned_by(d->id);
    if (mine != d->memory.frames + d->overhead.frames) fail("a domain's accounts disagree with the allocator");
    owned += mine;
  }
  if (w.frames.free_frames() + owned != w.frames.total_frames()) fail("free + owned frames != total: a frame was lost");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const u8* data, size_t size) {
  World& w = world();
  FuzzedDataProvider in(data, size);
  Domain* ctl = &w.control();
  const abi::domid_t ctl_id = ctl->id;
  const auto width = in.ConsumeBool() ? abi::GuestWidth::bits32 : abi::GuestWidth::bits64;
  Domain* guest = w.make(false, in.ConsumeIntegralInRange<u32>(1, 3), width);
  const abi::domid_t guest_id = guest->id;

  // Guest memory from the input.
  auto bytes = in.ConsumeBytes<u8>(in.ConsumeIntegralInRange<usize>(0, guest_pages * page));
  (void)GuestMemory(guest->p2m).copy_to(0, bytes.data(), bytes.size());

  for (int step = 0; step < 64 && in.remaining_bytes() > 0; ++step) {
    ctl = w.domains->find(ctl_id);
    guest = w.domains->find(guest_id);
    const bool from_control = in.ConsumeIntegralInRange<int>(0, 7) == 0;
    Domain* caller = from_control ? ctl : guest;
    if (caller == nullptr || caller->state == DomainState::dying) break;

    switch (in.ConsumeIntegralInRange<int>(0, 9)) {
    case 0: { // the guest changes its memory between calls
      auto patch = in.ConsumeBytes<u8>(in.ConsumeIntegralInRange<usize>(1, 64));
      (void)GuestMemory(caller->p2m).copy_to(guest_address(in), patch.data(), patch.size());
      break;
    }
    case 1: { // time passes: timers fire, the scheduler picks
      w.now += in.ConsumeIntegralInRange<u64>(1, 20'000'000);
      if (w.now >= w.timers->next_deadline()) w.timers->expire(w.now);
      w.scheduler.schedule(w.now);
      break;
    }
    default: {
      HypercallArgs args{hypercall_number(in), small_or_any(in),  guest_address(in),
                         small_or_any(in),     guest_address(in), in.ConsumeIntegral<u64>()};
      if (from_control && args.nr == abi::hypercall::domctl) {
        args.a0 = in.ConsumeIntegralInRange<u64>(0, 8) * 256;
        plant_domctl(in, *caller, args.a0);
      }
      if (args.nr == abi::hypercall::vcpu_op || args.nr == abi::hypercall::grant_table_op) args.a1 = small_or_any(in);
      Vcpu& v = caller->vcpus[in.ConsumeIntegralInRange<u32>(0, caller->vcpu_count - 1)];
      dispatch(*w.env, *caller, v, args);
      break;
    }
    }
    w.domains->reap();
  }
  host::clear_console_output();

  // Tear down everything but the control domain, then account for every frame.
  w.domains->reap();
  for (usize i = 0; i < limits::max_domains; ++i) {
    Domain* d = w.domains->slot(i);
    if (d != nullptr && !d->privileged) w.domains->destroy(*d);
  }
  check_frames(w);

  Domain& c = w.control();
  if (c.state != DomainState::running) { // it shut itself down: start afresh
    w.domains->destroy(c);
    check_frames(w);
  }
  Domain& alive = w.control();
  const i64 version = dispatch(*w.env, alive, alive.vcpus[0], HypercallArgs{abi::hypercall::xen_version});
  if (version != static_cast<i64>(abi::version_major << 16 | abi::version_minor)) fail("xen_version stopped working");
  return 0;
}

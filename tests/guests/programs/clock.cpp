// SPDX-License-Identifier: Apache-2.0
// clock: the family's PV time and timers as a guest uses them. Reads its system time from its
// vcpu_time_info and its own counter, sleeps on a single-shot timer, counts periodic ticks, polls with a
// timeout, and prints a line through its console ring. Each check that fails crashes the guest, naming it.
#include "../lib/guest.hpp"

#include <hv/abi/console.hpp>
#include <hv/abi/hvm.hpp>

namespace guest {
namespace {

constexpr auto width = sizeof(ulong) == 8 ? hv::abi::GuestWidth::bits64 : hv::abi::GuestWidth::bits32;
constexpr u64 ms = 1'000'000;

volatile u32 timer_events = 0;
void on_timer(u32) { timer_events = timer_events + 1; }

long vcpu_op(u64 cmd, void* argument) {
  return hypercall(hv::abi::hypercall::vcpu_op, cmd, 0, argument != nullptr ? address(argument) : 0);
}

long singleshot(u64 deadline, u32 flags) {
  hv::abi::SetSingleshotTimer<width> timer{deadline, flags};
  return vcpu_op(hv::abi::vcpuop::set_singleshot_timer, &timer);
}

void wait_for_timer_events(u32 count) {
  const u32 target = timer_events + count;
  while (timer_events < target) wait_for_event();
}

u64 hvm_param(u32 index) {
  hv::abi::HvmParam param{hv::abi::domid_self, 0, index, 0};
  expect("hvm_op get_param", hypercall(hv::abi::hypercall::hvm_op, hv::abi::hvmop::get_param, address(&param)), 0);
  return param.value;
}

/// What a ring console driver does: the bytes into `out` at the producer index, then the index, then a
/// notify on the ring's channel.
void ring_print(const char* text) {
  const u64 port = hvm_param(hv::abi::hvm_param::console_evtchn);
  const u64 pfn = hvm_param(hv::abi::hvm_param::console_pfn);
  if (port == 0 || pfn == 0) fail("a console ring announced", static_cast<i64>(pfn), 1);
  auto* ring = reinterpret_cast<volatile hv::abi::ConsoleInterface*>(static_cast<ulong>(pfn << 12));
  u32 prod = ring->out_prod;
  for (const char* c = text; *c != '\0'; ++c) ring->out[prod++ % sizeof ring->out] = *c;
  __atomic_thread_fence(__ATOMIC_RELEASE);
  ring->out_prod = prod;
  expect("send on the console ring's channel", send(static_cast<u32>(port)), 0);
}

} // namespace

void guest_main() {
  events_init();
  hv::abi::FeatureInfo features{0, 0};
  expect("get_features", hypercall(hv::abi::hypercall::xen_version, hv::abi::xenver::get_features, address(&features)),
         0);
  expect("hvm_safe_pvclock", (features.submap >> hv::abi::xenfeat::hvm_safe_pvclock) & 1, 1);
  Line() << "clock: features include hvm_safe_pvclock";

  hv::abi::EvtchnBindVirq bind{hv::abi::virq::timer, 0, 0};
  expect("bind VIRQ_TIMER",
         hypercall(hv::abi::hypercall::event_channel_op, hv::abi::evtchnop::bind_virq, address(&bind)), 0);
  on_event(bind.port, on_timer);
  u32 wc_version = 0;
  const u64 wc = wall_clock_seconds(wc_version);
  expect("wc_version written and even", wc_version != 0 && wc_version % 2 == 0, 1);

  // The clock moves, and never backwards.
  const u64 t0 = system_time();
  u64 last = t0;
  for (int i = 0; i < 1000; ++i) {
    const u64 t = system_time();
    if (t < last) fail("system time went backwards by", static_cast<i64>(last - t), 0);
    last = t;
  }
  expect("a deadline already passed with VCPU_SSHOTTMR_future", singleshot(t0, hv::abi::sshottmr::future),
         static_cast<i64>(hv::Err::time));

  // A single-shot timer: VIRQ_TIMER no earlier than its deadline, and not a long way after it. The late
  // bound is loose because the emulator's CPU threads share a loaded host: a wake 25 ms late was seen with
  // four CPUs. A timer lost altogether never wakes the guest, and the run's time-out judges that.
  const u64 start = system_time();
  expect("set_singleshot_timer", singleshot(start + 20 * ms, 0), 0);
  wait_for_timer_events(1);
  const u64 slept = system_time() - start;
  if (slept < 20 * ms) fail("woke before the deadline, after ns", static_cast<i64>(slept), 20 * ms);
  if (slept > 200 * ms) fail("woke long after the deadline, after ns", static_cast<i64>(slept), 20 * ms);
  Line() << "clock: slept 20 ms on the single-shot timer (wall clock at boot " << wc << " s)";
  // Where the machine has a real-time clock the hypervisor reads, the wall clock is today's; else the epoch.
  constexpr u64 year_2024 = 1'704'067'200;
  Line() << "clock: the wall clock says " << (wc >= year_2024 ? "2024 or later" : wc < 86'400 ? "1970" : "neither");

  // A periodic timer: three ticks take at least three periods.
  hv::abi::SetPeriodicTimer periodic{5 * ms};
  const u64 periodic_start = system_time();
  expect("set_periodic_timer", vcpu_op(hv::abi::vcpuop::set_periodic_timer, &periodic), 0);
  wait_for_timer_events(3);
  expect("stop_periodic_timer", vcpu_op(hv::abi::vcpuop::stop_periodic_timer, nullptr), 0);
  const u64 ticked = system_time() - periodic_start;
  if (ticked < 15 * ms) fail("three periodic ticks came too soon, after ns", static_cast<i64>(ticked), 15 * ms);
  Line() << "clock: 3 periodic ticks";

  // SCHEDOP_poll on a port that never fires returns at its timeout (or earlier, spuriously: poll again).
  u32 never = 60;
  const u64 poll_start = system_time();
  hv::abi::SchedPoll<width> poll{address(&never), 1, poll_start + 10 * ms};
  u32 polls = 0;
  while (system_time() < poll_start + 10 * ms && polls < 100) {
    expect("SCHEDOP_poll", hypercall(hv::abi::hypercall::sched_op, hv::abi::schedop::poll, address(&poll)), 0);
    ++polls;
  }
  if (polls == 100) fail("SCHEDOP_poll kept returning before its timeout", polls, 1);
  Line() << "clock: poll returned at its timeout";

  ring_print("clock: printed through the console ring\n");
  Line() << "clock: done, powering off";
}

} // namespace guest

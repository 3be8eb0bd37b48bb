// SPDX-License-Identifier: Apache-2.0
// vcpus: a domain of several vCPUs starts its secondaries while it runs (VCPUOP_initialise with the
// architecture's record, which the library writes: x86 the family's vcpu_hvm_context in 32-bit protected
// mode as its own PVH start, POWER the hypervisor's own in 64-bit real mode; then VCPUOP_up), each
// secondary counts its work in memory the vCPUs share and takes itself down (VCPUOP_down), and vCPU 0
// brings them all back, after which each resumes where it stopped. With ipis=<r>, the vCPUs then pass an
// event round a ring r times: vCPU i waits on the IPI port that notifies it (EVTCHNOP_bind_ipi, masked,
// SCHEDOP_poll) and sends on vCPU i+1's.
// Command line: vcpus=<n> (default 4, at most 32, the family's limit of a domain's vCPUs here), ipis=<r>.
#include "../lib/guest.hpp"

namespace guest {
namespace {

constexpr u32 most = 32;
constexpr usize stack_bytes = 8192;

alignas(16) u8 stacks[most][stack_bytes];
// Shared between vCPUs that may run on different CPUs at once: a secondary's work is published before
// its round (release), and vCPU 0 reads the work after it saw the round (acquire), which a CPU with a
// weaker memory order than x86's (POWER) needs.
u32 rounds[most] = {}; // each secondary's completed rounds of work
u32 ipi_rounds = 0;    // set before the ring starts: the rounds of IPIs each vCPU passes on
u32 vcpu_count = 0;
u32 ring[most] = {};          // ring[i]: the IPI port whose events notify vCPU i
u32 passed[most] = {};        // the IPIs each vCPU received and passed on
volatile u64 work[most] = {}; // volatile: the work is done, not folded into one addition

u32 load(const u32& at) { return __atomic_load_n(&at, __ATOMIC_ACQUIRE); }
void store(u32& at, u32 value) { __atomic_store_n(&at, value, __ATOMIC_RELEASE); }

// vCPU `id` receives its IPIs and passes each on to the next vCPU; vCPU 0 starts each round.
void pass_ipis(u32 id) {
  while (load(passed[id]) < load(ipi_rounds)) {
    poll(ring[id]);
    if (!take_pending(ring[id])) continue; // woken spuriously
    store(passed[id], passed[id] + 1);
    if (id != 0) expect("EVTCHNOP_send to the next vCPU", send(ring[(id + 1) % load(vcpu_count)]), 0);
  }
}

// Works, records a round, and takes itself down; vcpu_up resumes it right after.
[[noreturn]] void secondary(u32 id) {
  for (;;) {
    if (load(ipi_rounds) != 0) {
      pass_ipis(id);
      for (;;) vcpu_down(id);
    }
    for (u32 i = 0; i < 1000; ++i) work[id] = work[id] + id;
    store(rounds[id], rounds[id] + 1);
    vcpu_down(id);
  }
}

long initialise(u32 id) { return vcpu_initialise(id, &secondary, stacks[id], stack_bytes); }

void wait_for_rounds(u32 n, u32 wanted) {
  for (u32 id = 1; id < n; ++id)
    while (load(rounds[id]) < wanted) hypercall(hv::abi::hypercall::sched_op, hv::abi::schedop::yield);
}

} // namespace

void guest_main() {
  const u32 n = static_cast<u32>(option("vcpus", 4));
  if (n < 2 || n > most) fail("vcpus= between 2 and 32", n, 4);
  expect("VCPUOP_up of a vCPU never initialised", vcpu_up(1), static_cast<i64>(hv::Err::inval));
  for (u32 id = 1; id < n; ++id) {
    expect("VCPUOP_initialise", initialise(id), 0);
    expect("VCPUOP_initialise a second time", initialise(id), static_cast<i64>(hv::Err::exist));
    expect("VCPUOP_up", vcpu_up(id), 0);
  }
  wait_for_rounds(n, 1);
  for (u32 id = 1; id < n; ++id) expect("VCPUOP_is_up of a vCPU that took itself down", vcpu_is_up(id), 0);
  Line() << "vcpus: " << n - 1 << " secondary vCPUs started, each worked and took itself down";
  for (u32 id = 1; id < n; ++id) expect("VCPUOP_up again", vcpu_up(id), 0);
  wait_for_rounds(n, 2);
  for (u32 id = 1; id < n; ++id)
    if (work[id] != 2000ull * id)
      fail("a secondary's work after it was brought back", static_cast<i64>(work[id]), 2000 * id);
  Line() << "vcpus: brought back up, each resumed its work where it stopped";
  if (const u32 r = static_cast<u32>(option("ipis", 0)); r != 0) {
    events_init();
    store(vcpu_count, n);
    for (u32 id = 0; id < n; ++id) {
      const long port = bind_ipi(id);
      if (port <= 0) fail("EVTCHNOP_bind_ipi", port, 1);
      ring[id] = static_cast<u32>(port);
      mask(ring[id]);
    }
    store(ipi_rounds, r);
    for (u32 id = 1; id < n; ++id) expect("VCPUOP_up for the ring", vcpu_up(id), 0);
    for (u32 round = 0; round < r; ++round) {
      expect("EVTCHNOP_send to vCPU 1", send(ring[1]), 0);
      const u32 before = load(passed[0]);
      while (load(passed[0]) == before) {
        poll(ring[0]);
        if (take_pending(ring[0])) store(passed[0], passed[0] + 1);
      }
    }
    for (u32 id = 0; id < n; ++id)
      if (load(passed[id]) != r) fail("the IPIs a vCPU received", load(passed[id]), r);
    Line() << "vcpus: " << r << " rounds of IPIs passed round the " << n
           << " vCPUs (EVTCHNOP_bind_ipi), every one received";
  }
  Line() << "vcpus: done, powering off";
}

} // namespace guest

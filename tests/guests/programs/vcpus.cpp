// SPDX-License-Identifier: Apache-2.0
// vcpus: a domain of several vCPUs starts its secondaries while it runs (VCPUOP_initialise with the
// architecture's record, which the library writes: x86 the family's vcpu_hvm_context in 32-bit protected
// mode as its own PVH start, POWER the hypervisor's own in 64-bit real mode; then VCPUOP_up), each
// secondary counts its work in memory the vCPUs share and takes itself down (VCPUOP_down), and vCPU 0
// brings them all back, after which each resumes where it stopped. With ipis=<r>, the vCPUs then pass an
// event round a ring r times: vCPU i waits on the IPI port that notifies it (EVTCHNOP_bind_ipi, masked,
// SCHEDOP_poll) and sends on vCPU i+1's.
// With flushbench=<r> (and bench), vCPU 0 instead times r rounds of giving a page back
// (XENMEM_decrease_reservation, one page, timed) and taking it again (populate_physmap), first while vCPU
// 1 spins in the guest, on another physical CPU on a machine of several (the hypervisor must make that
// CPU drop the page's translation before the call returns: a remote TLB flush), then with vCPU 1 down.
// Command line: vcpus=<n> (default 4, at most 32, the family's limit of a domain's vCPUs here), ipis=<r>,
// flushbench=<r>.
#include "../lib/guest.hpp"

#include <hv/abi/memory.hpp>

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

constexpr hv::abi::GuestWidth width = sizeof(ulong) == 8 ? hv::abi::GuestWidth::bits64 : hv::abi::GuestWidth::bits32;
constexpr ulong page_bytes = 4096;
alignas(4096) u8 given_back[page_bytes]; // the page the flush benchmark gives back and takes again
u32 spinning = 0;                        // set while vCPU 1 spins for the flush benchmark

[[noreturn]] void spin_for_bench(u32 id) {
  store(rounds[id], 1);
  while (load(spinning) != 0) {
  }
  for (;;) vcpu_down(id);
}

// One page at `given_back`'s frame: decrease_reservation (timed) or populate_physmap.
u64 reservation(u64 op) {
  hv::abi::pfn_t<width> frame = address(given_back) / page_bytes;
  hv::abi::MemoryReservation<width> r{};
  r.extent_start = address(&frame);
  r.nr_extents = 1;
  r.domid = hv::abi::domid_self;
  const u64 start = arch::timestamp();
  const long done = hypercall(hv::abi::hypercall::memory_op, op, address(&r));
  const u64 took = arch::timestamp() - start;
  expect(op == hv::abi::xenmem::decrease_reservation ? "decrease_reservation of one page" : "populate_physmap of it",
         done, 1);
  return took;
}

// The shortest of `r` rounds: each gives the page back (timed) and takes it again.
u64 time_flushes(u32 r) {
  u64 best = ~u64{0};
  for (u32 i = 0; i < r; ++i) {
    given_back[0] = 1; // mapped in the TLB of this CPU before it goes
    const u64 took = reservation(hv::abi::xenmem::decrease_reservation);
    (void)reservation(hv::abi::xenmem::populate_physmap);
    if (took < best) best = took;
  }
  return best;
}

void flush_bench(u32 r) {
  store(spinning, 1);
  expect("VCPUOP_initialise for the flush benchmark", vcpu_initialise(1, &spin_for_bench, stacks[1], stack_bytes), 0);
  expect("VCPUOP_up for the flush benchmark", vcpu_up(1), 0);
  while (load(rounds[1]) == 0) {
  }
  const u64 remote = time_flushes(r);
  store(spinning, 0);
  while (vcpu_is_up(1) != 0) hypercall(hv::abi::hypercall::sched_op, hv::abi::schedop::yield);
  const u64 alone = time_flushes(r);
  Line() << "bench: page given back while another vCPU runs " << remote;
  Line() << "bench: page given back with no other vCPU up " << alone;
}

long initialise(u32 id) { return vcpu_initialise(id, &secondary, stacks[id], stack_bytes); }

void wait_for_rounds(u32 n, u32 wanted) {
  for (u32 id = 1; id < n; ++id)
    while (load(rounds[id]) < wanted) hypercall(hv::abi::hypercall::sched_op, hv::abi::schedop::yield);
}

// A secondary's round shows before its VCPUOP_down has been made on the physical CPU it runs on: waits for
// that (bounded), as any guest must before it brings the vCPU up again, since VCPUOP_up of a vCPU still up
// succeeds at once and the VCPUOP_down that follows would then leave it down.
void wait_until_down(u32 n) {
  for (u32 id = 1; id < n; ++id) {
    for (u32 tries = 0; tries < 100'000 && vcpu_is_up(id) != 0; ++tries)
      hypercall(hv::abi::hypercall::sched_op, hv::abi::schedop::yield);
    expect("VCPUOP_is_up of a vCPU that took itself down", vcpu_is_up(id), 0);
  }
}

} // namespace

void guest_main() {
  const u32 n = static_cast<u32>(option("vcpus", 4));
  if (n < 2 || n > most) fail("vcpus= between 2 and 32", n, 4);
  if (const u32 r = static_cast<u32>(option("flushbench", 0)); r != 0) {
    flush_bench(r);
    Line() << "vcpus: done, powering off";
    return;
  }
  expect("VCPUOP_up of a vCPU never initialised", vcpu_up(1), static_cast<i64>(hv::Err::inval));
  for (u32 id = 1; id < n; ++id) {
    expect("VCPUOP_initialise", initialise(id), 0);
    expect("VCPUOP_initialise a second time", initialise(id), static_cast<i64>(hv::Err::exist));
    expect("VCPUOP_up", vcpu_up(id), 0);
  }
  wait_for_rounds(n, 1);
  wait_until_down(n);
  Line() << "vcpus: " << n - 1 << " secondary vCPUs started, each worked and took itself down";
  for (u32 id = 1; id < n; ++id) expect("VCPUOP_up again", vcpu_up(id), 0);
  wait_for_rounds(n, 2);
  for (u32 id = 1; id < n; ++id)
    if (work[id] != 2000ull * id)
      fail("a secondary's work after it was brought back", static_cast<i64>(work[id]), 2000 * id);
  Line() << "vcpus: brought back up, each resumed its work where it stopped";
  if (const u32 r = static_cast<u32>(option("ipis", 0)); r != 0) {
    wait_until_down(n);
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

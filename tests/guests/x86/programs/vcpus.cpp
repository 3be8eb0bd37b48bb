// SPDX-License-Identifier: Apache-2.0
// vcpus: a domain of several vCPUs starts its secondaries while it runs (VCPUOP_initialise with the
// family's vcpu_hvm_context, 32-bit protected mode as its own PVH start; then VCPUOP_up), each secondary
// counts its work in memory the vCPUs share and takes itself down (VCPUOP_down), and vCPU 0 brings them
// all back, after which each resumes where it stopped. With ipis=<r>, the vCPUs then pass an event round
// a ring r times: vCPU i waits on the IPI port that notifies it (EVTCHNOP_bind_ipi, masked, SCHEDOP_poll)
// and sends on vCPU i+1's. x86 alone: initialise is the SVM backend's so far.
// Command line: vcpus=<n> (default 4, at most 32, the family's limit of a domain's vCPUs here), ipis=<r>.
#include "../../lib/guest.hpp"

#include <hv/abi/hvm_vcpu.hpp>
#include <hv/abi/vcpu.hpp>

namespace guest {
namespace {

constexpr u32 most = 32;
constexpr u32 stack_words = 1024;
constexpr u16 attr_code32 = 0xc9b; // present, ring 0, execute/read, accessed; 4 KiB granular, 32-bit
constexpr u16 attr_data32 = 0xc93; // present, ring 0, read/write, accessed; 4 KiB granular, 32-bit
constexpr u32 cr0_protection_and_extension = 0x11;
constexpr u32 eflags_reserved_one = 0x2;

alignas(16) u32 stacks[most][stack_words];
volatile u32 rounds[most] = {}; // each secondary's completed rounds of work
volatile u32 ipi_rounds = 0;    // set before the ring starts: the rounds of IPIs each vCPU passes on
volatile u32 vcpu_count = 0;
u32 ring[most] = {};            // ring[i]: the IPI port whose events notify vCPU i
volatile u32 passed[most] = {}; // the IPIs each vCPU received and passed on
volatile u64 work[most] = {};

long vcpu_op(u64 cmd, u32 id, ulong arg = 0) { return hypercall(hv::abi::hypercall::vcpu_op, cmd, id, arg); }

// Entered as a C function is called (the initial stack holds a return address nobody uses, then `id`),
// with interrupts off. Works, records a round, and takes itself down; VCPUOP_up resumes it right after.
// vCPU `id` receives its IPIs and passes each on to the next vCPU; vCPU 0 starts each round.
void pass_ipis(u32 id) {
  while (passed[id] < ipi_rounds) {
    poll(ring[id]);
    if (!take_pending(ring[id])) continue; // woken spuriously
    passed[id] = passed[id] + 1;
    if (id != 0) expect("EVTCHNOP_send to the next vCPU", send(ring[(id + 1) % vcpu_count]), 0);
  }
}

[[noreturn]] void secondary(u32 id) {
  for (;;) {
    if (ipi_rounds != 0) {
      pass_ipis(id);
      for (;;) vcpu_op(hv::abi::vcpuop::down, id);
    }
    for (u32 i = 0; i < 1000; ++i) work[id] = work[id] + id;
    rounds[id] = rounds[id] + 1;
    vcpu_op(hv::abi::vcpuop::down, id);
  }
}

long initialise(u32 id) {
  u32* top = &stacks[id][stack_words];
  *--top = id;
  *--top = 0; // the return address secondary() never uses
  hv::abi::VcpuHvmContext c{};
  c.mode = hv::abi::vcpu_hvm_mode::bits32;
  hv::abi::VcpuHvmX86_32& r = c.regs.x86_32;
  r.eip = static_cast<u32>(address(&secondary));
  r.esp = static_cast<u32>(address(top));
  r.eflags = eflags_reserved_one;
  r.cr0 = cr0_protection_and_extension;
  r.cs_ar = attr_code32;
  r.ds_ar = r.ss_ar = r.es_ar = attr_data32;
  r.cs_limit = r.ds_limit = r.ss_limit = r.es_limit = 0xffff'ffff;
  return vcpu_op(hv::abi::vcpuop::initialise, id, address(&c));
}

void wait_for_rounds(u32 n, u32 wanted) {
  for (u32 id = 1; id < n; ++id)
    while (rounds[id] < wanted) hypercall(hv::abi::hypercall::sched_op, hv::abi::schedop::yield);
}

} // namespace

void guest_main() {
  const u32 n = static_cast<u32>(option("vcpus", 4));
  if (n < 2 || n > most) fail("vcpus= between 2 and 32", n, 4);
  expect("VCPUOP_up of a vCPU never initialised", vcpu_op(hv::abi::vcpuop::up, 1), static_cast<i64>(hv::Err::inval));
  for (u32 id = 1; id < n; ++id) {
    expect("VCPUOP_initialise", initialise(id), 0);
    expect("VCPUOP_initialise a second time", initialise(id), static_cast<i64>(hv::Err::exist));
    expect("VCPUOP_up", vcpu_op(hv::abi::vcpuop::up, id), 0);
  }
  wait_for_rounds(n, 1);
  for (u32 id = 1; id < n; ++id) {
    // Its round shows before its VCPUOP_down has finished on the physical CPU it runs on: wait for that
    // (bounded), as any guest must before it brings the vCPU up again.
    for (u32 tries = 0; tries < 100'000 && vcpu_op(hv::abi::vcpuop::is_up, id) != 0; ++tries)
      hypercall(hv::abi::hypercall::sched_op, hv::abi::schedop::yield);
    expect("VCPUOP_is_up of a vCPU that took itself down", vcpu_op(hv::abi::vcpuop::is_up, id), 0);
  }
  Line() << "vcpus: " << n - 1 << " secondary vCPUs started, each worked and took itself down";
  for (u32 id = 1; id < n; ++id) expect("VCPUOP_up again", vcpu_op(hv::abi::vcpuop::up, id), 0);
  wait_for_rounds(n, 2);
  for (u32 id = 1; id < n; ++id)
    if (work[id] != 2000ull * id)
      fail("a secondary's work after it was brought back", static_cast<i64>(work[id]), 2000 * id);
  Line() << "vcpus: brought back up, each resumed its work where it stopped";
  if (const u32 r = static_cast<u32>(option("ipis", 0)); r != 0) {
    events_init();
    vcpu_count = n;
    for (u32 id = 0; id < n; ++id) {
      const long port = bind_ipi(id);
      if (port <= 0) fail("EVTCHNOP_bind_ipi", port, 1);
      ring[id] = static_cast<u32>(port);
      mask(ring[id]);
    }
    ipi_rounds = r;
    for (u32 id = 1; id < n; ++id) expect("VCPUOP_up for the ring", vcpu_op(hv::abi::vcpuop::up, id), 0);
    for (u32 round = 0; round < r; ++round) {
      expect("EVTCHNOP_send to vCPU 1", send(ring[1]), 0);
      const u32 before = passed[0];
      while (passed[0] == before) {
        poll(ring[0]);
        if (take_pending(ring[0])) passed[0] = passed[0] + 1;
      }
    }
    for (u32 id = 0; id < n; ++id)
      if (passed[id] != r) fail("the IPIs a vCPU received", passed[id], r);
    Line() << "vcpus: " << r << " rounds of IPIs passed round the " << n
           << " vCPUs (EVTCHNOP_bind_ipi), every one received";
  }
  Line() << "vcpus: done, powering off";
}

} // namespace guest

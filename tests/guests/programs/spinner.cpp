// SPDX-License-Identifier: Apache-2.0
// spinner: burns its CPU forever and never yields, blocks or halts. The scheduler must still let every
// other domain run and finish. With vcpus=<n> (a domain of n vCPUs), its secondaries spin too, so that
// the domain wants n CPUs all along (weights among domains on several CPUs).
#include "../lib/guest.hpp"

namespace guest {
namespace {

constexpr u32 most = 32;
constexpr usize stack_bytes = 4096;
alignas(16) u8 stacks[most][stack_bytes];

[[noreturn]] void spin(u32) {
  volatile u64 turns = 0;
  for (;;) turns = turns + 1;
}

} // namespace

void guest_main() {
  const u32 n = static_cast<u32>(option("vcpus", 1));
  if (n < 1 || n > most) fail("vcpus= between 1 and 32", n, 1);
  for (u32 id = 1; id < n; ++id) {
    expect("VCPUOP_initialise", vcpu_initialise(id, &spin, stacks[id], stack_bytes), 0);
    expect("VCPUOP_up", vcpu_up(id), 0);
  }
  if (n > 1)
    Line() << "spinner: spinning forever on " << n << " vCPUs";
  else
    Line() << "spinner: spinning forever";
  spin(0);
}

} // namespace guest

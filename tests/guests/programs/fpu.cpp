// SPDX-License-Identifier: Apache-2.0
// fpu: fills its floating-point and vector registers with values from its seed, then gives the CPU to
// the other domains many times and checks after each turn that the registers still hold its values:
// the hypervisor must keep each guest's registers apart. Likewise the other registers it keeps per vCPU
// (x86: DR0-DR3; POWER: TIDR). First it yields (the
// other domains run at once), then it spins, checking all the while, so that the scheduler's tick also takes the CPU
// from it in the middle of its work. Command line: seed=<n> [yields=<n>] [checks=<n>].
#include "../lib/guest.hpp"

namespace guest {

void guest_main() {
  const u64 seed = option("seed", 1);
  const u64 yields = option("yields", 500);
  const u64 checks = option("checks", 20000);
  arch::fill_vector_registers(seed);
  arch::fill_private_registers(seed);
  for (u64 i = 0; i < yields; ++i) {
    yield();
    if (!arch::vector_registers_hold(seed))
      fail("yields with the vector registers kept", static_cast<i64>(i), static_cast<i64>(yields));
    if (!arch::private_registers_hold(seed))
      fail("yields with the private registers kept", static_cast<i64>(i), static_cast<i64>(yields));
  }
  for (u64 i = 0; i < checks; ++i)
    if (!arch::vector_registers_hold(seed))
      fail("checks with the vector registers kept while spinning", static_cast<i64>(i), static_cast<i64>(checks));
  Line() << "fpu: vector registers kept across " << yields << " yields and " << checks << " checks while spinning";
}

} // namespace guest

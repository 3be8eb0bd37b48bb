// SPDX-License-Identifier: Apache-2.0
// counter: counts `rounds=N` rounds (default 2000), yielding after each, and checks at every round what
// it left at the one before: a table of its memory holding the last round's number in every cell, its
// vector and private registers as it filled them, and its running total. A control domain may save and
// restore it meanwhile (toolstack's `save=`); then all of that must still hold, and only its clock may
// have jumped: it reports the largest step of its system time between two rounds. Any check that fails
// crashes it, naming what it found.
#include "../lib/guest.hpp"

namespace guest {
namespace {

constexpr usize cells = 4096; // 32 KiB of its memory
u64 table[cells];

} // namespace

void guest_main() {
  const u64 rounds = option("rounds", 2000);
  const u64 seed = option("seed", 7);
  events_init(); // for its PV clock
  arch::fill_vector_registers(seed);
  arch::fill_private_registers(seed);
  u64 total = 0, largest_step = 0, last = system_time();
  for (u64 round = 1; round <= rounds; ++round) {
    for (usize i = 0; i < cells; ++i) {
      if (table[i] != round - 1)
        fail("a cell of its table after a round", static_cast<i64>(table[i]), static_cast<i64>(round - 1));
      table[i] = round;
    }
    if (total != (round - 1) * round / 2)
      fail("its running total", static_cast<i64>(total), static_cast<i64>((round - 1) * round / 2));
    total += round;
    if (!arch::vector_registers_hold(seed)) fail("its vector registers at round", static_cast<i64>(round), 0);
    if (!arch::private_registers_hold(seed)) fail("its private registers at round", static_cast<i64>(round), 0);
    const u64 now = system_time();
    if (now < last) fail("its system time going backwards at round", static_cast<i64>(round), 0);
    if (now - last > largest_step) largest_step = now - last;
    last = now;
    yield();
  }
  Line() << "counter: " << rounds << " rounds counted, total " << total
         << ", table, vector and private registers kept; largest step of its clock " << largest_step << " ns";
}

} // namespace guest

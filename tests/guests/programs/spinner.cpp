// SPDX-License-Identifier: Apache-2.0
// spinner: burns its CPU forever and never yields, blocks or halts. The scheduler must still let every
// other domain run and finish.
#include "../lib/guest.hpp"

namespace guest {

void guest_main() {
  Line() << "spinner: spinning forever";
  volatile u64 turns = 0;
  for (;;) turns = turns + 1;
}

} // namespace guest

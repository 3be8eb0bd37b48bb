// SPDX-License-Identifier: Apache-2.0
// What the trap dispatcher (traps.cpp) shares with the CPU and timer code.
#pragma once

#include <hv/types.hpp>

namespace hv::ppc64 {

/// How many asynchronous interrupts the backend has handled and resumed from (wait_for_interrupt
/// watches it change).
u64 interrupts_handled();

/// Handles a tick whose HDEC interrupt ended a guest's run (the exit was the interrupt, so nothing is
/// pending): re-arms HDEC and reports the tick to common code, as the dispatcher does for one taken in
/// the hypervisor. Called by the backend, with interrupts masked.
void take_timer_interrupt();

/// Re-arms the hypervisor decrementer for the next tick (timer.cpp). Called by the dispatcher for
/// every HDEC interrupt, before the tick is reported to common code.
void acknowledge_timer_interrupt();

} // namespace hv::ppc64

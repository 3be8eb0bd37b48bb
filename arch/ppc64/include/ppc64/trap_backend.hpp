// SPDX-License-Identifier: Apache-2.0
// What the trap dispatcher (traps.cpp) shares with the CPU and timer code.
#pragma once

#include <hv/types.hpp>

namespace hv::ppc64 {

/// How many asynchronous interrupts the backend has handled and resumed from (wait_for_interrupt
/// watches it change).
u64 interrupts_handled();

/// Handles a tick: re-arms HDEC and reports the tick to common code. Called by the trap dispatcher for an
/// HDEC interrupt taken in the hypervisor, and by the backend for one that ended a guest's run (the exit
/// was the interrupt, so nothing is left pending), with interrupts masked.
void take_timer_interrupt();

/// Re-arms the hypervisor decrementer for the next tick (timer.cpp). Called by take_timer_interrupt,
/// before the tick is reported to common code.
void acknowledge_timer_interrupt();

} // namespace hv::ppc64

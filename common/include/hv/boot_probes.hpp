// SPDX-License-Identifier: Apache-2.0
// The boot's self-proofs, probes built only with -Dprobes=true (hv/config.hpp): each makes the port's
// subsystem do what the rest of the boot takes on trust, prints what it saw, and stops the machine with
// the failure status when it differs. Called by boot_main, in this order, right after each subsystem's
// init.
#pragma once

#include <hv/boot_frames.hpp>

namespace hv {

/// Maps a scratch page through Paging and checks a write through it reaches the page.
void prove_paging(BootFrames& frames);
/// Raises a breakpoint and checks the trap path saw it and returned.
void prove_traps();
/// Runs the timer at 10 kHz until 5 interrupts arrived, and reports how long that took.
void prove_timer();

} // namespace hv

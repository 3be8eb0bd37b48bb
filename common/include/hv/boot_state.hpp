// SPDX-License-Identifier: Apache-2.0
// What the trap path records while the hypervisor boots, read by the boot self-proofs (probes).
#pragma once

#include <hv/types.hpp>

namespace hv {

struct TrapCounters {
  volatile u64 timer_ticks = 0;
  volatile u64 breakpoints = 0;
  volatile u64 last_breakpoint_pc = 0;
};

extern TrapCounters trap_counters;

/// The whole boot, common to every port: called by the port's entry code once it has a stack. Reads the
/// board, brings up paging, traps and the timer through the port contract, builds and runs the domains
/// of the boot module's description, and stops the machine (or idles, with idle=1) once they have all
/// stopped. Never returns.
[[noreturn]] void boot_main();

} // namespace hv

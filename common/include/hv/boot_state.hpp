// SPDX-License-Identifier: Apache-2.0
// The boot's entry (what the trap path counts is each CPU's own: hv/per_cpu.hpp).
#pragma once

#include <hv/types.hpp>

namespace hv {

/// The whole boot, common to every port: called by the port's entry code once it has a stack. Reads the
/// board, brings up paging, traps and the timer through the port contract, builds and runs the domains
/// of the boot module's description, and stops the machine (or idles, with idle=1) once they have all
/// stopped. Never returns.
[[noreturn]] void boot_main();

} // namespace hv

// SPDX-License-Identifier: Apache-2.0
// How the hypervisor ends the machine. It reports facts and ends with a status (QEMU turns it into its
// own exit status); what the facts mean for a test is the test's business (tests/boot/).
#pragma once

#include <hv/string.hpp>

#include <contract/types.hpp>

namespace hv {

/// Prints "hv: machine stops (<why>), status <success|failure>" and ends the machine through
/// Machine::exit. `failure` means the hypervisor could not do what it was asked (a board or description
/// it refused, no virtualization for the domains it was given, a panic), never what a domain did.
[[noreturn]] void stop_machine(ExitStatus status, StrView why);

} // namespace hv

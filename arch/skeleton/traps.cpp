// SPDX-License-Identifier: Apache-2.0
// Step 5 (docs/porting.md): traps. The vectors are in trap_entry.S, which calls the C++ end of the trap
// backend here.
#include <port.hpp>
#include <skeleton/not_written.hpp>

namespace hv::port {
using skeleton::not_written;

void Traps::init() { not_written("Traps::init"); }

void Traps::raise_breakpoint() { not_written("Traps::raise_breakpoint"); }

} // namespace hv::port

// SPDX-License-Identifier: Apache-2.0
// What every function of the skeleton says until it is written. Delete it once none calls it.
#pragma once

namespace hv::skeleton {

/// Says on the console that `function` is not written yet, once, and ends the run: through
/// Machine::exit once that is written, so that the emulator stops at once with the failure status;
/// until then (and if it returns) by spinning. Never through a trap: before Traps is written, the
/// firmware's vector may return to the trapping instruction, and the message would repeat for ever.
/// Uses only Console::write, so it speaks as soon as that does.
[[noreturn]] void not_written(const char* function);

} // namespace hv::skeleton

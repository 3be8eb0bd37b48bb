// SPDX-License-Identifier: Apache-2.0
// Step 1 (docs/porting.md): the first C++ the image runs, called by entry.S with a stack and a clear
// .bss. Keep what firmware handed over (Machine reads it in Step 2), run the constructors the compiler
// emitted, and start the hypervisor.
#include <hv/boot_state.hpp>

#include <skeleton/start.hpp>

extern "C" {
using Constructor = void (*)();
extern Constructor __init_array_start[]; // image.ld
extern Constructor __init_array_end[];

[[noreturn]] void hv_start(hv::uptr firmware_argument);
}

namespace hv::skeleton {
uptr firmware_argument = 0;
} // namespace hv::skeleton

void hv_start(hv::uptr firmware_argument) {
  hv::skeleton::firmware_argument = firmware_argument;
  for (Constructor* c = __init_array_start; c != __init_array_end; ++c) (*c)();
  hv::boot_main();
}

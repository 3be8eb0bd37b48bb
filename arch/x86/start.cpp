// SPDX-License-Identifier: Apache-2.0
// Where entry_64.S and entry_32.S land once they have a stack and the CPU is in the target's mode (long
// mode for x86_64, flat protected mode for x86_32): the same C++ start for both.
#include <hv/boot_state.hpp>
#include <x86/image.hpp>
#include <x86/pvh.hpp>
#include <x86/traps.hpp>

/// Called once by entry.S with the PVH start-info address the loader passed in EBX. Never returns.
extern "C" [[noreturn]] void hv_x86_start(hv::u32 start_info_pa) {
  // First, while the loader's low memory is still as it left it.
  hv::x86::take_start_info(start_info_pa);
  // From here every fault has a handler that names it (see load_trap_tables).
  hv::x86::load_trap_tables();
  for (auto* constructor = hv_init_array_start; constructor != hv_init_array_end; ++constructor) (*constructor)();
  hv::boot_main();
}

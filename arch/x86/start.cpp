// SPDX-License-Identifier: Apache-2.0
// Where entry_64.S and entry_32.S land once they have a stack and the CPU is in the target's mode (long
// mode for x86_64, flat protected mode for x86_32): the same C++ start for both.
#include <hv/boot_state.hpp>
#include <port.hpp>
#include <x86/image.hpp>
#include <x86/lapic.hpp>
#include <x86/pvh.hpp>
#include <x86/smp.hpp>
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

/// The C++ start of a secondary CPU (x86/smp.hpp), with interrupts masked and, until its own trap tables
/// are loaded, no way to report a fault: the steps before that are the few that cannot fault.
extern "C" [[noreturn]] void hv_x86_secondary_start() {
  // A copy: the boot CPU refills the shared one for the next CPU once this one reports itself online.
  const hv::x86::SecondaryStart start = hv::x86::secondary_start;
  hv::x86::use_hypervisor_tables();
  hv::x86::load_trap_tables(start.index, start.fault_stack_top);
  hv::x86::lapic::enable();
  hv::x86::prepare_virtualization(start);
  hv::secondary_main(start.index);
}

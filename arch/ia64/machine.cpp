// SPDX-License-Identifier: Apache-2.0
// The IA-64 port's machine: the built-in device tree, the image's place and the end of a run.
#include <ia64/internal.hpp>

#include <hv/firmware_tree.hpp>

namespace hv::port {
using namespace hv::ia64;

const void* Machine::device_tree() { return hv_ia64_board_dtb; }

const char* Machine::command_line() { return fdt::bootargs(hv_ia64_board_dtb); }

MemoryRange Machine::image_range() {
  const uptr start = reinterpret_cast<uptr>(__image_start);
  const uptr end = reinterpret_cast<uptr>(__image_end);
  return MemoryRange{start, end - start};
}

// The EFI/SAL-style loader the port expects passes no modules yet.
MemoryRange Machine::boot_module() { return MemoryRange{0, 0}; }

void Machine::exit(ExitStatus) {
  // No emulator exit device exists for IA-64, and powering off needs SAL (or ACPI through it), which the
  // port does not call yet: success and failure alike stop here, with the hypervisor's last line on the
  // console. A halt loop that needs neither SAL nor PAL; a later change may use PAL_HALT or SAL's
  // reset/power-off on real hardware.
  Cpu::halt_forever();
}

} // namespace hv::port

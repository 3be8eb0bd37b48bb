// SPDX-License-Identifier: Apache-2.0
// The Machine contract on a PC booted by PVH: the built-in board with the firmware's memory, the
// loader's command line, and how a run ends under QEMU.
#include <hv/firmware_tree.hpp>
#include <hv/panic.hpp>
#include <port.hpp>
#include <x86/image.hpp>
#include <x86/io.hpp>
#include <x86/memory_map.hpp>
#include <x86/pit.hpp>
#include <x86/pvh.hpp>
#include <x86/smp.hpp>

namespace hv::port {
namespace {

// ACPI PM1a control on the PIIX4 as SeaBIOS sets it up (PM base 0x600). SLP_EN with SLP_TYP 0, which
// QEMU's PIIX4 treats as soft-off (its DSDT's \_S5 is 0): QEMU powers off and exits with status 0.
constexpr u16 piix4_pm1a_control = 0x604;
constexpr u16 pm1_sleep_enable_soft_off = 0x2000;
// QEMU carries the power-off out asynchronously while this CPU runs on: give it this long before
// concluding that it is not coming.
constexpr unsigned power_off_wait_ms = 1000;

// QEMU's isa-debug-exit device (-device isa-debug-exit,iobase=0xf4,iosize=4): writing v exits QEMU with
// status (v << 1) | 1, so it can only report failure (odd statuses).
constexpr u16 debug_exit_port = 0xf4;
constexpr u32 debug_exit_failure = 1; // exit status 3

} // namespace

// The built-in board says what the PC has beside its memory; the loader's memory map says how much RAM
// there is and where (QEMU's -m), the SMBIOS tables what the machine is called (QEMU's -M), and the ACPI
// MADT which CPUs it has (QEMU's -smp). Without a map (a start info older than version 1) the board
// stands as it is.
const void* Machine::device_tree() {
  alignas(8) static u8 tree[16384]; // the board with up to max_cpus CPU nodes
  static const void* made = nullptr;
  if (made != nullptr) return made;
  usize ram_count = 0;
  const MemoryRange* ram = x86::firmware_ram(ram_count);
  if (ram_count == 0) return made = hv_x86_board_dtb;
  usize cpu_count = 0;
  const u32* cpus = x86::firmware_cpus(cpu_count);
  const fdt::FirmwareFacts facts{ram,  ram_count, &x86::firmware_low_memory, 1, x86::firmware_machine_name(),
                                 cpus, cpu_count};
  check(fdt::with_firmware_facts(hv_x86_board_dtb, facts, tree, sizeof tree),
        "the built-in board with the firmware's memory map fits its buffer");
  return made = tree;
}

const char* Machine::command_line() { return x86::boot_command_line(); }

MemoryRange Machine::image_range() {
  const auto start = reinterpret_cast<uptr>(__image_start);
  return MemoryRange{start, reinterpret_cast<uptr>(__image_end) - start};
}

MemoryRange Machine::boot_module() { return x86::boot_module(); }

void Machine::exit(ExitStatus status) {
  if (status == ExitStatus::success) {
    x86::outw(piix4_pm1a_control, pm1_sleep_enable_soft_off);
    x86::pit::wait_us(power_off_wait_ms * 1000);
  }
  // Still here: a failure, or a machine without the PIIX4's power-off. Either way the run did not end
  // as a success should, so report failure if the debug-exit device is there.
  x86::outl(debug_exit_port, debug_exit_failure);
  Cpu::halt_forever();
}

} // namespace hv::port

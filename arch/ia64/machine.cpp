// SPDX-License-Identifier: Apache-2.0
// The IA-64 port's machine: the built-in device tree, what the loader handed over (ia64/boot_info.hpp),
// the image's place and the end of a run through the board's exit device.
#include <ia64/boot_info.hpp>
#include <ia64/internal.hpp>

#include <hv/firmware_tree.hpp>

extern "C" {
#include <libfdt.h>
// entry.S: r28 at entry.
extern hv::u64 hv_ia64_boot_info_pa;
}

namespace hv::ia64 {
namespace {

/// The loader's block, or null when r28 held 0 or something that is not one.
const BootInfo* boot_info() {
  if (hv_ia64_boot_info_pa == 0 || !is_aligned(hv_ia64_boot_info_pa, alignof(BootInfo))) return nullptr;
  const auto* info = reinterpret_cast<const BootInfo*>(static_cast<uptr>(hv_ia64_boot_info_pa));
  if (info->magic != boot_info_magic || info->version < boot_info_version) return nullptr;
  return info;
}

/// What the loader handed over, copied on first use: the block and the command line lie in RAM that the
/// frame pool does not hold back, so they are read before paging allocates anything (the boot flow asks
/// for both first) and never again.
struct Handoff {
  bool read = false;
  bool has_command_line = false;
  char command_line[1024] = {};
  MemoryRange module{};
};
Handoff handoff;

const Handoff& loader_handoff() {
  if (handoff.read) return handoff;
  handoff.read = true;
  const BootInfo* info = boot_info();
  if (info == nullptr) return handoff;
  handoff.module = MemoryRange{info->module_base, info->module_size};
  if (info->command_line != 0) {
    // Longer lines are cut short: the boot reports the line it got, so a cut one is visible.
    const auto* line = reinterpret_cast<const char*>(static_cast<uptr>(info->command_line));
    usize n = 0;
    while (n + 1 < sizeof handoff.command_line && line[n] != '\0') {
      handoff.command_line[n] = line[n];
      ++n;
    }
    handoff.has_command_line = true;
  }
  return handoff;
}

// The exit device (docs/ia64-simulator.md): a 32-bit write of a status to its register ends the run with
// that status, as QEMU's isa-debug-exit ends a PC's. Statuses the boot runner tells apart.
constexpr u32 exit_success = 0;
constexpr u32 exit_failure = 1;
constexpr const char* exit_compatible = "hv,exit-device";

} // namespace

MemoryRange exit_device() {
  const void* fdt = hv_ia64_board_dtb;
  if (fdt_check_header(fdt) != 0) return {};
  const int node = fdt_node_offset_by_compatible(fdt, -1, exit_compatible);
  if (node < 0) return {};
  int length = 0;
  const auto* reg = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, "reg", &length));
  // The board's root has two address and two size cells (boards/ia64-generic.dts).
  if (reg == nullptr || length < 16) return {};
  const u64 pa = (static_cast<u64>(fdt32_to_cpu(reg[0])) << 32) | fdt32_to_cpu(reg[1]);
  const u64 size = (static_cast<u64>(fdt32_to_cpu(reg[2])) << 32) | fdt32_to_cpu(reg[3]);
  if (size < sizeof(u32)) return {};
  return MemoryRange{pa, size};
}

} // namespace hv::ia64

namespace hv::port {
using namespace hv::ia64;

const void* Machine::device_tree() { return hv_ia64_board_dtb; }

// The loader's command line, else the board's /chosen/bootargs.
const char* Machine::command_line() {
  const Handoff& h = loader_handoff();
  return h.has_command_line ? h.command_line : fdt::bootargs(hv_ia64_board_dtb);
}

MemoryRange Machine::image_range() {
  const uptr start = reinterpret_cast<uptr>(__image_start);
  const uptr end = reinterpret_cast<uptr>(__image_end);
  return MemoryRange{start, end - start};
}

MemoryRange Machine::boot_module() { return loader_handoff().module; }

// The simulator's board has no device that outlives a run.
MemoryRange Machine::transfer_window() { return MemoryRange{0, 0}; }

// The boot CPU alone until the port runs in its simulator, which has one CPU so far (docs/smp.md).
u32 Machine::cpu_count() { return 1; }

u64 Machine::cpu_hardware_id(u32) { return 0; }

bool Machine::start_cpu(u32, FrameSource&) { return false; }

// Never called: cpu_count() is 1.
void Machine::send_ipi(u32) {}

void Machine::exit(ExitStatus status) {
  Cpu::interrupts_disable();
  const MemoryRange device = exit_device();
  if (device.size != 0) {
    // The same address in physical mode and, once Paging has mapped it, in virtual mode (device_offset).
    auto* reg = reinterpret_cast<volatile u32*>(static_cast<uptr>(device_offset | device.base));
    *reg = status == ExitStatus::success ? exit_success : exit_failure;
    memory_fence();
  }
  // A board without the device (real hardware: powering off needs SAL, which the port does not call),
  // or one that did not stop: halt here with the hypervisor's last line on the console.
  Cpu::halt_forever();
}

} // namespace hv::port

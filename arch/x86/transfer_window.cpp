// SPDX-License-Identifier: Apache-2.0
// The transfer window on a PC (contract/machine.hpp): QEMU's ivshmem-plain device, found on PCI bus 0 with
// configuration mechanism 1 (ports 0xCF8/0xCFC), its shared memory being BAR2 as SeaBIOS placed it.
#include <port.hpp>
#include <x86/io.hpp>

namespace hv::port {
namespace {

constexpr u16 config_address = 0xcf8;
constexpr u16 config_data = 0xcfc;
constexpr u32 ivshmem_id = 0x1110'1af4; // device 0x1110 << 16 | vendor 0x1af4 (Red Hat, Inc.)
constexpr u8 id_register = 0x00;
constexpr u8 command_register = 0x04;
constexpr u8 bar2_register = 0x18;
constexpr u32 command_memory_space = 1u << 1;
constexpr u32 bar_io_space = 1u << 0;
constexpr u32 bar_type_mask = 3u << 1;
constexpr u32 bar_type_64 = 2u << 1;
constexpr u32 bar_flags_mask = 0xf;
constexpr u32 devices_on_a_bus = 32;

u32 read_config(u32 device, u8 offset) {
  x86::outl(config_address, 0x8000'0000u | device << 11 | offset);
  return x86::inl(config_data);
}

void write_config(u32 device, u8 offset, u32 value) {
  x86::outl(config_address, 0x8000'0000u | device << 11 | offset);
  x86::outl(config_data, value);
}

/// BAR2 (and BAR3, its upper half when it is 64-bit) of `device`: where it is and how large. The size is
/// the BAR's answer to all ones (the standard sizing), with memory decoding off meanwhile so that no
/// access lands at the probing address; the BAR and the command register are then put back.
MemoryRange bar2(u32 device) {
  const u32 low = read_config(device, bar2_register);
  if ((low & bar_io_space) != 0) return {};
  const bool wide = (low & bar_type_mask) == bar_type_64;
  const u32 high = wide ? read_config(device, bar2_register + 4) : 0;
  const u32 command = read_config(device, command_register);
  write_config(device, command_register, command & ~command_memory_space);
  write_config(device, bar2_register, ~0u);
  if (wide) write_config(device, bar2_register + 4, ~0u);
  const u64 mask = (u64{wide ? read_config(device, bar2_register + 4) : ~0u} << 32) |
                   (read_config(device, bar2_register) & ~bar_flags_mask);
  write_config(device, bar2_register, low);
  if (wide) write_config(device, bar2_register + 4, high);
  write_config(device, command_register, command);
  const u64 base = (u64{high} << 32) | (low & ~bar_flags_mask);
  // A BAR firmware did not place (decoding off, or at 0) is no window.
  if ((command & command_memory_space) == 0 || base == 0 || mask == 0) return {};
  return MemoryRange{base, ~mask + 1};
}

} // namespace

MemoryRange Machine::transfer_window() {
  for (u32 device = 0; device < devices_on_a_bus; ++device)
    if (read_config(device, id_register) == ivshmem_id) return bar2(device);
  return {};
}

} // namespace hv::port

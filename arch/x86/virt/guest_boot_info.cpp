// SPDX-License-Identifier: Apache-2.0
// The boot information an x86 guest finds at EBX (x86/guest_boot_info.hpp).
#include <x86/guest_acpi.hpp>
#include <x86/guest_boot_info.hpp>

#include <hv/abi/xen.hpp>
#include <hv/core/transfer_window.hpp>
#include <x86/pvh.hpp>

namespace hv::x86 {
namespace {

// The memory map's entry (hvm_memmap_table_entry) and its E820 types.
struct MemoryMapEntry {
  u64 address;
  u64 size;
  u32 type;
  u32 reserved;
};
static_assert(sizeof(MemoryMapEntry) == 24, "PVH memory map entries are 24 bytes");
constexpr u32 e820_ram = 1;
constexpr u32 e820_reserved = 2;
constexpr u32 e820_acpi = 3;

// Where each piece sits inside the boot-information area (offsets from boot_info_gpa).
constexpr usize memory_map_offset = 64;
constexpr usize memory_map_capacity = 5; // RAM, start info, ACPI tables, the rest of the area, the window
constexpr usize command_line_offset = memory_map_offset + memory_map_capacity * sizeof(MemoryMapEntry);
constexpr u32 start_info_version = 1;
constexpr u64 page = 4096;

constexpr u64 page_up(u64 bytes) { return (bytes + page - 1) & ~(page - 1); }

} // namespace

bool write_guest_boot_info(const GuestBootInfo& boot, u8* buffer, usize capacity, usize& used) {
  const u64 base = boot.boot_info_gpa;
  if (base >= boot.memory_bytes || base % page != 0) return false;
  const usize line_bytes = boot.command_line.size() + 1;
  // The tables get pages of their own, so that the map can call them ACPI and nothing else.
  const usize acpi_offset = page_up(command_line_offset + line_bytes);
  usize acpi_used = 0;
  if (acpi_offset >= capacity ||
      !write_guest_acpi(boot.vcpus, base + acpi_offset, buffer + acpi_offset, capacity - acpi_offset, acpi_used))
    return false;
  used = acpi_offset + acpi_used;
  if (used > boot.memory_bytes - base) return false;

  const u64 acpi_end = acpi_offset + page_up(acpi_used);
  MemoryMapEntry map[memory_map_capacity] = {
      {0, base, e820_ram, 0}, // RAM below the boot information, all the guest's to use
      {base, acpi_offset, e820_reserved, 0},
      {base + acpi_offset, acpi_end - acpi_offset, e820_acpi, 0},
  };
  u32 entries = 3;
  const u64 rest = boot.memory_bytes - base - acpi_end;
  if (rest != 0) map[entries++] = {base + acpi_end, rest, e820_reserved, 0};
  if (boot.window.size != 0) map[entries++] = {boot.window.base, boot.window.size, transfer_window::e820_type, 0};
  __builtin_memcpy(buffer + memory_map_offset, map, entries * sizeof(MemoryMapEntry));

  PvhStartInfo info{};
  info.magic = pvh_start_info_magic;
  info.version = start_info_version;
  // The family marks its control domain so: Linux then takes the initial domain's paths (its console
  // through console_io, no xenstore to wait for).
  info.flags = boot.control_domain ? abi::sif::privileged | abi::sif::initdomain : 0;
  info.command_line_paddr = base + command_line_offset;
  info.rsdp_paddr = base + acpi_offset;
  info.memory_map_paddr = base + memory_map_offset;
  info.memory_map_entries = entries;
  __builtin_memcpy(buffer, &info, sizeof(info));

  __builtin_memcpy(buffer + command_line_offset, boot.command_line.data(), boot.command_line.size());
  buffer[command_line_offset + boot.command_line.size()] = 0;
  return true;
}

} // namespace hv::x86

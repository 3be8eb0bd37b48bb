// The boot information an x86 guest finds at EBX (x86/guest_boot_info.hpp).
#include <x86/guest_boot_info.hpp>
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

// Where each piece sits inside the boot-information area (offsets from boot_info_gpa).
constexpr usize memory_map_offset = 64;
constexpr usize memory_map_entries = 2;
constexpr usize command_line_offset = memory_map_offset + memory_map_entries * sizeof(MemoryMapEntry);
constexpr u32 start_info_version = 1;

} // namespace

bool write_guest_boot_info(const GuestBootInfo& boot, u8* buffer, usize capacity, usize& used) {
  const u64 base = boot.boot_info_gpa;
  const usize line_bytes = boot.command_line.size() + 1;
  used = command_line_offset + line_bytes;
  if (used > capacity || base >= boot.memory_bytes || used > boot.memory_bytes - base) return false;

  const MemoryMapEntry map[memory_map_entries] = {
      {0, base, e820_ram, 0}, // RAM below the boot information, all the guest's to use
      {base, boot.memory_bytes - base, e820_reserved, 0},
  };
  __builtin_memcpy(buffer + memory_map_offset, map, sizeof(map));

  PvhStartInfo info{};
  info.magic = pvh_start_info_magic;
  info.version = start_info_version;
  info.command_line_paddr = base + command_line_offset;
  info.memory_map_paddr = base + memory_map_offset;
  info.memory_map_entries = memory_map_entries;
  __builtin_memcpy(buffer, &info, sizeof(info));

  __builtin_memcpy(buffer + command_line_offset, boot.command_line.data(), boot.command_line.size());
  buffer[command_line_offset + boot.command_line.size()] = 0;
  return true;
}

} // namespace hv::x86

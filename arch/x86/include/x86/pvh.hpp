// SPDX-License-Identifier: Apache-2.0
// The PVH boot protocol's hand-over: the loader (QEMU's -kernel, Xen) enters the image at the address
// of its XEN_ELFNOTE_PHYS32_ENTRY note in 32-bit protected mode, paging off, with EBX holding the
// physical address of a start-info structure that it placed in low memory.
#pragma once

#include <contract/types.hpp>

namespace hv::x86 {

inline constexpr u32 pvh_start_info_magic = 0x336ec578;

/// The start-info structure, version 1 layout (every field little-endian, addresses physical).
struct PvhStartInfo {
  u32 magic;
  u32 version;
  u32 flags;
  u32 module_count;
  u64 module_list_paddr;
  u64 command_line_paddr; ///< NUL-terminated, 0 when there is none
  u64 rsdp_paddr;
  u64 memory_map_paddr; ///< version 1 and later
  u32 memory_map_entries;
  u32 reserved;
};
static_assert(sizeof(PvhStartInfo) == 56, "PVH start info is 56 bytes in both modes");
static_assert(__builtin_offsetof(PvhStartInfo, command_line_paddr) == 24, "PVH start info layout");

/// One entry of the start info's module list.
struct PvhModule {
  u64 paddr;
  u64 size;
  u64 command_line_paddr;
  u64 reserved;
};
static_assert(sizeof(PvhModule) == 32, "PVH module list entries are 32 bytes");

/// Keeps what the hypervisor needs from the start info at `start_info_pa` (the command line, the first
/// module, the RAM of the memory map), and the SMBIOS tables' name for the machine, in
/// the image's own storage. Called by the entry code before anything else, with paging off or
/// identity-mapped, because the frame allocator may later hand the loader's low memory out. A missing
/// or unrecognised start info leaves an empty command line.
void take_start_info(u32 start_info_pa);

/// The first module of the start info's module list (QEMU's -initrd), {0, 0} when there is none.
MemoryRange boot_module();

/// The most RAM ranges of the start info's memory map that are kept (a PC has two or three).
inline constexpr usize max_ram_ranges = 16;

/// The RAM of the start info's memory map (version 1 and later) that the direct map reaches, in
/// ascending order; none (count 0) when the loader passed no map.
const MemoryRange* firmware_ram(usize& count);

/// The machine's name as the firmware's SMBIOS tables give it ("QEMU Standard PC (Q35 + ICH9, 2009)"),
/// read by take_start_info; "" when there are none.
const char* firmware_machine_name();

/// The command line take_start_info() kept, "" when none; truncated to what the buffer holds.
const char* boot_command_line();

} // namespace hv::x86

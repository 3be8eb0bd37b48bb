// SPDX-License-Identifier: Apache-2.0
// The PC's RAM as its firmware reports it: the PVH start info's memory map (the BIOS's e820 table, which
// QEMU's PVH loader copies), and what the hypervisor must leave alone in that RAM though the map does not
// say so.
#pragma once

#include <contract/types.hpp>

namespace hv::x86 {

/// One entry of the start info's memory map (version 1 and later), in the e820 table's terms.
struct MemoryMapEntry {
  u64 base;
  u64 size;
  u32 type;
  u32 reserved;
};
static_assert(sizeof(MemoryMapEntry) == 24, "PVH memory map entries are 24 bytes");

inline constexpr u32 memory_map_ram = 1;

/// The RAM (type 1) of `entries`, cut off at `reach` (where the mode's direct map ends), in ascending
/// order, at most `capacity` ranges (the lowest ones); returns how many it wrote to `out`.
usize ram_from_memory_map(const MemoryMapEntry* entries, usize count, u64 reach, MemoryRange* out, usize capacity);

/// What firmware uses without saying so: the first MiB, which the map calls RAM below 640 KiB, holds the
/// real-mode vectors, the BIOS data areas and the loader's start info, and above them the option ROMs.
/// (SeaBIOS's own tables at the top of RAM below 4 GiB are outside the map's RAM already.)
inline constexpr MemoryRange firmware_low_memory{0, 1u << 20};

} // namespace hv::x86

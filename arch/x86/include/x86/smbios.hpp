// SPDX-License-Identifier: Apache-2.0
// What the PC's firmware says the machine is: the SMBIOS tables' system information (type 1), which
// QEMU fills per machine type ("Standard PC (Q35 + ICH9, 2009)"), found through the entry point the BIOS
// leaves in its F segment (SMBIOS 2.1 "_SM_" or 3.0 "_SM3_").
#pragma once

#include <contract/types.hpp>

namespace hv::x86 {

/// `size` bytes of physical memory at `pa`, or null when they cannot be read.
using PhysicalBytes = const u8* (*)(u64 pa, usize size);

/// The BIOS's F segment, where the entry point lies on a 16-byte boundary.
inline constexpr u64 smbios_search_base = 0xf0000;
inline constexpr usize smbios_search_size = 0x10000;

/// "<manufacturer> <product name>" of the system information structure, NUL-terminated in `out`
/// (`capacity` bytes, cut to fit); false, with `out` empty, when there are no tables, no such structure
/// or its strings are missing, or anything read is malformed (the tables are untrusted input).
bool smbios_system_name(PhysicalBytes physical, char* out, usize capacity);

} // namespace hv::x86

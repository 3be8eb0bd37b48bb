// SPDX-License-Identifier: Apache-2.0
// What the loader hands the IA-64 port besides the image: the boot information block whose physical
// address is in r28 at entry (entry.S). The port's loaders (the IA-64 simulator of tests/sim/ia64, later
// an EFI loader) write it; docs/ia64-simulator.md describes it for loader writers. Every field is a
// little-endian u64; addresses are physical, which region 0's identity map keeps valid after the switch
// to virtual mode.
#pragma once

#include <contract/types.hpp>

namespace hv::ia64 {

struct BootInfo {
  /// boot_info_magic: tells a block from whatever a loader that knows nothing of it left in r28.
  u64 magic;
  /// boot_info_version: fields are only ever added at the end.
  u64 version;
  /// A NUL-terminated command line, which replaces the board's /chosen/bootargs; 0 for none.
  u64 command_line;
  /// The boot module (the domain description): where the loader put it, and its size; 0 and 0 for none.
  u64 module_base;
  u64 module_size;
};
static_assert(sizeof(BootInfo) == 40);

/// "hvIA64bi" read as a little-endian u64.
inline constexpr u64 boot_info_magic = 0x6962'3436'4149'7668ull;
inline constexpr u64 boot_info_version = 1;

} // namespace hv::ia64

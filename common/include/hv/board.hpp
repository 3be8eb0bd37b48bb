// SPDX-License-Identifier: Apache-2.0
// The board as its flattened device tree describes it: what common code needs at boot.
//
// The blob is untrusted input (a board file may be wrong, firmware may hand over garbage): every field
// is checked with libfdt, and a problem is reported as a sentence that names the node and property.
#pragma once

#include <contract/types.hpp>
#include <hv/string.hpp>

namespace hv {

struct Board {
  static constexpr usize max_ranges = 32;

  StrView model;      ///< /model, or "unknown"
  StrView compatible; ///< first string of /compatible, or "unknown"
  StrView bootargs;   ///< /chosen/bootargs, or empty
  u32 cpu_count = 0;  ///< nodes under /cpus whose device_type is "cpu"
  MemoryRange memory[max_ranges];
  usize memory_count = 0;
  /// The header's memory reservations and /reserved-memory's children: RAM the hypervisor must not use.
  MemoryRange reserved[max_ranges];
  usize reserved_count = 0;

  u64 total_memory() const {
    u64 total = 0;
    for (usize i = 0; i < memory_count; ++i) total += memory[i].size;
    return total;
  }
};

/// A sentence naming what is wrong with a device tree; empty when nothing is.
struct BoardError {
  char message[160] = {};
  bool failed() const { return message[0] != '\0'; }
};

/// Reads `blob`, which is at most `available` bytes long (pass the size of the buffer it came in; for a
/// firmware blob whose size nobody knows, pass a generous bound, and the header's own size is checked
/// against it). Returns false and fills `error` when the tree is malformed or lacks memory or CPUs.
/// The StrViews in `board` point into `blob`.
bool read_board(const void* blob, usize available, Board& board, BoardError& error);

/// The size the blob's header claims, or 0 when the header is not a device tree's.
usize device_tree_size(const void* blob);

} // namespace hv

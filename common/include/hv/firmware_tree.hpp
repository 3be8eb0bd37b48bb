// What a port reads from the device tree firmware handed over, beyond the board that common code reads
// itself (hv/board.hpp): the timer's frequency, the boot arguments and the boot module. For ports whose
// firmware describes the machine in a tree (skiboot on powernv, QEMU's virt machines, a built-in board).
//
// The tree is untrusted input: each function checks what it reads and answers "none" (0, "", {0, 0}) for
// a tree, node or property that is missing or malformed, never reading past the tree.
#pragma once

#include <contract/types.hpp>

namespace hv::fdt {

/// The timebase frequency in Hz: /cpus/timebase-frequency, else that of the first CPU node that has one
/// (one cell, or two for a frequency past 4 GHz); 0 when none has.
u64 timebase_frequency(const void* fdt);

/// /chosen/bootargs, NUL-terminated inside the tree, or "" when there is none or it is malformed.
const char* bootargs(const void* fdt);

/// /chosen linux,initrd-start..linux,initrd-end (each one or two cells), {0, 0} when absent or malformed.
MemoryRange initrd(const void* fdt);

/// Copies `board` into `out` (`capacity` bytes, 8-byte aligned) with its RAM and reservations as firmware
/// reported them: every memory node replaced by one whose reg lists `ram`, and the header's reservations
/// replaced by `reserved` (/reserved-memory is kept). For a port whose built-in board knows the machine
/// but not its memory size, which firmware tells (the PVH start info's memory map on x86). False, with
/// `out` meaningless, when `board` is malformed, `out` is too small or a range does not fit the root's
/// cells.
bool with_memory(const void* board, const MemoryRange* ram, usize ram_count, const MemoryRange* reserved,
                 usize reserved_count, void* out, usize capacity);

} // namespace hv::fdt

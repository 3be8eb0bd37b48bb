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

} // namespace hv::fdt

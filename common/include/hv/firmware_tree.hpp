// SPDX-License-Identifier: Apache-2.0
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

/// The hardware thread numbers of the CPUs under /cpus (nodes whose device_type is "cpu" and whose
/// status, if any, is "okay"), in the tree's order: each node's `ibm,ppc-interrupt-server#s` cells (POWER
/// firmware lists a core's threads there), else its `reg` cells (the devicetree specification's thread
/// IDs of a CPU node). At most `capacity` written to `out`; returns how many; 0 for a malformed tree.
usize cpu_threads(const void* fdt, u32* out, usize capacity);

/// What firmware reported of the machine, for with_firmware_facts.
struct FirmwareFacts {
  const MemoryRange* ram = nullptr; ///< at least one range
  usize ram_count = 0;
  const MemoryRange* reserved = nullptr;
  usize reserved_count = 0;
  const char* model = nullptr;  ///< null or "": the board's own /model stands
  const u32* cpu_ids = nullptr; ///< the firmware's CPUs by hardware ID (x86: local APIC IDs)
  usize cpu_count = 0;          ///< 0: the board's own CPU nodes stand
};

/// Copies `board` into `out` (`capacity` bytes, 8-byte aligned) with what firmware reported: every
/// memory node replaced by one whose reg lists the RAM, the header's reservations replaced by
/// `reserved` (/reserved-memory is kept), /model by the firmware's name for the machine, and, with
/// `cpu_ids`, the CPU nodes of /cpus by one a CPU, each with the first one's properties and the CPU's
/// ID as its reg (one cell) and unit address. For a port
/// whose built-in board knows the machine but not its memory size, which firmware tells (the PVH start
/// info's memory map and the SMBIOS tables on x86). False, with `out` meaningless, when `board` is
/// malformed, `out` is too small or a range does not fit the root's cells.
bool with_firmware_facts(const void* board, const FirmwareFacts& facts, void* out, usize capacity);

} // namespace hv::fdt

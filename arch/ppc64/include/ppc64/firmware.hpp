// What skiboot handed over, and what the port reads from its device tree.
#pragma once

#include <contract/types.hpp>

namespace hv::ppc64 {

/// Records skiboot's device tree (r3 at entry). Called once by the entry code.
void record_device_tree(const void* fdt);

/// The timebase frequency in Hz from the first /cpus node that has timebase-frequency, or 0.
u64 timebase_frequency(const void* fdt);

/// /chosen/bootargs, NUL-terminated inside the tree, or "" when there is none or it is malformed.
const char* bootargs(const void* fdt);
/// /chosen linux,initrd-start..linux,initrd-end (either cell size), {0, 0} when absent or malformed.
MemoryRange initrd(const void* fdt);

} // namespace hv::ppc64

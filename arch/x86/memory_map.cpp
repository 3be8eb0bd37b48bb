// SPDX-License-Identifier: Apache-2.0
// See x86/memory_map.hpp.
#include <x86/memory_map.hpp>

namespace hv::x86 {

usize ram_from_memory_map(const MemoryMapEntry* entries, usize count, u64 reach, MemoryRange* out, usize capacity) {
  usize n = 0;
  for (usize i = 0; i < count; ++i) {
    const MemoryMapEntry& e = entries[i];
    if (e.type != memory_map_ram || e.size == 0 || e.base >= reach) continue;
    const u64 end = e.base + e.size < e.base || e.base + e.size > reach ? reach : e.base + e.size;
    // Insertion in order: the boot frame source and the allocator's span take ranges lowest first.
    usize at = n;
    while (at > 0 && out[at - 1].base > e.base) --at;
    if (at >= capacity) continue;
    for (usize j = (n < capacity ? n : capacity - 1); j > at; --j) out[j] = out[j - 1];
    out[at] = MemoryRange{e.base, end - e.base};
    if (n < capacity) ++n;
  }
  return n;
}

} // namespace hv::x86

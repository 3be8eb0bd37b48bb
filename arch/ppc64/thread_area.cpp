// SPDX-License-Identifier: Apache-2.0
// See ppc64/thread_area.hpp.
#include <ppc64/registers.hpp>
#include <ppc64/thread_area.hpp>

namespace hv::ppc64 {
namespace {

// In .bss below 2 GiB, identity mapped: the real-mode vectors reach it at the same address.
ThreadArea areas[max_cpus] = {};

} // namespace

void take_thread_area(u32 index) {
  ThreadArea& area = areas[index < max_cpus ? index : 0];
  area.index = index;
  write_spr<spr::hsprg0>(reinterpret_cast<u64>(&area));
}

u32 thread_area_index() {
  return static_cast<u32>(reinterpret_cast<const ThreadArea*>(read_spr<spr::hsprg0>())->index);
}

} // namespace hv::ppc64

// SPDX-License-Identifier: Apache-2.0
// The first C++ the image runs: entry.S calls it with a stack, the TOC and a clear .bss.
#include <hv/boot_state.hpp>

#include <ppc64/firmware.hpp>
#include <ppc64/opal.hpp>
#include <ppc64/thread_area.hpp>

extern "C" {
using Constructor = void (*)();
extern Constructor __init_array_start[];
extern Constructor __init_array_end[];

[[noreturn]] void ppc64_start(const void* fdt, hv::u64 opal_base, hv::u64 opal_entry);
}

void ppc64_start(const void* fdt, hv::u64 opal_base, hv::u64 opal_entry) {
  hv::ppc64::take_thread_area(0); // before anything can trap: the vectors park registers there
  hv::ppc64::opal::set_entry(opal_base, opal_entry);
  hv::ppc64::record_device_tree(fdt);
  for (Constructor* c = __init_array_start; c != __init_array_end; ++c) (*c)();
  hv::boot_main();
}

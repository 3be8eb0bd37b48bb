// SPDX-License-Identifier: Apache-2.0
// Where the linker script (image.ld) and the assembly put things.
#pragma once

#include <hv/types.hpp>

extern "C" {
extern char __image_start[];
extern char __image_end[];
extern char ppc64_vector_page[]; // trap_entry.S: one page, page-aligned
}

namespace hv::ppc64 {

/// The direct map is the identity: an image address is its physical address.
inline PhysAddr physical_address(const void* p) { return reinterpret_cast<uptr>(p); }

} // namespace hv::ppc64

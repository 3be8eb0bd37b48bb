// SPDX-License-Identifier: Apache-2.0
// What skiboot handed over.
#pragma once

namespace hv::ppc64 {

/// Records skiboot's device tree (r3 at entry). Called once by the entry code.
void record_device_tree(const void* fdt);

} // namespace hv::ppc64

// SPDX-License-Identifier: Apache-2.0
// The one thing the POWER test guests read from their boot device tree: /chosen/bootargs.
#pragma once

namespace guest::ppc64 {

/// The NUL-terminated /chosen/bootargs of the flattened device tree at `tree`, or "" when the tree is
/// not one or has none. Reads the structure block only; trusts nothing past the header's sizes.
const char* boot_arguments(const void* tree);

} // namespace guest::ppc64

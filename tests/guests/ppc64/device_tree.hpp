// SPDX-License-Identifier: Apache-2.0
// What the POWER test guests read from their boot device tree: /chosen/bootargs, /transfer-window.
#pragma once

#include <hv/types.hpp>

namespace guest::ppc64 {

using hv::u64;
using hv::u8;
using hv::usize;

/// The NUL-terminated /chosen/bootargs of the flattened device tree at `tree`, or "" when the tree is
/// not one or has none. Reads the structure block only; trusts nothing past the header's sizes.
const char* boot_arguments(const void* tree);

/// The value of property `name` of the root's child `node` (a name with no unit address), and its size;
/// null when the tree is not one or has none.
const u8* node_property(const void* tree, const char* node, const char* name, usize& size);

/// /transfer-window's reg (the control domain's transfer window, docs/migration-link.md): false when
/// there is none.
bool transfer_window(const void* tree, u64& base, u64& bytes);

} // namespace guest::ppc64

// SPDX-License-Identifier: Apache-2.0
// The part of the Paging contract that is the same in both x86 modes: what the hypervisor's tables map,
// and map_page/unmap_page/translate/root/direct_map on the live tables (paging.cpp). Each mode's
// paging_64.cpp or paging_32.cpp only builds the root in its mode's shape and switches the CPU to it.
#pragma once

#include <x86/page_tables.hpp>

namespace hv::x86 {

/// Identity-maps, in `tables`, everything the hypervisor touches: all of the RAM `frames` reports, the
/// image, and the local APIC's register page (uncached). Stops the boot with a panic naming the range
/// when something lies at or above `direct_map_limit` (port.hpp: where the port keeps its other mappings).
/// Returns false when `frames` runs out.
bool map_hypervisor(FrameSource& frames, PageTables& tables);

/// Records `tables` as the live ones, for the shared Paging functions. Call right after the switch.
void make_live(const PageTables& tables);

} // namespace hv::x86

// SPDX-License-Identifier: Apache-2.0
// Invalidating this CPU's translation caches after the radix tables changed (tlbiel, Power ISA 3.0).
#pragma once

#include <hv/types.hpp>

namespace hv::ppc64::tlb {

/// Everything this CPU cached of any translation: TLB, page-walk cache and table-entry caches, for
/// partition- and process-scoped entries alike.
void flush_all_local();

/// The process-scoped 4 KiB translation of `va` for process `pid` (partition 0) on this CPU.
void flush_page_local(u64 va, u32 pid);

} // namespace hv::ppc64::tlb

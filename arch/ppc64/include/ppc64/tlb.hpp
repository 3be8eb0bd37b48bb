// SPDX-License-Identifier: Apache-2.0
// Invalidating translation caches after the radix tables changed: this CPU's (tlbiel) or one partition's
// on every thread (tlbie), Power ISA 3.0.
#pragma once

#include <hv/types.hpp>

namespace hv::ppc64::tlb {

/// Everything this CPU cached of any translation: TLB, page-walk cache and table-entry caches, for
/// partition- and process-scoped entries alike.
void flush_all_local();

/// Everything every thread cached of partition `lpid`'s translations, partition- and process-scoped, and
/// of its partition-table entry; returns once every thread has dropped them (tlbie, tlbsync). For a
/// partition whose vCPUs may run, or have run, on other threads.
void flush_partition(u32 lpid);

/// The process-scoped 4 KiB translation of `va` for process `pid` (partition 0) on this CPU.
void flush_page_local(u64 va, u32 pid);

/// What this CPU cached of partition `lpid`'s 4 KiB partition-scoped translation of guest-physical
/// `gpa`. For a translation that only gained rights: a thread holding the narrower one faults once more
/// and drops its own.
void flush_guest_page_local(u64 gpa, u32 lpid);

} // namespace hv::ppc64::tlb

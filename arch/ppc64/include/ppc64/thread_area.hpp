// SPDX-License-Identifier: Apache-2.0
// Each hardware thread's scratch area (layout: thread_area.h). HSPRG0 holds its address for the
// thread's whole life in the image; HSPRG1 is the vectors' one scratch register. skiboot keeps both
// across OPAL calls (an operating system on powernv keeps its per-thread pointer in HSPRG0 the same way),
// and a guest cannot reach either (hypervisor-privileged SPRs).
//
// Who writes what: a vector writes r12 (and r10, CTR, CR) of the interrupted context, and the trap entry
// or the guest exit reads them back before anything can interrupt that thread again (MSR[EE] is off
// until then; only a system reset, machine check or HMI can, and they end the run). lpar_enter writes
// `running` before it enters a guest; the exit reads it.
#pragma once

#include <contract/machine.hpp>
#include <hv/types.hpp>

#include <ppc64/thread_area.h>

#include <stddef.h>

namespace hv::ppc64 {

struct alignas(AREA_SIZE) ThreadArea {
  u64 r9;
  u64 r10;
  u64 r12;
  u64 ctr;
  u32 cr;
  u32 unused;
  void* running;
  u64 index;
};

static_assert(offsetof(ThreadArea, r9) == AREA_R9);
static_assert(offsetof(ThreadArea, r10) == AREA_R10);
static_assert(offsetof(ThreadArea, r12) == AREA_R12);
static_assert(offsetof(ThreadArea, ctr) == AREA_CTR);
static_assert(offsetof(ThreadArea, cr) == AREA_CR);
static_assert(offsetof(ThreadArea, running) == AREA_RUNNING);
static_assert(offsetof(ThreadArea, index) == AREA_INDEX);
static_assert(sizeof(ThreadArea) == AREA_SIZE);

/// Points this thread's HSPRG0 at area `index` (and records the index in it). Called first thing on the
/// boot thread (start.cpp, index 0) and on each started thread (smp.cpp), before anything can trap.
void take_thread_area(u32 index);

/// The index take_thread_area recorded for the calling thread: one SPR read and one load.
u32 thread_area_index();

} // namespace hv::ppc64

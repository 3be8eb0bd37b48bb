// SPDX-License-Identifier: Apache-2.0
// What the credit scheduler keeps inside each vCPU and each domain (intrusive, so that the scheduler
// needs no storage of its own beyond a fixed-size heap). Only CreditScheduler changes these fields.
#pragma once

#include <hv/types.hpp>

namespace hv {

struct Vcpu;
struct SchedDomain;

struct SchedVcpu {
  Vcpu* vcpu = nullptr;
  SchedDomain* domain = nullptr;
  SchedVcpu* next = nullptr; ///< the domain's FIFO of runnable vCPUs
  bool queued = false;       ///< in its domain's FIFO (runnable and not running)
  bool runnable = false;     ///< what the domain layer last reported
  u64 run_ns = 0;            ///< total time this vCPU ran (statistics)
};

struct SchedDomain {
  static constexpr u32 not_in_heap = ~u32{0};
  u16 weight = 256;    ///< relative share when CPU time is contended (1..65535)
  u16 cap = 0;         ///< at most this % of one CPU per period; 0 = no cap
  u64 vtime = 0;       ///< run time scaled by 1/weight: lowest runs first
  u64 period_used = 0; ///< run time in the current accounting period (for the cap)
  u64 run_ns = 0;      ///< total time the domain's vCPUs ran (statistics)
  u32 heap_index = not_in_heap;
  SchedVcpu* head = nullptr; ///< FIFO of runnable, not running vCPUs
  SchedVcpu* tail = nullptr;
  u32 runnable = 0;      ///< runnable vCPUs, the running one included
  bool parked = false;   ///< over its cap until the next period
  bool attached = false; ///< known to a scheduler
};

} // namespace hv

// SPDX-License-Identifier: Apache-2.0
// What the credit scheduler keeps inside each vCPU and each domain (intrusive, so that the scheduler
// needs no storage of its own beyond one run queue per physical CPU). Only CreditScheduler changes these
// fields; the fields marked atomic are shared by every CPU's run queue.
#pragma once

#include <hv/types.hpp>

namespace hv {

struct Vcpu;
struct SchedDomain;

struct SchedVcpu {
  static constexpr u32 no_cpu = ~u32{0};
  Vcpu* vcpu = nullptr;
  SchedDomain* domain = nullptr;
  /// Its run queue's pairing heap (while in_heap): first child and next sibling.
  SchedVcpu* child = nullptr;
  SchedVcpu* sibling = nullptr;
  SchedVcpu* parked_next = nullptr; ///< its run queue's list of vCPUs over their domain's cap
  u64 vtime = 0;                    ///< its run time scaled by its share of its domain's weight: lowest runs first
  u64 affinity = ~u64{0};           ///< hard affinity: the CPUs it may run on, bit n for CPU n
  u32 cpu = no_cpu;                 ///< its run queue (the CPU it runs or waits on); no_cpu until it first is runnable
  bool in_heap = false;  ///< in its queue's heap; one that stopped being runnable there is dropped at the pick
  bool parked = false;   ///< on its queue's parked list until the next accounting period
  bool runnable = false; ///< what the domain layer last reported
  bool running = false;  ///< its queue's current vCPU
  u64 run_ns = 0;        ///< total time this vCPU ran (statistics)
  u64 share = 0;         ///< its domain's weight over the domain's runnable vCPUs when last queued (balancing)
};

struct SchedDomain {
  u16 weight = 256; ///< relative share when CPU time is contended (1..65535), split among its runnable vCPUs
  u16 cap = 0;      ///< at most this % of one CPU per period, all its vCPUs together; 0 = no cap
  u32 runnable = 0; ///< atomic: its runnable vCPUs, the running ones included
  u64 slice_ns = 0; ///< how long one of its vCPUs runs when picked (by its weight); 0 until first runnable
  // 8-byte aligned for their atomics also where u64 is 4-byte aligned (i686), so that they stay lock-free.
  alignas(8) u64 run_ns = 0;      ///< atomic: total time the domain's vCPUs ran (statistics)
  alignas(8) u64 period = 0;      ///< atomic: the accounting period period_used counts (time / period_ns)
  alignas(8) u64 period_used = 0; ///< atomic: its vCPUs' run time in that period (for the cap)
};

} // namespace hv

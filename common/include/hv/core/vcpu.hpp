// A virtual CPU: its identity and the run-state the domain layer decides (online, blocked), from which
// the scheduler learns whether it is runnable. Architecture state (registers, VMCB...) is the port's.
#pragma once

#include <hv/abi/xen.hpp>
#include <hv/core/sched_entity.hpp>

namespace hv {

struct Domain;

struct Vcpu {
  Domain* domain = nullptr;
  u32 id = 0;
  bool online = false;  ///< brought up (vCPU 0 at creation, others by VCPUOP_up)
  bool blocked = false; ///< waiting for an event (SCHEDOP_block)
  /// The port bound to each VIRQ on this vCPU, 0 when none (port 0 is never handed out).
  u32 virq_port[abi::virq::count] = {};
  SchedVcpu sched;
  u64 wakeups = 0; ///< times an event ended a block (statistics, tests)
};

} // namespace hv

// SPDX-License-Identifier: Apache-2.0
// A virtual CPU: its identity, the run-state the domain layer decides (online, blocked), from which the
// scheduler learns whether it is runnable, and its architecture's half (`arch`: the registers, VMCB or
// saved partition state that the port's Virtualization backend keeps), as Xen keeps arch_vcpu.
#pragma once

#include <hv/abi/xen.hpp>
#include <hv/core/sched_entity.hpp>
#include <hv/core/vcpu_timers.hpp>

#include <port.hpp>

namespace hv {

struct Domain;

struct Vcpu {
  Domain* domain = nullptr;
  u32 id = 0;
  bool online = false; ///< brought up (vCPU 0 at creation, others by VCPUOP_up)
  /// Its registers hold a start the guest chose: vCPU 0's from the domain's build; the others' once
  /// VCPUOP_initialise set them (not written yet: docs/smp.md). VCPUOP_up refuses a vCPU without, as the
  /// family does, rather than start it at the image's entry a second time.
  bool initialised = false;
  bool blocked = false; ///< waiting for an event (SCHEDOP_block)
  /// The port bound to each VIRQ on this vCPU, 0 when none (port 0 is never handed out).
  u32 virq_port[abi::virq::count] = {};
  SchedVcpu sched;
  alignas(8) u64 wakeups = 0; ///< times an event ended a block (statistics, tests; atomic)
  /// Counted (atomic) before each moment `blocked` may go back to false without the core lock (a kick, a
  /// block undone), so that a holder of the core lock can tell that no wake-up passed it by while it
  /// looked at every vCPU (Hypervisor::anything_can_run).
  alignas(8) u64 unblocks = 0;
  /// What the SCHEDOP_poll that blocked it waits for: the one port it named, any_port for several (any
  /// event of its domain then wakes it, as the family does), not_polling otherwise. A port's event wakes
  /// its poller even when the port is masked (which is how guests poll: the family's spinlocks).
  static constexpr i64 not_polling = -2, any_port = -1;
  i64 polling = not_polling;
  u64 exits = 0; ///< times it came back from the guest (statistics)
  /// The physical CPU it last ran on, ~0 before its first run: when the next differs, the backend is told
  /// first (Virtualization's optional arrive()).
  u32 last_cpu = ~u32{0};
  /// The physical CPUs it ran on, one bit each (CPU n: bit n), for the domain's closing fact line.
  u64 ran_on = 0;
  /// The guest frame its vcpu_info moved to (VCPUOP_register_vcpu_info), ~0 while it is in shared_info.
  u64 vcpu_info_gfn = ~u64{0};
  /// The backend's context of this vCPU: made by Virtualization::create_vcpu when the domain is built,
  /// given back by destroy_vcpu when it is torn down.
  port::Virtualization::Vcpu arch{};
  /// `arch` holds a context create_vcpu made (so a new one replaces it through destroy_vcpu first); set by
  /// the run time when it makes one (the boot's builder, setvcpucontext). Until then the vCPU cannot be
  /// brought up (DomainTable::vcpu_up).
  bool context_made = false;
  /// Its single-shot, periodic and poll timers (hv/core/vcpu_timers.hpp).
  VcpuTimerState timers;
  /// When a tick that finds it running next refreshes its vcpu_time_info, in the port's timer ticks
  /// (hv/domains/guest_time.hpp). After `arch`, with the other cold members: the exit path's stay close.
  u64 time_due = 0;
};

} // namespace hv

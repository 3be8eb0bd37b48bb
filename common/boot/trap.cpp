// SPDX-License-Identifier: Apache-2.0
// Common code's half of the trap contract (contract/traps.hpp): what the hypervisor does with a trap
// taken in its own context.
#include <hv/boot_state.hpp>
#include <hv/console.hpp>
#include <hv/panic.hpp>

#include <port.hpp>

namespace hv {

namespace {
const char* kind_name(TrapKind kind) {
  switch (kind) {
  case TrapKind::timer: return "timer";
  case TrapKind::breakpoint: return "breakpoint";
  case TrapKind::page_fault: return "page fault";
  case TrapKind::illegal_instruction: return "illegal instruction";
  case TrapKind::external: return "external interrupt";
  case TrapKind::other: return "unexpected";
  }
  return "unknown";
}
} // namespace

TrapCounters trap_counters;

TrapAction handle_trap(const TrapInfo& trap) {
  switch (trap.kind) {
  case TrapKind::timer: trap_counters.timer_ticks = trap_counters.timer_ticks + 1; return TrapAction::resume;
  case TrapKind::breakpoint:
    trap_counters.breakpoints = trap_counters.breakpoints + 1;
    trap_counters.last_breakpoint_pc = trap.pc;
    return TrapAction::resume;
  default:
    panic("{} trap in the hypervisor: cause {:#x} at pc {:#x}, address {:#x}", kind_name(trap.kind), trap.cause,
          trap.pc, trap.address);
  }
}

} // namespace hv

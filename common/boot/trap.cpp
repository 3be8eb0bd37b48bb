// SPDX-License-Identifier: Apache-2.0
// Common code's half of the trap contract (contract/traps.hpp): what the hypervisor does with a trap
// taken in its own context.
#include <hv/boot_state.hpp>
#include <hv/console.hpp>
#include <hv/panic.hpp>
#include <hv/per_cpu.hpp>

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
  case TrapKind::ipi: return "inter-processor interrupt";
  case TrapKind::other: return "unexpected";
  }
  return "unknown";
}
} // namespace

// Only counts: what an interrupt asks for is done by the code it interrupted (the run loop reads its
// CPU's requests when the guest's exit or its idle wait ends), so that no lock is ever taken here.
TrapAction handle_trap(const TrapInfo& trap) {
  TrapCounters& counters = this_cpu().traps;
  switch (trap.kind) {
  case TrapKind::timer: counters.timer_ticks = counters.timer_ticks + 1; return TrapAction::resume;
  case TrapKind::ipi: counters.ipis = counters.ipis + 1; return TrapAction::resume;
  case TrapKind::breakpoint:
    counters.breakpoints = counters.breakpoints + 1;
    counters.last_breakpoint_pc = trap.pc;
    return TrapAction::resume;
  default:
    panic("{} trap in the hypervisor: cause {:#x} at pc {:#x}, address {:#x}", kind_name(trap.kind), trap.cause,
          trap.pc, trap.address);
  }
}

} // namespace hv

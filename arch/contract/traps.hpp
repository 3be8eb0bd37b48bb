// SPDX-License-Identifier: Apache-2.0
// Port contract: traps and interrupts taken while the hypervisor itself runs.
//
// What common code provides to the port's trap backend, and the backend's duty:
//
//   namespace hv { TrapAction handle_trap(const TrapInfo& trap); }   (common/boot/trap.cpp)
//
// The backend saves the interrupted state, acknowledges the interrupting device where the hardware
// needs it (the timer's end-of-interrupt), fills a TrapInfo and calls hv::handle_trap. When it returns
// TrapAction::resume the backend resumes the interrupted code: at the same instruction, except after
// a breakpoint, where it resumes at the instruction after it. handle_trap never returns for traps that
// the hypervisor cannot survive (it panics, naming the trap, pc and address).
#pragma once

#include <contract/types.hpp>

namespace hv {
enum class TrapAction : u8 { resume };
TrapAction handle_trap(const TrapInfo& trap);
} // namespace hv

namespace hv::port {

struct Traps {
  /// Installs the port's vectors (IDT, exception vectors, IVT). From then on every trap and interrupt
  /// in the hypervisor's context reaches hv::handle_trap. Called once, after Paging::init, with
  /// interrupts masked.
  static void init();
  /// Executes the architecture's breakpoint instruction once (int3, tw, break). Returns after the
  /// backend reported it as TrapKind::breakpoint and resumed past it. Used at boot to prove the
  /// trap path works end to end.
  static void raise_breakpoint();
};

} // namespace hv::port

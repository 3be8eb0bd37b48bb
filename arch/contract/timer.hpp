// SPDX-License-Identifier: Apache-2.0
// Port contract: the hypervisor's timer (LAPIC timer, decrementer/HDEC, ITC/ITM).
#pragma once

#include <contract/types.hpp>

namespace hv::port {

struct Timer {
  /// Finds the timer's frequency (calibrating it against a known clock where the hardware does not
  /// say) and leaves it stopped. Called once, after Traps::init. Returns false when there is no usable
  /// timer; common code then stops with a message.
  static bool init();
  /// Ticks of now() per second. Valid after init().
  static u64 frequency_hz();
  /// A monotonic count at frequency_hz(). Valid after init(), from any context.
  static u64 now();
  /// Starts periodic interrupts at `hz` per second, each reported to hv::handle_trap as TrapKind::timer
  /// (acknowledged by the backend). Replaces any previous period.
  static void start_periodic(u64 hz);
  /// Stops the interrupts; now() keeps counting.
  static void stop();
};

} // namespace hv::port

// Port contract: the hypervisor's timer (LAPIC timer, decrementer/HDEC, ITC/ITM).
#pragma once

#include <contract/concept_support.hpp>

namespace hv::contract {

template <class T>
concept Timer = requires(u64 hz) {
  /// Finds the timer's frequency (calibrating it against a known clock where the hardware does not
  /// say) and leaves it stopped. Called once, after Traps::init. Returns false when there is no usable
  /// timer; common code then stops with a message.
  { T::init() } -> same_as<bool>;
  /// Ticks of now() per second. Valid after init().
  { T::frequency_hz() } -> same_as<u64>;
  /// A monotonic count at frequency_hz(). Valid after init(), from any context.
  { T::now() } -> same_as<u64>;
  /// Starts periodic interrupts at `hz` per second, each reported to hv::handle_trap as TrapKind::timer
  /// (acknowledged by the backend). Replaces any previous period.
  { T::start_periodic(hz) } -> same_as<void>;
  /// Stops the interrupts; now() keeps counting.
  { T::stop() } -> same_as<void>;
};

} // namespace hv::contract

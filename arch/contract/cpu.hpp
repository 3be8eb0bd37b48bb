// Port contract: CPU basics.
#pragma once

#include <contract/concept_support.hpp>

namespace hv::contract {

template <class C>
concept Cpu = requires {
  /// The port's name as the user sees it ("x86_64", "ppc64le"): printed in the banner and in panics.
  { C::name } -> convertible_to<const char*>;
  /// Masks interrupts on this CPU. Called by common code around critical sections and by panic.
  { C::interrupts_disable() } -> same_as<void>;
  /// Unmasks interrupts on this CPU. Only called after Traps::init.
  { C::interrupts_enable() } -> same_as<void>;
  /// Enables interrupts and waits until at least one interrupt was handled, then returns with interrupts
  /// enabled. Must not lose a wake-up: an interrupt arriving between the enable and the wait still ends
  /// the wait (x86 "sti; hlt", POWER's wait with the decrementer pending). Used by idle loops.
  { C::wait_for_interrupt() } -> same_as<void>;
  /// A cheap, free-running, monotonic counter (TSC, timebase, ar.itc). Only differences are meaningful;
  /// used for measurements, never for timekeeping (that is Timer::now()).
  { C::cycles() } -> same_as<u64>;
  /// Stops this CPU for good with interrupts masked. Last resort when Machine::exit itself fails.
  { C::halt_forever() } -> same_as<void>;
};

} // namespace hv::contract

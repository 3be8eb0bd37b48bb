// SPDX-License-Identifier: Apache-2.0
// Port contract: CPU basics.
#pragma once

#include <contract/types.hpp>

namespace hv::port {

struct Cpu {
  /// The port's name as the user sees it ("x86_64", "ppc64le"): printed in the banner and in panics.
  /// Defined in the port's include/port.hpp (`inline constexpr const char* Cpu::name = "...";`).
  static const char* const name;
  /// Whether the port runs on this CPU. Called by common code once, right after the banner, before any
  /// other function of the port but the console's: a CPU the port was not written for is refused by
  /// name there, before it meets the first instruction or register it lacks. When not, `reason` says
  /// which CPU this is and what the port needs ("POWER8 (PVR 0x004d0200); ppc64le runs on POWER9"), and
  /// common code stops the machine with it.
  static bool supported(const char*& reason);
  /// This CPU's index as Machine::cpu_count numbers the CPUs: 0 on the boot CPU, from its entry on; on a
  /// CPU Machine::start_cpu started, its index from the moment it calls hv::secondary_main. Cheap (a
  /// register read and some arithmetic, no memory the CPUs share but read-only tables): common code
  /// finds its per-CPU data by it (hv/per_cpu.hpp), also from trap handlers and with interrupts masked.
  static u32 index();
  /// Masks interrupts on this CPU. Called by common code around critical sections and by panic.
  static void interrupts_disable();
  /// Unmasks interrupts on this CPU. Only called after Traps::init.
  static void interrupts_enable();
  /// Enables interrupts and waits until at least one interrupt was handled, then returns with interrupts
  /// enabled. Must not lose a wake-up: an interrupt arriving between the enable and the wait still ends
  /// the wait (x86 "sti; hlt", POWER's wait with the decrementer pending). Used by idle loops.
  static void wait_for_interrupt();
  /// Unmasks interrupts for an instant and masks them again: every interrupt pending now is handled
  /// (hv::handle_trap), none is waited for. Called by common code with interrupts masked, after a guest's
  /// `interrupt` exit, for the interrupt that ended the guest's run (which the backend may have taken
  /// already: then nothing is left to do). Waiting here instead would charge the wait to the guest.
  static void take_pending_interrupts();
  /// A cheap, free-running, monotonic counter (TSC, timebase, ar.itc). Only differences are meaningful;
  /// used for measurements, never for timekeeping (that is Timer::now()). Not called before the banner.
  static u64 cycles();
  /// Stops this CPU for good with interrupts masked. Last resort when Machine::exit itself fails.
  static void halt_forever();
};

} // namespace hv::port

// SPDX-License-Identifier: Apache-2.0
// Port contract: the machine around the CPU: what firmware handed over, its other CPUs, and how a run
// ends.
#pragma once

#include <contract/types.hpp>

namespace hv {
/// The most CPUs common code keeps track of, the boot CPU included; a port sizes its per-CPU tables by
/// it. Firmware listing more has the rest left stopped.
inline constexpr u32 max_cpus = 64;

/// Common code's half of Machine::start_cpu (common/boot/cpus.cpp): where a secondary CPU enters common
/// code, on its own stack, with the hypervisor's translation and its own trap vectors live, interrupts
/// masked, and Timer::start_periodic usable on it. Reports the CPU online to the boot CPU, then idles on
/// its own timer. Never returns.
[[noreturn]] void secondary_main(u32 index);
} // namespace hv

namespace hv::port {

struct Machine {
  /// The board's flattened device tree: the firmware's (skiboot's on powernv) or the one built into the
  /// image from boards/ (x86). Valid from entry for the whole run; common code validates it with libfdt
  /// and stops with a message naming the problem when it is malformed. Never null.
  static const void* device_tree();
  /// The boot arguments the loader passed ("" when none, never null). Common code reads its options
  /// from it to choose what the run does.
  static const char* command_line();
  /// Where the hypervisor image lies in physical memory, so that the frame allocator never hands it out.
  static MemoryRange image_range();
  /// The first boot module the loader passed (QEMU's -initrd): on x86 the PVH start info's first module,
  /// on powernv /chosen linux,initrd-start..end. {0, 0} when there is none. Common code reads the
  /// board's domain description from it (boards/README.md) and never hands its frames out.
  static MemoryRange boot_module();
  /// The transfer window: a memory device that outlives this boot or is shared with another machine (QEMU's
  /// `ivshmem-plain` PCI device backed by a file), through which the control domain carries a saved domain
  /// out of the machine (docs/migration-link.md). Its machine address and size as firmware assigned them
  /// (x86: BAR2 of PCI device 1af4:1110, where SeaBIOS placed it; powernv: the same BAR, which skiboot
  /// leaves to the OS, placed by the port in its PHB's 32-bit window); {0, 0} when there is none or the
  /// port looks for none. Called by common code when it builds the control domain (not at all
  /// in a run without one), which is the only domain that gets it (mapped into its second-stage translation;
  /// hv/core/transfer_window.hpp). Every call answers the same; a port that must place the BAR does so
  /// at the first.
  static MemoryRange transfer_window();
  /// How many CPUs the firmware lists, the boot CPU included (x86: the enabled local APICs of the ACPI
  /// MADT; powernv: the threads of the device tree's /cpus), at most max_cpus; 1 when it lists none or
  /// the port starts no others. Called by common code once, after Timer::init. Index 0 is the boot CPU;
  /// the others are numbered 1 .. cpu_count() - 1 in the firmware's order.
  static u32 cpu_count();
  /// The number the hardware knows CPU `index` by (x86: its local APIC ID; POWER: its interrupt server
  /// number, the PIR), for the fact line that reports it online. Only for an index below cpu_count().
  static u64 cpu_hardware_id(u32 index);
  /// Starts CPU `index` (1 .. cpu_count() - 1), which is stopped, and returns at once; false when it could
  /// not even try (no memory for its stacks, the firmware refused). On that CPU the port sets up what
  /// each CPU owns (a stack from `frames`, the CPU mode, the hypervisor's translation, its trap vectors
  /// and timer, its virtualization state where the port has a backend) and calls hv::secondary_main
  /// (index). Common code waits for that call, with a time-out, before it starts the next CPU, so the port
  /// may hand each CPU what it needs through one shared place. Called after Timer::init, before any
  /// domain exists, with interrupts masked on the boot CPU.
  static bool start_cpu(u32 index, FrameSource& frames);
  /// Interrupts CPU `index` (online, and not this one) and returns at once, without waiting for it to take
  /// the interrupt. There the interrupt is reported to hv::handle_trap as TrapKind::ipi: it ends a
  /// Cpu::wait_for_interrupt, and a guest running there exits (GuestExitKind::interrupt) with it still
  /// pending, as the timer's (x86: a fixed-vector IPI through the local APIC; POWER: a hypervisor
  /// doorbell, msgsnd). It carries no message: the sender leaves what it asks in the target's per-CPU
  /// data first (hv/per_cpu.hpp), and the port orders those stores before the interrupt. Several sent
  /// before the target takes one may be reported once. From any CPU, interrupts masked or not. Never
  /// called on a port whose cpu_count() is 1.
  static void send_ipi(u32 index);
  /// Ends the run. On QEMU: exit status 0 for success and non-zero for failure, which is what the boot
  /// runner checks. Called once, by common code (hv::stop_machine), after its last line. Never returns.
  static void exit(ExitStatus status);
};

} // namespace hv::port

// SPDX-License-Identifier: Apache-2.0
// The host port: common code running in an ordinary Linux process, so that it can be unit-tested.
//
// It meets the same contract as the hardware ports, with the machine simulated where a process has no
// hardware: physical memory is a shared-memory file, mapped whole as the direct map and page by page at
// other addresses by Paging::map_page (a real second mapping, so the boot's paging self-test really
// writes through an alias); the timer is a virtual clock that Cpu::wait_for_interrupt advances to the
// next tick; Machine::exit throws hv::host::MachineExit so that a test can catch the end of a run.
//
// The contract's functions are declared in arch/contract/ and defined in host_port.cpp; here are its
// constants, and what tests use to drive the simulated machine.
#pragma once

#include <contract/port.hpp>

namespace hv::port {

inline constexpr const char* Cpu::name = "host";
inline constexpr usize Paging::page_size = 4096;
inline constexpr VirtAddr Paging::scratch_va = 0x5e00'0000'0000ull;

} // namespace hv::port

namespace hv::host {

/// Thrown by Machine::exit: the end of a simulated run.
struct MachineExit {
  ExitStatus status;
};

/// Sets up a simulated machine: `ram_bytes` of physical memory at `ram_base` (which must match the memory
/// node of the device tree the test hands over), the device tree and the command line. Resets the
/// console capture, the clock and the simulated page tables.
void reset_machine(PhysAddr ram_base, usize ram_bytes, const void* device_tree, const char* command_line);

/// Hands `size` bytes over as the boot module (QEMU's -initrd): copied to the top of the simulated RAM,
/// which the device tree's memory node must then cover. Call after reset_machine.
void set_boot_module(const void* bytes, usize size);

/// Makes Cpu::supported say no, with `reason`, until the next reset_machine.
void set_unsupported_cpu(const char* reason);

/// Everything written to the console since reset_machine.
const char* console_output();

/// Forgets the console output captured so far (long runs such as the fuzzer call it between inputs).
void clear_console_output();

/// Whether console output is echoed to stderr as well (off by default; HV_HOST_ECHO=1 turns it on).
void set_echo(bool on);

} // namespace hv::host

// The scripted CPU: the host port's Virtualization backend.
#include <scripted_cpu.hpp>

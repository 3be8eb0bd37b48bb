// The host port: common code running in an ordinary Linux process, so that it can be unit-tested.
//
// It meets the same contract as the hardware ports, with the machine simulated where a process has no
// hardware: physical memory is a shared-memory file, mapped whole as the direct map and page by page at
// other addresses by Paging::map_page (a real second mapping, so the boot's paging self-test really
// writes through an alias); the timer is a virtual clock that Cpu::wait_for_interrupt advances to the
// next tick; Machine::exit throws hv::host::MachineExit so that a test can catch the end of a run.
#pragma once

#include <contract/port.hpp>

namespace hv::port {

struct Console {
  static void init();
  static void write(const char* text, usize length);
};

struct Cpu {
  static constexpr const char name[] = "host";
  static void interrupts_disable();
  static void interrupts_enable();
  static void wait_for_interrupt();
  static u64 cycles();
  static void halt_forever();
};

struct Machine {
  static const void* device_tree();
  static const char* command_line();
  static MemoryRange image_range();
  static MemoryRange boot_module();
  static void exit(ExitStatus status);
};

struct Paging {
  static constexpr usize page_size = 4096;
  static constexpr VirtAddr scratch_va = 0x5e00'0000'0000ull;
  static bool init(FrameSource& frames);
  static bool map_page(FrameSource& frames, VirtAddr va, PhysAddr pa, MapAttr attr);
  static void unmap_page(VirtAddr va);
  static bool translate(VirtAddr va, PhysAddr& out);
  static PhysAddr root();
  static void* direct_map(PhysAddr pa);
  static void zero_page(PhysAddr pa);
};

struct Traps {
  static void init();
  static void raise_breakpoint();
};

struct Timer {
  static bool init();
  static u64 frequency_hz();
  static u64 now();
  static void start_periodic(u64 hz);
  static void stop();
};

} // namespace hv::port

HV_PORT_CONTRACT_CHECKS;

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

/// Everything written to the console since reset_machine.
const char* console_output();

/// Forgets the console output captured so far (long runs such as the fuzzer call it between inputs).
void clear_console_output();

/// Whether console output is echoed to stderr as well (off by default; HV_HOST_ECHO=1 turns it on).
void set_echo(bool on);

} // namespace hv::host

// The scripted CPU: the host port's Virtualization backend.
#include <scripted_cpu.hpp>

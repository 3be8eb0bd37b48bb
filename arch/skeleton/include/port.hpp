// The skeleton port: a porter's starting point. Copy arch/skeleton/ to arch/<your-port>/ and fill the
// functions in, in the order docs/porting.md gives. It compiles as it is (the build compiles it with the
// host tests, so it never falls behind the contract), and at run time every function that is not written
// yet says so by name on the console and stops the CPU.
//
// Console::write comes first: until it works, nothing can say what is missing.
#pragma once

#include <contract/port.hpp>

namespace hv::port {

struct Console {
  static void init();
  static void write(const char* text, usize length);
};

struct Cpu {
  static constexpr const char name[] = "skeleton";
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
  static constexpr VirtAddr scratch_va = 0x4000'0000; // pick an address outside your direct map
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

#include <contract/virtualization.hpp>

namespace hv::port {
/// No hardware virtualization backend yet (a new port starts here; its backend comes last (docs/porting.md)): the
/// hypervisor says so and runs no domains.
struct Virtualization : NoVirtualization {};
} // namespace hv::port

static_assert(::hv::contract::Virtualization<::hv::port::Virtualization>,
              "port: Virtualization does not meet the contract");

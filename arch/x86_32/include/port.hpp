// The x86_32 port: a PVH-booted ELF32 image linked at 1 MiB, running in 32-bit protected mode on its own
// PAE page tables (never 2-level ones: QEMU's nested paging silently does nothing under them), with the
// devices of a PC (COM1, the local APIC and its timer, the PIT to calibrate it). Everything that does
// not depend on the mode is shared with x86_64 in arch/x86_common/.
#pragma once

#include <contract/port.hpp>

namespace hv::port {

struct Console {
  static void init();
  static void write(const char* text, usize length);
};

struct Cpu {
  static constexpr const char name[] = "x86_32";
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
  /// The top 4 MiB of the 4 GiB address space are for temporary mappings; the identity direct map (RAM,
  /// the image and the local APIC at 0xFEE00000) must end below them.
  static constexpr VirtAddr scratch_va = 0xffc0'0000u;
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
/// No hardware virtualization backend yet (SVM in PAE host mode is still to come): the hypervisor says so and runs no
/// domains.
struct Virtualization : NoVirtualization {};
} // namespace hv::port

static_assert(::hv::contract::Virtualization<::hv::port::Virtualization>,
              "port: Virtualization does not meet the contract");

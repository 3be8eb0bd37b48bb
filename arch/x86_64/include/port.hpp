// The x86_64 port: a PVH-booted ELF64 image linked at 1 MiB, running in long mode on its own 4-level
// page tables, with the devices of a PC (COM1, the local APIC and its timer, the PIT to calibrate it).
// Everything that does not depend on the mode is shared with x86_32 in arch/x86_common/.
#pragma once

#include <contract/port.hpp>

namespace hv::port {

struct Console {
  static void init();
  static void write(const char* text, usize length);
};

struct Cpu {
  static constexpr const char name[] = "x86_64";
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
  /// The last 512 GiB of the address space (the top level's last slot) are for temporary mappings; the
  /// identity direct map stays far below.
  static constexpr VirtAddr scratch_va = 0xffff'ff80'0000'0000ull;
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

// The optional hardware virtualization backend; svm.hpp checks it against its own concept.
#include <svm.hpp>

// The ppc64 port: the hypervisor on POWER9 in hypervisor state, booted by skiboot (OPAL) on PowerNV.
//
// One source tree for both byte orders: the cross file picks ppc64le or ppc64be. Firmware (OPAL) always
// runs big-endian in real mode; the little-endian image flips to little-endian at entry and back around
// every OPAL call (opal_call.S). The hypervisor translates with its own radix tables (paging.cpp), takes
// its interrupts through LPCR[AIL]=3 vectors (vectors.S) and ticks with the hypervisor decrementer.
#pragma once

#include <contract/port.hpp>

namespace hv::port {

struct Console {
  /// Nothing to do: OPAL's console is ready when skiboot starts the image.
  static void init();
  /// OPAL_CONSOLE_WRITE until every byte went out; '\n' becomes "\r\n" for the serial terminal.
  static void write(const char* text, usize length);
};

struct Cpu {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  static constexpr const char name[] = "ppc64le";
#else
  static constexpr const char name[] = "ppc64be";
#endif
  static void interrupts_disable();
  static void interrupts_enable();
  /// stop with PSSCR[EC]=0 while MSR[EE]=0: a pending interrupt ends the stop even though it is masked,
  /// so one that arrives after the check is taken right after, never lost.
  static void wait_for_interrupt();
  /// The timebase.
  static u64 cycles();
  static void halt_forever();
};

struct Machine {
  /// The tree skiboot handed over in r3.
  static const void* device_tree();
  /// /chosen/bootargs of that tree (QEMU's -append), or "".
  static const char* command_line();
  static MemoryRange image_range();
  static MemoryRange boot_module();
  /// Success: OPAL_CEC_POWER_DOWN. Failure: `attn` with HID0[ENABLE_ATTN] (QEMU: a guest panic).
  static void exit(ExitStatus status);
};

struct Paging {
  static constexpr usize page_size = 4096;
  /// In quadrant 0, far above any RAM or MMIO address the direct map could cover.
  static constexpr VirtAddr scratch_va = 0x0008'0000'0000'0000ull;
  static bool init(FrameSource& frames);
  static bool map_page(FrameSource& frames, VirtAddr va, PhysAddr pa, MapAttr attr);
  static void unmap_page(VirtAddr va);
  static bool translate(VirtAddr va, PhysAddr& out);
  /// The root of the hypervisor's own tree (process table entry 1, quadrant 0).
  static PhysAddr root();
  /// The direct map is the identity. Inline: the core's p2m walks and guest copies go through it.
  static void* direct_map(PhysAddr pa) { return reinterpret_cast<void*>(static_cast<uptr>(pa)); }
  static void zero_page(PhysAddr pa);
};

struct Traps {
  /// Makes interrupts arrive in the hypervisor's byte order (HILE, through OPAL), parks the
  /// decrementer and turns on LPCR[AIL]=3, which sends them to the vector page Paging::init mapped.
  static void init();
  /// `trap` (tw 31,0,0): a program interrupt whose SRR1 says "trap".
  static void raise_breakpoint();
};

struct Timer {
  /// The timebase frequency from /cpus (512 MHz when the tree does not say).
  static bool init();
  static u64 frequency_hz();
  /// The timebase.
  static u64 now();
  /// The hypervisor decrementer (HDEC, vector 0x980, LPCR[HDICE]) at `hz`.
  static void start_periodic(u64 hz);
  static void stop();
};

} // namespace hv::port

HV_PORT_CONTRACT_CHECKS;

// The optional hardware virtualization backend; lpar.hpp checks it against its own concept.
#include <lpar.hpp>

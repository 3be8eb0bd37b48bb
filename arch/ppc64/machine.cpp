// SPDX-License-Identifier: Apache-2.0
// The machine around the CPU: skiboot's device tree, the image, and ending the run through firmware.
#include <port.hpp>

#include <hv/firmware_tree.hpp>

#include <ppc64/firmware.hpp>
#include <ppc64/image.hpp>
#include <ppc64/opal.hpp>
#include <ppc64/registers.hpp>

namespace hv::ppc64 {
namespace {
const void* device_tree_from_firmware = nullptr;
} // namespace

void record_device_tree(const void* fdt) { device_tree_from_firmware = fdt; }

} // namespace hv::ppc64

namespace hv::port {
namespace {

// How long to keep OPAL's pollers running after asking for power-off: the BMC acts on the request
// asynchronously. Counted in timebase ticks at the POWER9 rate; only a bound, never a measurement.
constexpr u64 power_down_patience = 5ull * 512'000'000;

/// Returns only when firmware did not power off in time (QEMU without a BMC: -nodefaults and no
/// ipmi-bmc-sim), so that the caller can still stop the machine rather than leave it running.
void power_down() {
  ppc64::opal::call(ppc64::opal::token::cec_power_down, 0);
  const u64 start = ppc64::read_timebase();
  while (ppc64::read_timebase() - start < power_down_patience) ppc64::opal::call(ppc64::opal::token::poll_events, 0);
}

/// `attn` with HID0[ENABLE_ATTN] set stops the machine with a checkstop, which QEMU reports as a guest
/// panic (-action panic=exit-failure makes that exit status 1). Tried once: where attn is an illegal
/// instruction (QEMU 7.2) the resulting trap panics and ends up here again. The enable bit moved after
/// POWER8, whose refusal (Cpu::supported) ends here too.
void attention() {
  static bool tried = false;
  if (tried) return;
  tried = true;
  constexpr u64 pvr_power8_versions_end = 0x004e;
  const bool power8 = (ppc64::read_spr<ppc64::spr::pvr>() >> 16) < pvr_power8_versions_end;
  asm volatile("sync" : : : "memory");
  ppc64::write_spr<ppc64::spr::hid0>(ppc64::read_spr<ppc64::spr::hid0>() |
                                     (power8 ? ppc64::hid0::power8_enable_attn : ppc64::hid0::power9_enable_attn));
  asm volatile("attn" : : : "memory");
}

} // namespace

const void* Machine::device_tree() { return ppc64::device_tree_from_firmware; }

// /chosen/bootargs of that tree (QEMU's -append), or "".
const char* Machine::command_line() { return fdt::bootargs(ppc64::device_tree_from_firmware); }

MemoryRange Machine::image_range() {
  const PhysAddr start = ppc64::physical_address(__image_start);
  return MemoryRange{start, ppc64::physical_address(__image_end) - start};
}

MemoryRange Machine::boot_module() { return fdt::initrd(ppc64::device_tree_from_firmware); }

// Success: OPAL_CEC_POWER_DOWN. Failure: `attn` with HID0[ENABLE_ATTN] (QEMU: a guest panic).
void Machine::exit(ExitStatus status) {
  Cpu::interrupts_disable();
  if (status == ExitStatus::success) power_down();
  // Failure, or a power-off that never came: a visible stop (a non-zero exit on QEMU) beats a hang.
  attention();
}

} // namespace hv::port

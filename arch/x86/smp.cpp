// SPDX-License-Identifier: Apache-2.0
// See x86/smp.hpp. The Machine contract's CPU functions on a PC.
#include <hv/cpus.hpp>
#include <hv/string.hpp>
#include <port.hpp>
#include <x86/lapic.hpp>
#include <x86/pit.hpp>
#include <x86/smp.hpp>

hv::uptr hv_x86_secondary_stack = 0;

namespace hv::x86 {
namespace {

// The firmware's CPUs, the boot CPU first once cpu_count() has seen which one it is.
u32 apic_ids[max_cpus] = {};
u32 apic_count = 0;

// An xAPIC addresses IPIs with 8 bits, 0xFF being the broadcast: a CPU with a larger ID (listed by an
// x2APIC structure) cannot be started from xAPIC mode and is left out.
constexpr u32 broadcast_apic_id = 0xff;

// What the startup IPI needs (Intel SDM: "the vector ... the starting page number"): INIT, 10 ms, then
// a startup IPI twice, 200 us apart; the second is ignored by a CPU that already started.
constexpr u32 init_wait_us = 10'000;
constexpr u32 startup_wait_us = 200;

constexpr usize stack_order = 2; // 16 KiB, as the boot CPU's
constexpr usize page_bytes = 4096;

} // namespace

SecondaryStart secondary_start = {};

void record_firmware_cpus(const u32* ids, usize count) {
  apic_count = 0;
  for (usize i = 0; i < count && apic_count < max_cpus; ++i)
    if (ids[i] < broadcast_apic_id) apic_ids[apic_count++] = ids[i];
}

const u32* firmware_cpus(usize& count) {
  count = apic_count;
  return apic_ids;
}

} // namespace hv::x86

namespace hv::port {

u32 Machine::cpu_count() {
  if (!put_boot_cpu_first(x86::apic_ids, x86::apic_count, x86::lapic::id())) x86::apic_count = 0;
  return x86::apic_count != 0 ? x86::apic_count : 1;
}

u64 Machine::cpu_hardware_id(u32 index) { return index < x86::apic_count ? x86::apic_ids[index] : 0; }

bool Machine::start_cpu(u32 index, FrameSource& frames) {
  if (index == 0 || index >= x86::apic_count) return false;
  const PhysAddr stack = frames.alloc_zeroed_block(x86::stack_order);
  const PhysAddr fault_stack = frames.alloc_zeroed_block(x86::stack_order);
  PhysAddr virtualization = 0;
  if (stack == 0 || fault_stack == 0 || !x86::take_virtualization_page(frames, virtualization)) return false;
  const usize stack_bytes = x86::page_bytes << x86::stack_order;
  x86::secondary_start = x86::SecondaryStart{index, static_cast<uptr>(stack + stack_bytes),
                                             static_cast<uptr>(fault_stack + stack_bytes), virtualization};
  hv_x86_secondary_stack = x86::secondary_start.stack_top;

  // The trampoline is assembled for its page; it is copied there afresh for each CPU, since the page is
  // firmware's low memory, which nothing else of the hypervisor's uses.
  const auto base = reinterpret_cast<uptr>(hv_x86_trampoline_base);
  memcpy(Paging::direct_map(base), hv_x86_trampoline_start,
         static_cast<usize>(hv_x86_trampoline_end - hv_x86_trampoline_start));
  asm volatile("" : : : "memory");

  const u32 apic_id = x86::apic_ids[index];
  x86::lapic::send_init(apic_id);
  x86::pit::wait_us(x86::init_wait_us);
  const auto page = static_cast<u8>(base / x86::page_bytes);
  x86::lapic::send_startup(apic_id, page);
  x86::pit::wait_us(x86::startup_wait_us);
  x86::lapic::send_startup(apic_id, page);
  return true;
}

// The ICR write is an uncached store, ordered after the caller's stores by x86's store order.
void Machine::send_ipi(u32 index) {
  if (index < x86::apic_count) x86::lapic::send_fixed(x86::apic_ids[index], x86::lapic::ipi_vector);
}

} // namespace hv::port

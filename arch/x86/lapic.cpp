// SPDX-License-Identifier: Apache-2.0
#include <port.hpp>
#include <x86/instructions.hpp>
#include <x86/lapic.hpp>

namespace hv::x86::lapic {
namespace {

constexpr u32 msr_apic_base = 0x1b;
constexpr u64 apic_base_global_enable = 1u << 11;
constexpr u64 apic_base_address_mask = 0x000f'ffff'ffff'f000ull;

// Register offsets in the APIC's page.
constexpr usize reg_id = 0x20;
constexpr usize reg_task_priority = 0x80;
constexpr usize reg_end_of_interrupt = 0xb0;
constexpr usize reg_spurious_vector = 0xf0;
constexpr usize reg_interrupt_command_low = 0x300;
constexpr usize reg_interrupt_command_high = 0x310;
constexpr usize reg_lvt_timer = 0x320;
constexpr usize reg_timer_initial_count = 0x380;
constexpr usize reg_timer_current_count = 0x390;
constexpr usize reg_timer_divide = 0x3e0;

constexpr u32 spurious_software_enable = 1u << 8;
constexpr u32 lvt_masked = 1u << 16;
constexpr u32 lvt_timer_periodic = 1u << 17;
constexpr u32 timer_divide_by_16 = 0x3;

// The interrupt command register (Intel SDM vol. 3, "Interrupt Command Register"): the destination's
// APIC ID in bits 24-31 of the high half; in the low half the delivery mode (bits 8-10), the level
// (bit 14) and the delivery status (bit 12, set while the APIC is still sending).
constexpr u32 icr_destination_shift = 24;
constexpr u32 icr_delivery_fixed = 0x0u << 8;
constexpr u32 icr_delivery_init = 0x5u << 8;
constexpr u32 icr_delivery_startup = 0x6u << 8;
constexpr u32 icr_level_assert = 1u << 14;
constexpr u32 icr_send_pending = 1u << 12;
constexpr u32 id_shift = 24;

volatile u32* registers = nullptr;

volatile u32& reg(usize offset) { return registers[offset / sizeof(u32)]; }

} // namespace

bool present() { return (cpuid(1).edx & cpuid_1_edx_apic) != 0; }

PhysAddr physical_base() { return rdmsr(msr_apic_base) & apic_base_address_mask; }

void enable() {
  const u64 base = rdmsr(msr_apic_base);
  if ((base & apic_base_global_enable) == 0) wrmsr(msr_apic_base, base | apic_base_global_enable);
  registers = static_cast<volatile u32*>(port::Paging::direct_map(physical_base()));
  reg(reg_task_priority) = 0;
  reg(reg_spurious_vector) = spurious_software_enable | spurious_vector;
  reg(reg_timer_divide) = timer_divide_by_16;
  timer_stop();
}

void end_of_interrupt() { reg(reg_end_of_interrupt) = 0; }

void timer_start(u32 initial_count, bool periodic) {
  reg(reg_lvt_timer) = periodic ? (lvt_timer_periodic | timer_vector) : (lvt_masked | timer_vector);
  reg(reg_timer_initial_count) = initial_count; // writing the count (re)starts the timer
}

void timer_stop() {
  reg(reg_lvt_timer) = lvt_masked | timer_vector;
  reg(reg_timer_initial_count) = 0;
}

u32 timer_current_count() { return reg(reg_timer_current_count); }

u32 id() { return reg(reg_id) >> id_shift; }

void send(u32 destination, u32 command) {
  reg(reg_interrupt_command_high) = destination << icr_destination_shift;
  reg(reg_interrupt_command_low) = command; // writing the low half sends
  while ((reg(reg_interrupt_command_low) & icr_send_pending) != 0) {
  }
}

void send_init(u32 destination) { send(destination, icr_delivery_init | icr_level_assert); }

void send_startup(u32 destination, u8 page) { send(destination, icr_delivery_startup | icr_level_assert | page); }

void send_fixed(u32 destination, u8 vector) { send(destination, icr_delivery_fixed | icr_level_assert | vector); }

} // namespace hv::x86::lapic

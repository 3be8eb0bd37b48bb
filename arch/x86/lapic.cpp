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
constexpr usize reg_task_priority = 0x80;
constexpr usize reg_end_of_interrupt = 0xb0;
constexpr usize reg_spurious_vector = 0xf0;
constexpr usize reg_lvt_timer = 0x320;
constexpr usize reg_timer_initial_count = 0x380;
constexpr usize reg_timer_current_count = 0x390;
constexpr usize reg_timer_divide = 0x3e0;

constexpr u32 spurious_software_enable = 1u << 8;
constexpr u32 lvt_masked = 1u << 16;
constexpr u32 lvt_timer_periodic = 1u << 17;
constexpr u32 timer_divide_by_16 = 0x3;

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

} // namespace hv::x86::lapic

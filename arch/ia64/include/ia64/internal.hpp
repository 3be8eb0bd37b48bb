// SPDX-License-Identifier: Apache-2.0
// What the IA-64 port's own files share: the assembly routines (entry.S, trap_entry.S), symbols from the
// linker script, the trap frame, and single-instruction accessors for registers C++ cannot name.
#pragma once

#include <ia64/arch.hpp>
#include <ia64/trap_frame.h>
#include <port.hpp>

extern "C" {
// entry.S
void hv_ia64_install_ivt(const void* ivt);
void hv_ia64_load_region_registers(const hv::u64* values);
void hv_ia64_load_pta(hv::u64 pta);
void hv_ia64_pin_image(hv::u64 va, hv::u64 pte, hv::u64 itir);
void hv_ia64_switch_to_virtual(hv::u64 psr);
void hv_ia64_tc_insert(hv::u64 va, hv::u64 pte, hv::u64 itir, hv::u64 instruction);
void hv_ia64_purge(hv::u64 va, hv::u64 page_shift);
hv::u64 hv_ia64_phys_load(hv::u64 pa);
// trap_entry.S
extern const char hv_ia64_ivt[];
// board.S: the board's device tree, built from boards/ia64-generic.dts.
extern const unsigned char hv_ia64_board_dtb[];
// image.ld
extern const char __image_start[];
extern const char __image_end[];
} // extern "C"

namespace hv::ia64 {

/// The interrupted state as trap_entry.S saves it (layout: ia64/trap_frame.h).
struct TrapFrame {
  u64 vector;
  u64 ipsr;
  u64 iip;
  u64 ifs;
  u64 isr;
  u64 ifa;
  u64 iim;
  u64 pr;
  u64 unat;
  u64 unat_spill;
  u64 pfs;
  u64 rsc;
  u64 ccv;
  u64 fpsr;
  u64 b0;
  u64 b6;
  u64 b7;
  u64 sp;
  u64 gr[32];
  u64 fr[10][2];
  u64 pad[2];
};
static_assert(__builtin_offsetof(TrapFrame, vector) == TF_VECTOR);
static_assert(__builtin_offsetof(TrapFrame, ipsr) == TF_IPSR);
static_assert(__builtin_offsetof(TrapFrame, iip) == TF_IIP);
static_assert(__builtin_offsetof(TrapFrame, ifs) == TF_IFS);
static_assert(__builtin_offsetof(TrapFrame, isr) == TF_ISR);
static_assert(__builtin_offsetof(TrapFrame, ifa) == TF_IFA);
static_assert(__builtin_offsetof(TrapFrame, iim) == TF_IIM);
static_assert(__builtin_offsetof(TrapFrame, pr) == TF_PR);
static_assert(__builtin_offsetof(TrapFrame, unat) == TF_UNAT);
static_assert(__builtin_offsetof(TrapFrame, unat_spill) == TF_UNAT_SPILL);
static_assert(__builtin_offsetof(TrapFrame, pfs) == TF_PFS);
static_assert(__builtin_offsetof(TrapFrame, rsc) == TF_RSC);
static_assert(__builtin_offsetof(TrapFrame, ccv) == TF_CCV);
static_assert(__builtin_offsetof(TrapFrame, fpsr) == TF_FPSR);
static_assert(__builtin_offsetof(TrapFrame, b0) == TF_B0);
static_assert(__builtin_offsetof(TrapFrame, b6) == TF_B6);
static_assert(__builtin_offsetof(TrapFrame, b7) == TF_B7);
static_assert(__builtin_offsetof(TrapFrame, sp) == TF_SP);
static_assert(__builtin_offsetof(TrapFrame, gr) == TF_GR);
static_assert(__builtin_offsetof(TrapFrame, fr) == TF_FR);
static_assert(sizeof(TrapFrame) == TF_SIZE);

/// The vector the interval timer interrupts with (cr.itv); class 14, above every device's.
inline constexpr u8 timer_vector = 0xef;
/// The immediate of the break instruction Traps::raise_breakpoint executes.
inline constexpr u64 breakpoint_immediate = 0x4242;
/// Devices the port uses are mapped in region 4 at this offset from their physical address: the same
/// address that reaches them uncached in physical mode, so one pointer serves before and after the
/// switch to virtual mode.
inline constexpr u64 device_offset = 1ull << 63;
/// ISR.x: the interruption came from an instruction fetch.
inline constexpr u64 isr_execute = 1ull << 32;

// paging.cpp
/// Refills the TLB (and the VHPT) for a miss at `va` from the hypervisor's tables; false when `va` is
/// not mapped there (a real page fault).
bool refill_tlb(u64 va, bool instruction);

// console.cpp
/// The UART's physical registers as the board's device tree gives them (valid after Console::init).
MemoryRange console_device();

// machine.cpp
/// The exit device's registers as the board's device tree gives them, {0, 0} when the board has none.
MemoryRange exit_device();

// traps.cpp
/// External interrupts handled so far (Cpu::wait_for_interrupt waits for it to change).
extern volatile u64 interrupts_taken;

// timer.cpp
/// Sets cr.itm for the next periodic tick, if the timer runs. Called by the trap dispatcher for each
/// timer interrupt, before its end of interrupt.
void rearm_timer();

// Single instructions.
inline void write_itm(u64 v) { asm volatile("mov cr.itm = %0 ;; srlz.d ;;" ::"r"(v) : "memory"); }
inline void write_itv(u64 v) { asm volatile("mov cr.itv = %0 ;; srlz.d ;;" ::"r"(v) : "memory"); }
inline u64 read_itm() {
  u64 v;
  asm volatile("mov %0 = cr.itm" : "=r"(v)::"memory");
  return v;
}
inline u64 read_itc() {
  u64 v;
  asm volatile("mov %0 = ar.itc" : "=r"(v)::"memory");
  return v;
}
inline u64 read_psr() {
  u64 v;
  asm volatile("mov %0 = psr" : "=r"(v)::"memory");
  return v;
}
inline u64 thash(u64 va) {
  u64 v;
  asm volatile("thash %0 = %1" : "=r"(v) : "r"(va) : "memory");
  return v;
}
inline u64 ttag(u64 va) {
  u64 v;
  asm volatile("ttag %0 = %1" : "=r"(v) : "r"(va) : "memory");
  return v;
}
inline void memory_fence() { asm volatile("mf" ::: "memory"); }

} // namespace hv::ia64

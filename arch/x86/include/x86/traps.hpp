// SPDX-License-Identifier: Apache-2.0
// The x86 trap backend's shared parts. Each mode's trap_entry_64.S or trap_entry_32.S has one stub per vector (all 256,
// so that no vector can reach an empty IDT slot and triple-fault) which saves the interrupted state and calls that
// mode's traps_64.cpp or traps_32.cpp, which calls dispatch_trap() here.
#pragma once

#include <hv/types.hpp>

namespace hv::x86 {

inline constexpr u32 vector_nmi = 2;
inline constexpr u32 vector_breakpoint = 3;
inline constexpr u32 vector_invalid_opcode = 6;
inline constexpr u32 vector_double_fault = 8;
inline constexpr u32 vector_page_fault = 14;
inline constexpr u32 vector_machine_check = 18;
inline constexpr u32 first_interrupt_vector = 32;
/// Where the legacy PICs deliver after pic::remap_and_mask_all (they stay masked).
inline constexpr u8 legacy_pic_first_vector = 0x20;
inline constexpr u32 vector_count = 256;
/// Each stub in trap_entry.S starts at trap_stubs + vector * trap_stub_size.
inline constexpr usize trap_stub_size = 16;

/// CPU n's task state is at GDT selector 0x18 + 16 n in both modes (x86_32's double-fault task at
/// 0x20 + 16 n), and each CPU keeps its own loaded from its start on: the task register names the CPU
/// (0, the boot CPU, before load_trap_tables first loads it).
inline constexpr u16 first_task_state_selector = 0x18;
inline constexpr u16 task_selectors_per_cpu = 16;
inline u32 cpu_of_task_register() {
  u16 selector;
  asm("str %0" : "=r"(selector));
  return selector < first_task_state_selector
             ? 0
             : static_cast<u32>(selector - first_task_state_selector) / task_selectors_per_cpu;
}

/// Per port (traps.cpp): builds and loads this mode's GDT, task state and IDT, with every vector going
/// to its stub. May run more than once: the entry code calls it before hv::boot_main (so that even a
/// fault during the first steps of the boot is reported, not turned into a silent triple fault) and
/// Traps::init calls it again; x86_32's Paging::init also does, because its double-fault task records
/// the live CR3.
void load_trap_tables();
/// The same for secondary CPU `cpu` (x86/smp.hpp), on that CPU: a task state of its own (a CPU marks
/// the one it loads busy, so none is shared), whose double faults switch to `fault_stack_top`; the IDT
/// is the boot CPU's (x86_32: a copy whose double-fault gate names this CPU's task).
void load_trap_tables(u32 cpu, uptr fault_stack_top);

/// Tells common code what happened on `vector`, interrupted at `pc` (for a fault, the faulting
/// instruction; for int3 and interrupts, the next one). Acknowledges the timer. Returns when common
/// code says to resume; the caller then resumes at the saved state unchanged.
void dispatch_trap(u32 vector, u64 pc);

} // namespace hv::x86

extern "C" {
/// The first stub of trap_entry.S; the stubs are trap_stub_size bytes apart.
extern const char hv_x86_trap_stubs[];
}

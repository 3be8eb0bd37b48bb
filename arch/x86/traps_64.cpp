// SPDX-License-Identifier: Apache-2.0
// Long mode's descriptor tables and the C++ end of trap_entry.S.
//
// The GDT holds the code and data segments and the task state, whose only job in long mode is the
// interrupt stack table: double faults, NMIs and machine checks switch to a stack of their own, so that
// a fault caused by a broken stack is still reported by name instead of escalating to a triple fault
// (which QEMU with -no-reboot would turn into a silent, successful-looking exit). Each CPU has its own
// task state and descriptor for it (ltr marks the descriptor busy); the IDT is shared.
#include <port.hpp>
#include <x86/traps.hpp>

namespace hv::x86 {
namespace {

constexpr u16 code_selector = 0x08;
constexpr u16 data_selector = 0x10;
static_assert(first_task_state_selector == 0x18); // CPU n's at 0x18 + 16 n: a long-mode TSS descriptor is two slots
constexpr usize fixed_descriptors = 3;

constexpr u64 code_segment_64 = 0x00af'9a00'0000'ffffull; // present, ring 0, execute/read, long mode
constexpr u64 data_segment = 0x00cf'9200'0000'ffffull;    // present, ring 0, read/write
constexpr u64 task_state_available = 0x89;                // present, 64-bit TSS, not busy
constexpr u8 interrupt_gate = 0x8e;                       // present, ring 0, interrupts masked on entry
constexpr u8 fault_stack_index = 1;                       // IST1

struct [[gnu::packed]] TaskState {
  u32 reserved0;
  u64 privilege_stacks[3];
  u64 reserved1;
  u64 interrupt_stacks[7]; // IST1..IST7
  u64 reserved2;
  u16 reserved3;
  u16 io_map_base;
};
static_assert(sizeof(TaskState) == 104, "the 64-bit TSS is 104 bytes");

struct InterruptGate {
  u16 offset_low;
  u16 selector;
  u8 stack_index;
  u8 type;
  u16 offset_middle;
  u32 offset_high;
  u32 reserved;
};
static_assert(sizeof(InterruptGate) == 16, "a long mode IDT entry is 16 bytes");

struct [[gnu::packed]] TablePointer {
  u16 limit;
  u64 base;
};

alignas(16) u64 gdt[fixed_descriptors + 2 * max_cpus]; // null, code, data, then each CPU's task state
alignas(16) InterruptGate idt[vector_count];
TaskState task_states[max_cpus];
alignas(16) u8 fault_stack[16384]; // the boot CPU's; the others' come from the boot frame source

bool uses_fault_stack(u32 vector) {
  return vector == vector_double_fault || vector == vector_nmi || vector == vector_machine_check;
}

void fill_gdt(u32 cpu) {
  const u64 base = reinterpret_cast<uptr>(&task_states[cpu]);
  const u64 limit = sizeof(TaskState) - 1;
  gdt[0] = 0;
  gdt[1] = code_segment_64;
  gdt[2] = data_segment;
  u64* descriptor = &gdt[fixed_descriptors + 2 * cpu];
  descriptor[0] = (limit & 0xffff) | ((base & 0xff'ffff) << 16) | (task_state_available << 40) |
                  ((limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
  descriptor[1] = base >> 32;
}

void fill_idt() {
  const auto stubs = reinterpret_cast<uptr>(hv_x86_trap_stubs);
  for (u32 vector = 0; vector < vector_count; ++vector) {
    const u64 handler = stubs + vector * trap_stub_size;
    idt[vector] = InterruptGate{static_cast<u16>(handler),
                                code_selector,
                                uses_fault_stack(vector) ? fault_stack_index : u8{0},
                                interrupt_gate,
                                static_cast<u16>(handler >> 16),
                                static_cast<u32>(handler >> 32),
                                0};
  }
}

void load_tables(u32 cpu) {
  const TablePointer gdt_pointer{sizeof(gdt) - 1, reinterpret_cast<uptr>(gdt)};
  // A far return is the way to load CS in long mode.
  asm volatile("lgdt %0\n\t"
               "pushq %1\n\t"
               "leaq 1f(%%rip), %%rax\n\t"
               "pushq %%rax\n\t"
               "lretq\n"
               "1:\n\t"
               "movl %2, %%eax\n\t"
               "mov %%eax, %%ds\n\t"
               "mov %%eax, %%es\n\t"
               "mov %%eax, %%ss\n\t"
               "mov %%eax, %%fs\n\t"
               "mov %%eax, %%gs"
               :
               : "m"(gdt_pointer), "i"(code_selector), "i"(data_selector)
               : "rax", "memory");
  // fill_gdt() just marked the descriptor not busy, so this works on every call.
  asm volatile("ltr %0" : : "r"(static_cast<u16>(first_task_state_selector + 16 * cpu)) : "memory");
  const TablePointer idt_pointer{sizeof(idt) - 1, reinterpret_cast<uptr>(idt)};
  asm volatile("lidt %0" : : "m"(idt_pointer) : "memory");
}

} // namespace

void load_trap_tables(u32 cpu, uptr fault_stack_top) {
  TaskState& task_state = task_states[cpu];
  task_state = TaskState{};
  task_state.interrupt_stacks[fault_stack_index - 1] = fault_stack_top;
  task_state.io_map_base = sizeof(TaskState); // no I/O permission bitmap
  fill_gdt(cpu);
  if (cpu == 0) fill_idt();
  load_tables(cpu);
}

void load_trap_tables() { load_trap_tables(0, reinterpret_cast<uptr>(fault_stack + sizeof(fault_stack))); }

/// What trap_entry.S pushed, lowest address first.
struct TrapFrame {
  u64 r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
  u64 vector, error_code;
  u64 rip, cs, rflags, rsp, ss; // pushed by the CPU
};

} // namespace hv::x86

/// Called by trap_entry.S for every vector, with interrupts masked.
extern "C" void hv_x86_trap(hv::x86::TrapFrame* frame) {
  hv::x86::dispatch_trap(static_cast<hv::u32>(frame->vector), frame->rip);
}

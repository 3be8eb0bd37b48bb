// SPDX-License-Identifier: Apache-2.0
// Protected mode's descriptor tables and the C++ end of trap_entry.S.
//
// The double fault goes through a task gate to a task of its own, with its own stack: a fault caused
// by a broken stack is then still reported by name instead of escalating to a triple fault (which QEMU
// with -no-reboot would turn into a silent, successful-looking exit). A task switch needs a task to
// switch from, so the GDT also holds the hypervisor's own task state, loaded with ltr. Each CPU has
// both tasks of its own (a task is busy while it runs), and so its own IDT, whose double-fault gate
// names its own task.
#include <port.hpp>
#include <x86/instructions.hpp>
#include <x86/traps.hpp>

extern "C" [[noreturn]] void hv_x86_double_fault_task();

namespace hv::x86 {
namespace {

constexpr u16 code_selector = 0x08;
constexpr u16 data_selector = 0x10;
// CPU n's hypervisor task at 0x18 + 16 n, its double fault's task at 0x20 + 16 n.
static_assert(first_task_state_selector == 0x18);
constexpr u16 first_double_fault_task_selector = 0x20;
constexpr usize fixed_descriptors = 3;

constexpr u64 code_segment = 0x00cf'9a00'0000'ffffull; // present, ring 0, execute/read, 32-bit, flat
constexpr u64 data_segment = 0x00cf'9200'0000'ffffull; // present, ring 0, read/write, flat
constexpr u64 task_state_available = 0x89;             // present, 32-bit TSS, not busy
constexpr u8 interrupt_gate = 0x8e;                    // present, ring 0, 32-bit, interrupts masked
constexpr u8 task_gate = 0x85;                         // present, ring 0
constexpr u32 eflags_reserved_one = 0x2;               // interrupts masked

// The 32-bit TSS; each segment selector slot is 32 bits with the upper half reserved.
struct TaskState {
  u32 previous_task;
  u32 esp0, ss0, esp1, ss1, esp2, ss2;
  u32 cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
  u32 es, cs, ss, ds, fs, gs, ldt;
  u16 trap_on_switch;
  u16 io_map_base;
};
static_assert(sizeof(TaskState) == 104, "the 32-bit TSS is 104 bytes");

struct InterruptGate {
  u16 offset_low;
  u16 selector;
  u8 reserved;
  u8 type;
  u16 offset_high;
};
static_assert(sizeof(InterruptGate) == 8, "a protected mode IDT entry is 8 bytes");

struct [[gnu::packed]] TablePointer {
  u16 limit;
  u32 base;
};

alignas(16) u64 gdt[fixed_descriptors + 2 * max_cpus]; // null, code, data, then each CPU's two tasks
alignas(16) InterruptGate idts[max_cpus][vector_count];
TaskState hypervisor_tasks[max_cpus];
TaskState double_fault_tasks[max_cpus];
alignas(16) u8 double_fault_stack[16384]; // the boot CPU's; the others' come from the boot frame source

u16 task_state_selector(u32 cpu) { return static_cast<u16>(first_task_state_selector + 16 * cpu); }
u16 double_fault_task_selector(u32 cpu) { return static_cast<u16>(first_double_fault_task_selector + 16 * cpu); }

u64 task_state_descriptor(const TaskState& task) {
  const u64 base = reinterpret_cast<uptr>(&task);
  const u64 limit = sizeof(TaskState) - 1;
  return (limit & 0xffff) | ((base & 0xff'ffff) << 16) | (task_state_available << 40) | ((limit >> 16 & 0xf) << 48) |
         ((base >> 24 & 0xff) << 56);
}

void fill_tasks(u32 cpu, uptr fault_stack_top) {
  TaskState& hypervisor_task = hypervisor_tasks[cpu];
  TaskState& double_fault_task = double_fault_tasks[cpu];
  hypervisor_task = TaskState{};
  hypervisor_task.io_map_base = sizeof(TaskState); // no I/O permission bitmap
  double_fault_task = TaskState{};
  // The task switch loads CR3 from here: the tables live when the tables were (re)loaded.
  double_fault_task.cr3 = static_cast<u32>(read_cr3());
  double_fault_task.eip = static_cast<u32>(reinterpret_cast<uptr>(&hv_x86_double_fault_task));
  double_fault_task.eflags = eflags_reserved_one;
  // The CPU pushes the error code here, where hv_x86_double_fault_task sees a return address: the
  // alignment is then that of a function entered by call.
  double_fault_task.esp = static_cast<u32>(fault_stack_top);
  double_fault_task.cs = code_selector;
  double_fault_task.ss = double_fault_task.ds = double_fault_task.es = data_selector;
  double_fault_task.fs = double_fault_task.gs = data_selector;
  double_fault_task.io_map_base = sizeof(TaskState);
}

void fill_gdt(u32 cpu) {
  gdt[0] = 0;
  gdt[1] = code_segment;
  gdt[2] = data_segment;
  gdt[fixed_descriptors + 2 * cpu] = task_state_descriptor(hypervisor_tasks[cpu]);
  gdt[fixed_descriptors + 2 * cpu + 1] = task_state_descriptor(double_fault_tasks[cpu]);
}

void fill_idt(u32 cpu) {
  InterruptGate* idt = idts[cpu];
  const auto stubs = reinterpret_cast<uptr>(hv_x86_trap_stubs);
  for (u32 vector = 0; vector < vector_count; ++vector) {
    const uptr handler = stubs + vector * trap_stub_size;
    idt[vector] =
        InterruptGate{static_cast<u16>(handler), code_selector, 0, interrupt_gate, static_cast<u16>(handler >> 16)};
  }
  idt[vector_double_fault] = InterruptGate{0, double_fault_task_selector(cpu), 0, task_gate, 0};
}

void load_tables(u32 cpu) {
  const TablePointer gdt_pointer{sizeof(gdt) - 1, static_cast<u32>(reinterpret_cast<uptr>(gdt))};
  asm volatile("lgdt %0\n\t"
               "ljmp %1, $1f\n"
               "1:\n\t"
               "movl %2, %%eax\n\t"
               "mov %%eax, %%ds\n\t"
               "mov %%eax, %%es\n\t"
               "mov %%eax, %%ss\n\t"
               "mov %%eax, %%fs\n\t"
               "mov %%eax, %%gs"
               :
               : "m"(gdt_pointer), "i"(code_selector), "i"(data_selector)
               : "eax", "memory");
  // fill_gdt() just marked the descriptor not busy, so this works on every call.
  asm volatile("ltr %0" : : "r"(task_state_selector(cpu)) : "memory");
  const TablePointer idt_pointer{sizeof(idts[cpu]) - 1, static_cast<u32>(reinterpret_cast<uptr>(idts[cpu]))};
  asm volatile("lidt %0" : : "m"(idt_pointer) : "memory");
}

} // namespace

void load_trap_tables(u32 cpu, uptr fault_stack_top) {
  fill_tasks(cpu, fault_stack_top);
  fill_gdt(cpu);
  fill_idt(cpu);
  load_tables(cpu);
}

void load_trap_tables() {
  load_trap_tables(0, reinterpret_cast<uptr>(double_fault_stack + sizeof(double_fault_stack)));
}

/// Which CPU runs this: its task register names its own double fault task while that task runs.
u32 double_faulting_cpu() {
  u16 selector = 0;
  asm volatile("str %0" : "=r"(selector));
  return static_cast<u32>(selector - first_double_fault_task_selector) / 16;
}

/// What trap_entry.S pushed, lowest address first.
struct TrapFrame {
  u32 edi, esi, ebp, esp_before_pushal, ebx, edx, ecx, eax; // pushal
  u32 vector, error_code;
  u32 eip, cs, eflags; // pushed by the CPU (no stack switch at ring 0)
};

} // namespace hv::x86

/// The double fault task's code: the CPU saved the interrupted state in the hypervisor's task.
extern "C" void hv_x86_double_fault_task() {
  hv::x86::dispatch_trap(hv::x86::vector_double_fault, hv::x86::hypervisor_tasks[hv::x86::double_faulting_cpu()].eip);
  for (;;) hv::port::Cpu::halt_forever(); // common code panics on a double fault: never reached
}

/// Called by trap_entry.S for every vector but the double fault, with interrupts masked.
extern "C" void hv_x86_trap(hv::x86::TrapFrame* frame) { hv::x86::dispatch_trap(frame->vector, frame->eip); }

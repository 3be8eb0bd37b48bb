// SPDX-License-Identifier: Apache-2.0
// The other CPUs of a PC: the list the firmware's MADT gives, and starting one (Machine::cpu_count,
// cpu_hardware_id and start_cpu; docs/smp.md has the sequence). A CPU is started with INIT and two
// startup IPIs (Intel SDM vol. 3, "MP Initialization"; AMD APM vol. 2, "Multiprocessor Initialization"):
// it wakes in real mode at a page below 1 MiB, where trampoline.S takes it to 32-bit protected mode and
// on to the image's own entry code (entry_64.S, entry_32.S), which brings it to the target's mode
// and calls hv_x86_secondary_start (start.cpp).
#pragma once

#include <contract/types.hpp>

namespace hv::x86 {

/// Keeps the local APIC IDs of the firmware's processors (x86/acpi.hpp), read by take_start_info.
void record_firmware_cpus(const u32* apic_ids, usize count);
/// The IDs record_firmware_cpus kept, in the MADT's order (none when there was no MADT).
const u32* firmware_cpus(usize& count);

/// What the boot CPU hands the CPU it is starting, through the one place below: start_cpu fills it,
/// and the starting CPU reads it before it reports itself online, after which the next may be filled.
struct SecondaryStart {
  u32 index;
  uptr stack_top;          ///< its own stack, from the boot frame source
  uptr fault_stack_top;    ///< the stack double faults (and on x86_64 NMIs and machine checks) switch to
  PhysAddr host_save_area; ///< x86_64: its VM_HSAVE_PA page; 0 when the CPU has no SVM
};
extern SecondaryStart secondary_start;

/// Per mode (cpu_start_64.cpp, cpu_start_32.cpp): on the CPU being started, right after the entry
/// code, switches it to the hypervisor's own tables (x86_32: turns PAE paging on with them).
void use_hypervisor_tables();
/// Per mode: on the CPU being started, with its trap tables loaded, its virtualization state
/// (x86_64: EFER.SVME and its own host save area when the CPU has SVM; x86_32: none).
void prepare_virtualization(const SecondaryStart& start);
/// Per mode: a page for the virtualization state prepare_virtualization needs, taken by the boot CPU
/// from `frames` (0 when none is needed); false when `frames` is exhausted.
bool take_virtualization_page(FrameSource& frames, PhysAddr& page);

} // namespace hv::x86

extern "C" {
/// Where the entry code takes the starting CPU's stack from (secondary_start.stack_top).
extern hv::uptr hv_x86_secondary_stack;
/// The real-mode code trampoline.S copies below 1 MiB, and the page it is assembled for.
extern const char hv_x86_trampoline_start[];
extern const char hv_x86_trampoline_end[];
extern const char hv_x86_trampoline_base[];
/// Called by the entry code on a secondary CPU, in the target's mode, on its own stack. Never returns.
[[noreturn]] void hv_x86_secondary_start();
}

// SPDX-License-Identifier: Apache-2.0
// Step 2 (docs/porting.md): what firmware handed over (start.cpp kept it: skeleton/start.hpp), and how a
// run ends.
#include <port.hpp>
#include <skeleton/not_written.hpp>

namespace hv::port {
using skeleton::not_written;

const void* Machine::device_tree() { not_written("Machine::device_tree"); }

const char* Machine::command_line() { not_written("Machine::command_line"); }

MemoryRange Machine::image_range() { not_written("Machine::image_range"); }

MemoryRange Machine::boot_module() { not_written("Machine::boot_module"); }

// None until the port looks for one (docs/migration-link.md): a port boots without it.
MemoryRange Machine::transfer_window() { return MemoryRange{0, 0}; }

// One CPU until the port starts others (docs/smp.md): common code then never calls the three below.
u32 Machine::cpu_count() { return 1; }

u64 Machine::cpu_hardware_id(u32) { not_written("Machine::cpu_hardware_id"); }

bool Machine::start_cpu(u32, FrameSource&) { not_written("Machine::start_cpu"); }

void Machine::send_ipi(u32) { not_written("Machine::send_ipi"); }

void Machine::exit(ExitStatus) { not_written("Machine::exit"); }

} // namespace hv::port

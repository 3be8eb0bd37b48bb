// Every function of the skeleton port, unwritten. See include/port.hpp and docs/porting.md.
#include <hv/string.hpp>

#include <port.hpp>

namespace hv::port {
namespace {

/// Says which function is missing, once, and ends the run: through Machine::exit once that is written, so
/// that the emulator stops at once with the failure status; until then (and if it returns) by spinning
/// here. Never through a trap: before Traps is written, the firmware's vector may return to the trapping
/// instruction, and the message would repeat for ever. Uses only Console::write, so it speaks as soon as
/// that does.
[[noreturn]] void missing(const char* function) {
  static bool stopping = false;
  if (!stopping) {
    stopping = true;
    constexpr char prefix[] = "hv: skeleton port: not written yet: ";
    Console::write(prefix, sizeof prefix - 1);
    Console::write(function, strlen(function));
    Console::write("\n", 1);
    Machine::exit(ExitStatus::failure); // until Step 2 this is missing too: that call spins below
  }
  for (;;) asm volatile("" : : : "memory");
}

} // namespace

// Step 1 (docs/porting.md): the console. Make write() reach your UART or firmware console.
void Console::init() {}
void Console::write(const char*, usize) {}

// Step 2: what firmware handed over, and how to end a run.
const void* Machine::device_tree() { missing("Machine::device_tree"); }
const char* Machine::command_line() { missing("Machine::command_line"); }
MemoryRange Machine::boot_module() { missing("Machine::boot_module"); }
MemoryRange Machine::image_range() { missing("Machine::image_range"); }
void Machine::exit(ExitStatus) { missing("Machine::exit"); }

// Step 3: the CPU basics.
void Cpu::interrupts_disable() { missing("Cpu::interrupts_disable"); }
void Cpu::interrupts_enable() { missing("Cpu::interrupts_enable"); }
void Cpu::wait_for_interrupt() { missing("Cpu::wait_for_interrupt"); }
u64 Cpu::cycles() { missing("Cpu::cycles"); }
void Cpu::halt_forever() { missing("Cpu::halt_forever"); }

// Step 4: the hypervisor's own page tables.
bool Paging::init(FrameSource&) { missing("Paging::init"); }
bool Paging::map_page(FrameSource&, VirtAddr, PhysAddr, MapAttr) { missing("Paging::map_page"); }
void Paging::unmap_page(VirtAddr) { missing("Paging::unmap_page"); }
bool Paging::translate(VirtAddr, PhysAddr&) { missing("Paging::translate"); }
PhysAddr Paging::root() { missing("Paging::root"); }
void* Paging::direct_map(PhysAddr) { missing("Paging::direct_map"); }
void Paging::zero_page(PhysAddr) { missing("Paging::zero_page"); }

// Step 5: traps.
void Traps::init() { missing("Traps::init"); }
void Traps::raise_breakpoint() { missing("Traps::raise_breakpoint"); }

// Step 6: the timer.
bool Timer::init() { missing("Timer::init"); }
u64 Timer::frequency_hz() { missing("Timer::frequency_hz"); }
u64 Timer::now() { missing("Timer::now"); }
void Timer::start_periodic(u64) { missing("Timer::start_periodic"); }
void Timer::stop() { missing("Timer::stop"); }

} // namespace hv::port

// SPDX-License-Identifier: Apache-2.0
// The host port's simulated machine. See include/port.hpp.
#include <port.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>

#include <sys/mman.h>
#include <unistd.h>

namespace hv::host {
namespace {

struct Simulation {
  std::string console;
  bool echo = std::getenv("HV_HOST_ECHO") != nullptr;
  const void* device_tree = nullptr;
  std::string command_line;
  MemoryRange boot_module;
  PhysAddr ram_base = 0;
  usize ram_bytes = 0;
  int ram_fd = -1;
  unsigned char* direct = nullptr; // the whole of RAM, mapped once
  std::map<VirtAddr, PhysAddr> aliases;
  bool interrupts = false;
  bool traps_installed = false;
  u64 clock = 0;  // virtual nanoseconds
  u64 period = 0; // timer period in ns, 0 when stopped
  u64 next_tick = 0;
  bool paging_live = false;
  std::string unsupported_cpu; // Cpu::supported's reason; empty: supported
};

Simulation& sim() {
  static Simulation s;
  return s;
}

void release_memory() {
  Simulation& s = sim();
  for (auto& [va, pa] : s.aliases) munmap(reinterpret_cast<void*>(va), 4096);
  s.aliases.clear();
  if (s.direct != nullptr) munmap(s.direct, s.ram_bytes);
  if (s.ram_fd >= 0) close(s.ram_fd);
  s.direct = nullptr;
  s.ram_fd = -1;
}

} // namespace

void reset_machine(PhysAddr ram_base, usize ram_bytes, const void* device_tree, const char* command_line) {
  release_memory();
  Simulation& s = sim();
  s.console.clear();
  s.device_tree = device_tree;
  s.command_line = command_line != nullptr ? command_line : "";
  s.ram_base = ram_base;
  s.ram_bytes = ram_bytes;
  s.ram_fd = memfd_create("hv-host-ram", 0);
  if (s.ram_fd < 0 || ftruncate(s.ram_fd, static_cast<off_t>(ram_bytes)) != 0)
    throw std::runtime_error("host port: no memory file");
  void* m = mmap(nullptr, ram_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, s.ram_fd, 0);
  if (m == MAP_FAILED) throw std::runtime_error("host port: cannot map simulated RAM");
  s.direct = static_cast<unsigned char*>(m);
  s.interrupts = false;
  s.traps_installed = false;
  s.clock = 0;
  s.period = 0;
  s.next_tick = 0;
  s.paging_live = false;
  s.boot_module = MemoryRange{0, 0};
  s.unsupported_cpu.clear();
}

void set_unsupported_cpu(const char* reason) { sim().unsupported_cpu = reason; }

void set_boot_module(const void* bytes, usize size) {
  Simulation& s = sim();
  const usize offset = (s.ram_bytes - size) & ~usize{4095};
  std::memcpy(s.direct + offset, bytes, size);
  s.boot_module = MemoryRange{s.ram_base + offset, size};
}

const char* console_output() { return sim().console.c_str(); }
void clear_console_output() { sim().console.clear(); }
void set_echo(bool on) { sim().echo = on; }

} // namespace hv::host

namespace hv::port {
using hv::host::sim;

void Console::init() {}
void Console::write(const char* text, usize length) {
  sim().console.append(text, length);
  if (sim().echo) std::fwrite(text, 1, length, stderr);
}

bool Cpu::supported(const char*& reason) {
  reason = sim().unsupported_cpu.c_str();
  return sim().unsupported_cpu.empty();
}
u32 Cpu::index() { return 0; } // the process's one thread is CPU 0
void Cpu::interrupts_disable() { sim().interrupts = false; }
void Cpu::interrupts_enable() { sim().interrupts = true; }
void Cpu::wait_for_interrupt() {
  auto& s = sim();
  s.interrupts = true;
  if (s.period == 0 || !s.traps_installed)
    throw std::logic_error("host port: waiting for an interrupt that cannot come");
  s.clock = s.next_tick;
  s.next_tick += s.period;
  handle_trap(TrapInfo{TrapKind::timer, 0, 0, 0});
}
// A simulated guest's interrupt exit is the tick arriving: the clock moves to it and it is handled.
void Cpu::take_pending_interrupts() {
  wait_for_interrupt();
  sim().interrupts = false;
}
u64 Cpu::cycles() { return sim().clock; }
void Cpu::halt_forever() { std::abort(); }

const void* Machine::device_tree() { return sim().device_tree; }
const char* Machine::command_line() { return sim().command_line.c_str(); }
MemoryRange Machine::image_range() { return MemoryRange{0, 0}; }
MemoryRange Machine::boot_module() { return sim().boot_module; }
MemoryRange Machine::transfer_window() { return MemoryRange{0, 0}; }
// The simulated machine has one CPU: the process's own thread.
u32 Machine::cpu_count() { return 1; }
u64 Machine::cpu_hardware_id(u32) { return 0; }
bool Machine::start_cpu(u32, FrameSource&) { return false; }
void Machine::send_ipi(u32) { throw std::logic_error("host port: an IPI on a machine of one CPU"); }
void Machine::exit(ExitStatus status) { throw hv::host::MachineExit{status}; }

bool Paging::init(FrameSource& frames) {
  // The process's own tables are the hypervisor's; taking one frame stands for the root table, so that
  // frame accounting behaves as on hardware.
  if (frames.alloc_zeroed_page() == 0) return false;
  sim().paging_live = true;
  return true;
}

bool Paging::map_page(FrameSource&, VirtAddr va, PhysAddr pa, MapAttr attr) {
  auto& s = sim();
  if (va % page_size != 0 || pa % page_size != 0 || pa < s.ram_base || pa - s.ram_base >= s.ram_bytes) return false;
  int prot = PROT_READ | (has(attr, MapAttr::write) ? PROT_WRITE : 0);
  void* m = mmap(reinterpret_cast<void*>(va), page_size, prot, MAP_SHARED | MAP_FIXED_NOREPLACE, s.ram_fd,
                 static_cast<off_t>(pa - s.ram_base));
  if (m == MAP_FAILED && s.aliases.count(va) != 0) {
    munmap(reinterpret_cast<void*>(va), page_size);
    m = mmap(reinterpret_cast<void*>(va), page_size, prot, MAP_SHARED | MAP_FIXED_NOREPLACE, s.ram_fd,
             static_cast<off_t>(pa - s.ram_base));
  }
  if (m == MAP_FAILED) return false;
  s.aliases[va] = pa;
  return true;
}

void Paging::unmap_page(VirtAddr va) {
  auto& s = sim();
  if (s.aliases.erase(va) != 0) munmap(reinterpret_cast<void*>(va), page_size);
}

bool Paging::translate(VirtAddr va, PhysAddr& out) {
  auto& s = sim();
  auto it = s.aliases.find(va & ~static_cast<VirtAddr>(page_size - 1));
  if (it == s.aliases.end()) return false;
  out = it->second + (va & (page_size - 1));
  return true;
}

PhysAddr Paging::root() { return 0; }

void* Paging::direct_map(PhysAddr pa) {
  auto& s = sim();
  if (pa < s.ram_base || pa - s.ram_base >= s.ram_bytes)
    throw std::out_of_range("host port: physical address outside RAM");
  return s.direct + (pa - s.ram_base);
}

void Paging::zero_page(PhysAddr pa) { std::memset(direct_map(pa), 0, page_size); }

void Traps::init() { sim().traps_installed = true; }
void Traps::raise_breakpoint() {
  if (!sim().traps_installed) throw std::logic_error("host port: breakpoint before Traps::init");
  handle_trap(TrapInfo{TrapKind::breakpoint, 3, reinterpret_cast<u64>(__builtin_return_address(0)), 0});
}

bool Timer::init() { return true; }
u64 Timer::frequency_hz() { return 1'000'000'000; }
u64 Timer::now() { return sim().clock; }
void Timer::start_periodic(u64 hz) {
  auto& s = sim();
  s.period = 1'000'000'000 / hz;
  s.next_tick = s.clock + s.period;
}
void Timer::stop() { sim().period = 0; }

} // namespace hv::port

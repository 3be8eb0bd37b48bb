// SPDX-License-Identifier: Apache-2.0
// See hv/cpus.hpp. Common code decides how many CPUs to start and reports them; the port only starts
// each one and brings it to hv::secondary_main.
#include <hv/command_line.hpp>
#include <hv/console.hpp>
#include <hv/cpus.hpp>

#include <port.hpp>

namespace hv {
namespace {

// Written by each secondary CPU, read by the boot CPU while it waits: atomics, not plain stores, because
// that is the one thing two CPUs share so far.
bool online[max_cpus] = {};

// INIT-SIPI-SIPI takes about 10 ms, OPAL's start a few; an emulator on a loaded host may take far longer
// to schedule a new CPU's thread. A CPU that has not arrived by then is reported and left alone.
constexpr u64 arrival_timeout_ms = 2000;

// The secondaries' own timer ticks only so that each CPU proves it takes interrupts while it idles;
// slow, so that idle CPUs cost an emulator next to nothing.
constexpr u64 idle_tick_hz = 10;

bool wait_for(u32 index) {
  const u64 hz = port::Timer::frequency_hz();
  const u64 start = port::Timer::now();
  while (!__atomic_load_n(&online[index], __ATOMIC_ACQUIRE))
    if ((port::Timer::now() - start) * 1000 / hz >= arrival_timeout_ms) return false;
  return true;
}

} // namespace

u32 cpu_limit(StrView command_line) {
  // Told apart by address, so that an empty "cpus=" is refused rather than taken for no option.
  static constexpr char absent[] = "";
  const StrView value = command_line_value(command_line, "cpus", absent);
  if (value.data() == absent) return max_cpus;
  if (value.empty()) return 0;
  u32 n = 0;
  for (usize i = 0; i < value.size(); ++i) {
    if (value[i] < '0' || value[i] > '9' || n > max_cpus) return 0;
    n = n * 10 + static_cast<u32>(value[i] - '0');
  }
  return n >= 1 && n <= max_cpus ? n : 0;
}

bool put_boot_cpu_first(u32* ids, u32 count, u32 boot) {
  u32 at = 0;
  while (at < count && ids[at] != boot) ++at;
  if (at == count) return false;
  for (; at > 0; --at) ids[at] = ids[at - 1];
  ids[0] = boot;
  return true;
}

u32 start_cpus(FrameSource& frames, u32 limit) {
  const u32 listed = port::Machine::cpu_count();
  const u32 wanted = listed < limit ? listed : limit;
  u32 count = 1;
  for (u32 index = 1; index < wanted; ++index) {
    const u64 id = port::Machine::cpu_hardware_id(index);
    if (!port::Machine::start_cpu(index, frames) || !wait_for(index)) {
      print("cpu {}: did not start (hardware ID {:#x})\n", index, id);
      // The port hands every CPU its start through one shared place: a latecomer would find the next
      // CPU's there, so none is started after one that did not arrive.
      break;
    }
    print("cpu {}: online (hardware ID {:#x})\n", index, id);
    ++count;
  }
  print("hv: {} CPU(s) online ({} listed by the firmware)\n", count, listed);
  return count;
}

[[noreturn]] void secondary_main(u32 index) {
  __atomic_store_n(&online[index], true, __ATOMIC_RELEASE);
  port::Timer::start_periodic(idle_tick_hz);
  // Interrupts on from here: this CPU's own timer ends each wait. Nothing runs on it yet.
  for (;;) port::Cpu::wait_for_interrupt();
}

} // namespace hv

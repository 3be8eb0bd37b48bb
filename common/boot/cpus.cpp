// SPDX-License-Identifier: Apache-2.0
// See hv/cpus.hpp. Common code decides how many CPUs to start and reports them; the port only starts
// each one and brings it to hv::secondary_main.
#include <hv/command_line.hpp>
#include <hv/config.hpp>
#include <hv/console.hpp>
#include <hv/cpus.hpp>
#include <hv/per_cpu.hpp>

#include <port.hpp>

namespace hv {
namespace {

// INIT-SIPI-SIPI takes about 10 ms, OPAL's start a few; an emulator on a loaded host may take far longer
// to schedule a new CPU's thread. A CPU that has not arrived by then is reported and left alone.
constexpr u64 arrival_timeout_ms = 2000;

// The secondaries' own timer ticks only so that each CPU proves it takes interrupts while it idles;
// slow, so that idle CPUs cost an emulator next to nothing.
constexpr u64 idle_tick_hz = 10;

u32 online_count = 1;

// The work handed last, and its number: a secondary runs it once when the number moves past the one it
// ran last (PerCpu-like, each CPU's own word, so that the boot CPU can wait for each).
SecondaryWork handed;
u64 handed_number = 0;
u64 done_number[max_cpus] = {};

bool past(u64 start, u64 ms) { return (port::Timer::now() - start) * 1000 / port::Timer::frequency_hz() >= ms; }

bool wait_for(u32 index) {
  const u64 start = port::Timer::now();
  while (!__atomic_load_n(&per_cpu[index].online, __ATOMIC_ACQUIRE))
    if (past(start, arrival_timeout_ms)) return false;
  return true;
}

// Probes: CPU `index` takes an IPI from the boot CPU and answers with one (secondary_main's idle loop):
// Machine::send_ipi proved both ways, with how long the round trip took.
[[maybe_unused]] void prove_ipis(u32 index) {
  const u64 sent_at = port::Cpu::cycles();
  const u64 start = port::Timer::now();
  const volatile u64& answers = per_cpu[0].traps.ipis;
  const u64 before = answers;
  port::Machine::send_ipi(index);
  port::Cpu::interrupts_enable();
  while (answers == before && !past(start, arrival_timeout_ms)) {
  }
  port::Cpu::interrupts_disable();
  if (answers == before)
    print("probe: cpu {}: no IPI came back\n", index);
  else
    print("probe: cpu {}: took an IPI and answered, {} cycles round trip\n", index, port::Cpu::cycles() - sent_at);
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
  per_cpu[0].online = true;
  const u32 listed = port::Machine::cpu_count();
  const u32 wanted = listed < limit ? listed : limit;
  u32 count = 1;
  for (u32 index = 1; index < wanted; ++index) {
    const u64 id = port::Machine::cpu_hardware_id(index);
    per_cpu[index].index = index;
    if (!port::Machine::start_cpu(index, frames) || !wait_for(index)) {
      print("cpu {}: did not start (hardware ID {:#x})\n", index, id);
      // The port hands every CPU its start through one shared place: a latecomer would find the next
      // CPU's there, so none is started after one that did not arrive.
      break;
    }
    print("cpu {}: online (hardware ID {:#x})\n", index, id);
    if constexpr (config::probes) prove_ipis(index);
    ++count;
  }
  print("hv: {} CPU(s) online ({} listed by the firmware)\n", count, listed);
  online_count = count;
  return count;
}

u32 cpus_online() { return online_count; }

void hand_to_secondaries(SecondaryWork work) {
  handed = work;
  __atomic_store_n(&handed_number, handed_number + 1, __ATOMIC_RELEASE);
  for (u32 i = 1; i < online_count; ++i) port::Machine::send_ipi(i);
}

void wait_for_secondaries() {
  const u64 number = handed_number;
  for (u32 i = 1; i < online_count; ++i)
    while (__atomic_load_n(&done_number[i], __ATOMIC_ACQUIRE) != number) {
    }
}

[[noreturn]] void secondary_main(u32 index) {
  PerCpu& self = per_cpu[index];
  // Counted before the boot CPU may send one (prove_ipis, once it sees this CPU online): an IPI taken
  // before the count was read would not be answered.
  u64 ipis = self.traps.ipis;
  __atomic_store_n(&self.online, true, __ATOMIC_RELEASE);
  port::Timer::start_periodic(idle_tick_hz);
  // Interrupts on from here: this CPU's own timer ends each wait, and the boot CPU's IPI brings work.
  for (;;) {
    // Masked while it looks, so that the IPI that hands work after the look still ends the wait below.
    port::Cpu::interrupts_disable();
    if (const u64 number = __atomic_load_n(&handed_number, __ATOMIC_ACQUIRE); number != done_number[index]) {
      handed.run(handed.context, index);
      port::Timer::start_periodic(idle_tick_hz); // the work may have set its own
      __atomic_store_n(&done_number[index], number, __ATOMIC_RELEASE);
    }
    port::Cpu::wait_for_interrupt();
    if constexpr (config::probes) {
      if (self.traps.ipis != ipis) port::Machine::send_ipi(0); // prove_ipis' answer
      ipis = self.traps.ipis;
    }
  }
}

} // namespace hv

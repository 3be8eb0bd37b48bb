// SPDX-License-Identifier: Apache-2.0
// The boot's self-proofs. See hv/boot_probes.hpp.
#include <hv/boot_probes.hpp>
#include <hv/boot_state.hpp>
#include <hv/console.hpp>
#include <hv/per_cpu.hpp>
#include <hv/stop.hpp>

#include <port.hpp>

namespace hv {
namespace {

[[noreturn]] void refuse(StrView why) { stop_machine(ExitStatus::failure, why); }

} // namespace

void prove_paging(BootFrames& frames) {
  const PhysAddr page = frames.alloc_zeroed_page();
  if (page == 0) refuse("paging: no page left for the self-test");
  const VirtAddr alias = port::Paging::scratch_va;
  if (!port::Paging::map_page(frames, alias, page, MapAttr::read | MapAttr::write))
    refuse("paging: could not map the scratch page");
  PhysAddr seen = 0;
  if (!port::Paging::translate(alias, seen) || seen != page)
    refuse("paging: the scratch mapping does not translate back");
  // Write through the alias, read through the direct map: only live tables make these the same bytes.
  auto* through_alias = reinterpret_cast<volatile u64*>(alias);
  auto* through_direct = static_cast<volatile u64*>(port::Paging::direct_map(page));
  const u64 pattern = 0x5a17'c0de'0000'0000ull | page;
  *through_alias = pattern;
  if (*through_direct != pattern) refuse("paging: a write through the scratch alias did not reach its page");
  port::Paging::unmap_page(alias);
  print("paging: own tables live, root {:#x}; page {:#x} written at alias {:#x}\n", port::Paging::root(), page, alias);
}

void prove_traps() {
  const TrapCounters& counters = this_cpu().traps;
  const u64 before = counters.breakpoints;
  port::Traps::raise_breakpoint();
  if (counters.breakpoints != before + 1) refuse("trap: the breakpoint did not reach the trap handler");
  print("trap: breakpoint at pc {:#x} went through the {} trap backend and returned\n", counters.last_breakpoint_pc,
        port::Cpu::name);
}

void prove_timer() {
  const u64 hz = port::Timer::frequency_hz();
  constexpr u64 tick_rate = 10'000; // 0.5 ms: the proof costs little of the boot (and of -icount figures)
  constexpr u64 wanted_ticks = 5;
  const TrapCounters& counters = this_cpu().traps;
  const u64 first = counters.timer_ticks;
  const u64 start = port::Timer::now();
  port::Timer::start_periodic(tick_rate);
  while (counters.timer_ticks - first < wanted_ticks) port::Cpu::wait_for_interrupt();
  port::Timer::stop();
  port::Cpu::interrupts_disable();
  const u64 elapsed = port::Timer::now() - start;
  const u64 elapsed_us = hz != 0 ? elapsed * 1000 / (hz / 1000) : 0;
  print("timer: {} interrupts at {} Hz in {} us (timer runs at {} Hz)\n", wanted_ticks, tick_rate, elapsed_us, hz);
}

} // namespace hv

// The boot flow every port shares (see docs/architecture.md): console, board, frames, paging, traps,
// timer, then the scenario, then the verdict.
#include <hv/board.hpp>
#include <hv/boot_frames.hpp>
#include <hv/boot_state.hpp>
#include <hv/command_line.hpp>
#include <hv/console.hpp>
#include <hv/panic.hpp>
#include <hv/scenario.hpp>
#include <hv/verdict.hpp>

#include <port.hpp>

namespace hv {
namespace {

// Firmware device trees carry no size we can trust before the header is read; this bounds the check.
constexpr usize max_device_tree_bytes = 4u << 20;

void prove_paging(BootFrames& frames) {
  const PhysAddr page = frames.alloc_zeroed_page();
  if (page == 0) fail_run("paging: no page left for the self-test");
  const VirtAddr alias = port::Paging::scratch_va;
  if (!port::Paging::map_page(frames, alias, page, MapAttr::read | MapAttr::write))
    fail_run("paging: could not map the scratch page");
  PhysAddr seen = 0;
  if (!port::Paging::translate(alias, seen) || seen != page)
    fail_run("paging: the scratch mapping does not translate back");
  // Write through the alias, read through the direct map: only live tables make these the same bytes.
  auto* through_alias = reinterpret_cast<volatile u64*>(alias);
  auto* through_direct = static_cast<volatile u64*>(port::Paging::direct_map(page));
  const u64 pattern = 0x5a17'c0de'0000'0000ull | page;
  *through_alias = pattern;
  if (*through_direct != pattern) fail_run("paging: a write through the scratch alias did not reach its page");
  port::Paging::unmap_page(alias);
  print("paging: own tables live, root {:#x}; page {:#x} written at alias {:#x}\n", port::Paging::root(), page, alias);
}

void prove_traps() {
  const u64 before = trap_counters.breakpoints;
  port::Traps::raise_breakpoint();
  if (trap_counters.breakpoints != before + 1) fail_run("trap: the breakpoint did not reach the trap handler");
  print("trap: breakpoint at pc {:#x} went through the {} trap backend and returned\n",
        trap_counters.last_breakpoint_pc, port::Cpu::name);
}

void prove_timer() {
  if (!port::Timer::init()) fail_run("timer: the port found no usable timer");
  const u64 hz = port::Timer::frequency_hz();
  constexpr u64 tick_rate = 10'000; // 0.5 ms: the proof costs little of the boot (and of -icount figures)
  constexpr u64 wanted_ticks = 5;
  const u64 first = trap_counters.timer_ticks;
  const u64 start = port::Timer::now();
  port::Timer::start_periodic(tick_rate);
  while (trap_counters.timer_ticks - first < wanted_ticks) port::Cpu::wait_for_interrupt();
  port::Timer::stop();
  port::Cpu::interrupts_disable();
  const u64 elapsed = port::Timer::now() - start;
  const u64 elapsed_us = hz != 0 ? elapsed * 1000 / (hz / 1000) : 0;
  print("timer: {} interrupts at {} Hz in {} us (timer runs at {} Hz)\n", wanted_ticks, tick_rate, elapsed_us, hz);
}

} // namespace

void boot_main() {
  const u64 started_at = port::Cpu::cycles();
  port::Console::init();
  print("\nhv: {} hypervisor starting\n", port::Cpu::name);

  const void* blob = port::Machine::device_tree();
  Board board;
  BoardError error;
  if (!read_board(blob, max_device_tree_bytes, board, error)) fail_run(error.message);
  print("board: {} ({}), {} CPU(s), {} MiB of RAM\n", board.model, board.compatible, board.cpu_count,
        board.total_memory() >> 20);
  for (usize i = 0; i < board.memory_count; ++i)
    print("memory: {:#014x}-{:#014x} ({} KiB)\n", board.memory[i].base, board.memory[i].end() - 1,
          board.memory[i].size >> 10);

  const StrView command_line(port::Machine::command_line());
  // A boot module is a domain description: booting its domains is then what the run does by default.
  const MemoryRange module = port::Machine::boot_module();
  const StrView scenario = command_line_value(command_line, "scenario", module.size != 0 ? "domains" : "boot");

  if (module.size != 0) print("boot module: {:#x}-{:#x} ({} bytes)\n", module.base, module.end() - 1, module.size);
  const MemoryRange extra[] = {port::Machine::image_range(),
                               MemoryRange{reinterpret_cast<uptr>(blob), align_up(device_tree_size(blob), 4096)},
                               module};
  BootFrames frames(board, extra, array_size(extra));
  if (!port::Paging::init(frames)) fail_run("paging: out of memory building the hypervisor's tables");
  prove_paging(frames);

  port::Traps::init();
  prove_traps();
  prove_timer();

  const Scenario* chosen = find_scenario(scenario);
  if (chosen == nullptr) {
    print("hv: unknown scenario '{}'\n", scenario);
    fail_run("unknown scenario");
  }
  chosen->run(ScenarioContext{frames, command_line, started_at});
  fail_run("the scenario returned without a verdict");
}

} // namespace hv

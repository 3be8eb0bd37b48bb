// SPDX-License-Identifier: Apache-2.0
// The boot flow every port shares (see docs/architecture.md): console, board, frames, paging, traps,
// timer, then the domains of the boot module's description, run until they have all stopped.
#include <hv/board.hpp>
#include <hv/boot_frames.hpp>
#include <hv/boot_probes.hpp>
#include <hv/boot_state.hpp>
#include <hv/command_line.hpp>
#include <hv/config.hpp>
#include <hv/console.hpp>
#include <hv/cpus.hpp>
#include <hv/domains/hypervisor.hpp>
#include <hv/domains/machine_frames.hpp>
#include <hv/stop.hpp>

#include <port.hpp>

namespace hv {
namespace {

[[noreturn]] void refuse(StrView why) { stop_machine(ExitStatus::failure, why); }

// Firmware device trees carry no size we can trust before the header is read; this bounds the check.
constexpr usize max_device_tree_bytes = 4u << 20;

// The options the command line may carry (the probes' only in an image built with them); anything else
// is refused by name, so that a misspelt option is not silently ignored.
constexpr const char* release_options[] = {"idle", "cpus"};
constexpr const char* probe_options[] = {"idle", "cpus", "bench", "lpar-selftest"};

void check_command_line(StrView line) {
  const StrView unknown = config::probes ? first_unknown_option(line, probe_options, array_size(probe_options))
                                         : first_unknown_option(line, release_options, array_size(release_options));
  if (unknown.empty()) {
    if (cpu_limit(line) != 0) return;
    print("hv: cpus= takes a number of CPUs from 1 to {}\n", max_cpus);
    refuse("a command-line option with a bad value");
  }
  print("hv: unknown option '{}' on the command line (known: idle=1, cpus=N{})\n", unknown,
        config::probes ? ", bench=1, lpar-selftest=1" : "");
  refuse("an unknown command-line option");
}

// What the machine does once every domain has stopped: end, or wait for ever as a server would.
[[noreturn]] void finish(StrView command_line, StrView why) {
  if (command_line_value(command_line, "idle", "0") == StrView("1")) {
    print("hv: idle ({}); nothing more to run\n", why);
    for (;;) port::Cpu::wait_for_interrupt();
  }
  stop_machine(ExitStatus::success, why);
}

[[noreturn]] void run_domains(BootFrames& boot_frames, const MemoryRange& module, u64 started_at) {
  static DomainDescription description;
  DescriptionError error;
  if (!read_domain_description(port::Paging::direct_map(module.base), module.size, description, error)) {
    print("hv: {}\n", error.message);
    refuse("the domain description is refused");
  }
  // Made afresh at each boot (a machine boots once; the host port's tests boot many times), in static
  // storage since nothing can be allocated before the frame allocator exists.
  alignas(FrameAllocator) static u8 frames_storage[sizeof(FrameAllocator)];
  alignas(Hypervisor) static u8 hypervisor_storage[sizeof(Hypervisor)];
  auto& frames = *new (place, frames_storage) FrameAllocator();
  if (!take_over_boot_frames(boot_frames, frames)) refuse("no room for the frame allocator's table");
  auto& hypervisor = *new (place, hypervisor_storage) Hypervisor(frames, boot_frames);
  hypervisor.set_started_at(started_at);
  const char* reason = "";
  if (!hypervisor.enable(reason)) {
    print("hv: {} cannot run domains: {}\n", port::Virtualization::name, reason);
    refuse("no hardware virtualization for the domains");
  }
  if (!hypervisor.enable_secondaries(reason))
    print("hv: the other CPUs cannot run domains ({}): they stay idle\n", reason);
  for (usize i = 0; i < description.count; ++i) {
    const DomainSpec& spec = description.domains[i];
    const char* why = "";
    if (hypervisor.build(spec, why) == nullptr) {
      print("hv: domain {} cannot be built: {}\n", spec.name, why);
      refuse("a domain could not be built");
    }
  }
  print("hv: {} domain(s) built on {}; {} MiB free\n", description.count, port::Virtualization::name,
        frames.free_frames() * FrameAllocator::frame_size >> 20);
  const char* why = hypervisor.run(description.run_ms);
  hypervisor.report();
  finish(port::Machine::command_line(), why);
}

} // namespace

void boot_main() {
  // The banner comes before any other function of the port is called, so that a new port's first boot
  // shows it even when nothing else is written yet.
  port::Console::init();
  print("\nhv: {} hypervisor starting\n", port::Cpu::name);
  // The boot figure therefore includes the banner's output: thousands of instructions of millions.
  const u64 started_at = config::probes ? port::Cpu::cycles() : 0;
  const char* unsupported = "";
  if (!port::Cpu::supported(unsupported)) {
    print("hv: this CPU is not supported: {}\n", unsupported);
    refuse("a CPU the port does not run on");
  }

  const void* blob = port::Machine::device_tree();
  Board board;
  BoardError error;
  if (!read_board(blob, max_device_tree_bytes, board, error)) {
    print("hv: {}\n", error.message);
    refuse("the board's device tree is refused");
  }
  print("board: {} ({}), {} CPU(s), {} MiB of RAM\n", board.model, board.compatible, board.cpu_count,
        board.total_memory() >> 20);
  for (usize i = 0; i < board.memory_count; ++i)
    print("memory: {:#014x}-{:#014x} ({} KiB)\n", board.memory[i].base, board.memory[i].end() - 1,
          board.memory[i].size >> 10);

  const StrView command_line(port::Machine::command_line());
  check_command_line(command_line);
  const MemoryRange module = port::Machine::boot_module();
  if (module.size != 0) print("boot module: {:#x}-{:#x} ({} bytes)\n", module.base, module.end() - 1, module.size);
  const MemoryRange extra[] = {port::Machine::image_range(),
                               MemoryRange{reinterpret_cast<uptr>(blob), align_up(device_tree_size(blob), 4096)},
                               module};
  BootFrames frames(board, extra, array_size(extra));
  if (!port::Paging::init(frames)) refuse("paging: out of memory building the hypervisor's tables");
  if constexpr (config::probes) prove_paging(frames);

  port::Traps::init();
  if constexpr (config::probes) prove_traps();
  if (!port::Timer::init()) refuse("timer: the port found no usable timer");
  if constexpr (config::probes) prove_timer();
  // Before the frame allocator takes over, so that the CPUs' stacks are the hypervisor's from the start.
  start_cpus(frames, cpu_limit(command_line));

  if (module.size == 0) finish(command_line, "no domain description was handed over");
  run_domains(frames, module, started_at);
}

} // namespace hv

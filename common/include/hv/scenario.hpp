// What a run does once the machine is up, chosen by "scenario=NAME" on the command line. Each scenario
// ends the run itself with a verdict (hv/verdict.hpp); the table is in common/boot/scenarios.cpp.
//
// Scenarios are common code. One that needs an optional part of the port contract (a hardware
// virtualization backend, say) is still listed on every port, and fails by name where the port lacks it,
// so that the boot matrix, not the build, says what each port can do.
#pragma once

#include <hv/boot_frames.hpp>
#include <hv/string.hpp>

namespace hv {

/// What boot_main hands a scenario: the boot frame source (all RAM the hypervisor did not take) and the
/// command line, for the scenario's own options.
struct ScenarioContext {
  BootFrames& frames;
  StrView command_line;
  u64 started_at = 0; ///< Cpu::cycles() when the hypervisor's common code began, for boot figures
};

struct Scenario {
  StrView name;
  /// Runs the scenario and ends the run with a verdict; never returns.
  void (*run)(const ScenarioContext& context);
};

/// The scenario called `name`, or null.
const Scenario* find_scenario(StrView name);

// The scenarios, each in its own file.
[[noreturn]] void scenario_guest_hello(const ScenarioContext& context);
[[noreturn]] void scenario_domains(const ScenarioContext& context);

} // namespace hv

// The scenarios a run can be asked for. tests/boot/ports.toml says which ports are expected to pass each.
#include <hv/scenario.hpp>
#include <hv/verdict.hpp>

namespace hv {
namespace {

// Everything "boot" proves happens before any scenario runs (boot_main's self-tests).
[[noreturn]] void scenario_boot(const ScenarioContext&) { pass_run("boot"); }

constexpr Scenario scenarios[] = {
    {"boot", scenario_boot},
    {"guest-hello", scenario_guest_hello},
    {"domains", scenario_domains},
};

} // namespace

const Scenario* find_scenario(StrView name) {
  for (const Scenario& s : scenarios)
    if (s.name == name) return &s;
  return nullptr;
}

} // namespace hv

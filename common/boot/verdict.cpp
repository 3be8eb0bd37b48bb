#include <hv/console.hpp>
#include <hv/verdict.hpp>

#include <port.hpp>

namespace hv {

void pass_run(StrView scenario) {
  print("HV-VERDICT: PASS {}\n", scenario);
  port::Machine::exit(ExitStatus::success);
  port::Cpu::halt_forever();
  __builtin_unreachable();
}

void fail_run(StrView reason) {
  print("HV-VERDICT: FAIL {}\n", reason);
  port::Machine::exit(ExitStatus::failure);
  port::Cpu::halt_forever();
  __builtin_unreachable();
}

} // namespace hv

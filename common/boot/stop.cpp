// SPDX-License-Identifier: Apache-2.0
#include <hv/console.hpp>
#include <hv/stop.hpp>

#include <port.hpp>

namespace hv {

void stop_machine(ExitStatus status, StrView why) {
  print("hv: machine stops ({}), status {}\n", why, status == ExitStatus::success ? "success" : "failure");
  port::Machine::exit(status);
  port::Cpu::halt_forever();
  __builtin_unreachable();
}

} // namespace hv

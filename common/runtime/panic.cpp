// SPDX-License-Identifier: Apache-2.0
#include <hv/console.hpp>
#include <hv/panic.hpp>
#include <hv/stop.hpp>

#include <port.hpp>

namespace hv {

void vpanic(const char* file, u32 line, const char* format, const FormatArg* args, usize count) {
  port::Cpu::interrupts_disable();
  print("\nhv: PANIC at {}:{}: ", file, line);
  vformat(console_sink(), format, args, count);
  print("\n");
  stop_machine(ExitStatus::failure, "panic");
}

void check_failed(const char* file, u32 line, const char* what) {
  const FormatArg arg = format_detail::make_arg(what);
  vpanic(file, line, "check failed: {}", &arg, 1);
}

} // namespace hv

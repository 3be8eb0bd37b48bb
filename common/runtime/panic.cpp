// SPDX-License-Identifier: Apache-2.0
#include <hv/console.hpp>
#include <hv/panic.hpp>
#include <hv/stop.hpp>

#include <port.hpp>

namespace hv {

void vpanic(const char* file, u32 line, const char* format, const FormatArg* args, usize count) {
  port::Cpu::interrupts_disable();
  // One line, whole: two CPUs that panic at once would otherwise interleave their messages letter by
  // letter. Let go of before the stop, so that another CPU's panic is printed too.
  console_begin();
  print("\nhv: PANIC at {}:{}: ", file, line);
  vformat(console_sink(), format, args, count);
  print("\n");
  console_end();
  stop_machine(ExitStatus::failure, "panic");
}

void check_failed(const char* file, u32 line, const char* what) {
  const FormatArg arg = format_detail::make_arg(what);
  vpanic(file, line, "check failed: {}", &arg, 1);
}

} // namespace hv

#include <hv/console.hpp>
#include <hv/panic.hpp>
#include <hv/verdict.hpp>

#include <port.hpp>

namespace hv {

void vpanic(const char* file, u32 line, const char* format, const FormatArg* args, usize count) {
  port::Cpu::interrupts_disable();
  print("\nhv: PANIC at {}:{}: ", file, line);
  vformat(console_sink(), format, args, count);
  print("\n");
  fail_run("panic");
}

} // namespace hv

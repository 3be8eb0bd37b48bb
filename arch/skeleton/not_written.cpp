// SPDX-License-Identifier: Apache-2.0
// See include/skeleton/not_written.hpp.
#include <hv/string.hpp>

#include <port.hpp>
#include <skeleton/not_written.hpp>

namespace hv::skeleton {

void not_written(const char* function) {
  static bool stopping = false;
  if (!stopping) {
    stopping = true;
    constexpr char prefix[] = "hv: skeleton port: not written yet: ";
    port::Console::write(prefix, sizeof prefix - 1);
    port::Console::write(function, strlen(function));
    port::Console::write("\n", 1);
    port::Machine::exit(ExitStatus::failure); // until Step 2 this is not written either: it spins below
  }
  for (;;) asm volatile("" : : : "memory");
}

} // namespace hv::skeleton

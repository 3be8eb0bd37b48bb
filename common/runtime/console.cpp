// SPDX-License-Identifier: Apache-2.0
#include <hv/console.hpp>

#include <port.hpp>

namespace hv {

void console_write(const char* text, usize length) { port::Console::write(text, length); }

} // namespace hv

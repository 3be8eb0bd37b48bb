// SPDX-License-Identifier: Apache-2.0
// The hypervisor's console: formatted output to the port's early console.
//
// Output is not buffered, so that the last line before a hang or a crash is always visible. Callers may
// print from any context, including trap handlers. Each print() is whole on the console: CPUs take turns
// (a lock the same CPU may take again, so that a panic inside a print still prints).
#pragma once

#include <hv/format.hpp>

namespace hv {

/// Writes raw text to the port's console (see contract/console.hpp).
void console_write(const char* text, usize length);
/// Around one print: other CPUs' prints wait until console_end. Nests on the same CPU.
void console_begin();
void console_end();

inline Sink console_sink() {
  return Sink{[](void*, const char* text, usize length) { console_write(text, length); }, nullptr};
}

template <class... Args> void print(FormatString<type_identity_t<Args>...> fmt, const Args&... args) {
  const FormatArg list[] = {format_detail::make_arg(args)..., FormatArg{}};
  console_begin();
  vformat(console_sink(), fmt.text, list, sizeof...(Args));
  console_end();
}

} // namespace hv

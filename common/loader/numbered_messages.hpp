// SPDX-License-Identifier: Apache-2.0
// Static error messages that carry a number ("ELF: segment 2 runs past the end of the file"), built at
// compile time. The loader's interface hands back a `const char*` that must stay valid forever and be
// safe when several CPUs fail at once, so the number cannot be formatted into a shared buffer at run time;
// a table of every message it can be is a few hundred bytes per kind.
#pragma once

#include <hv/types.hpp>

namespace hv::loader_detail {

template <usize Count, usize Length> struct NumberedMessages {
  char text[Count + 1][Length] = {};

  /// The message for `number`; numbers from Count on share the last entry, "... <Count> or later ...".
  constexpr const char* operator[](usize number) const { return text[number < Count ? number : Count]; }
};

consteval usize decimal_length(usize n) {
  usize digits = 1;
  while (n >= 10) {
    n /= 10;
    ++digits;
  }
  return digits;
}

/// before + number + after, for every number below Count, then before + "<Count> or later" + after.
template <usize Count, usize B, usize A>
consteval NumberedMessages<Count, B + A + decimal_length(Count) + 9> numbered(const char (&before)[B],
                                                                              const char (&after)[A]) {
  NumberedMessages<Count, B + A + decimal_length(Count) + 9> table;
  for (usize n = 0; n <= Count; ++n) {
    char* out = table.text[n];
    for (usize i = 0; i + 1 < B; ++i) *out++ = before[i];
    const usize digits = decimal_length(n);
    for (usize i = 0, rest = n; i < digits; ++i, rest /= 10) out[digits - 1 - i] = static_cast<char>('0' + rest % 10);
    out += digits;
    if (n == Count)
      for (const char* s = " or later"; *s != '\0'; ++s) *out++ = *s;
    for (usize i = 0; i + 1 < A; ++i) *out++ = after[i];
    *out = '\0';
  }
  return table;
}

} // namespace hv::loader_detail

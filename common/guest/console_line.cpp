// SPDX-License-Identifier: Apache-2.0
#include <hv/console.hpp>
#include <hv/guest/console_line.hpp>

namespace hv {

void ConsoleLine::put(char c) {
  if (c == '\n') {
    flush();
    return;
  }
  if (c == '\r') return; // a terminal's line ending; the newline alone ends the line
  const bool printable = (c >= ' ' && c != 0x7f) || c == '\t';
  text_[length_++] = printable ? c : '?';
  if (length_ == capacity) flush();
}

void ConsoleLine::flush() {
  if (length_ == 0) return;
  print("(d{}) {}\n", domain_, StrView(text_, length_));
  length_ = 0;
}

} // namespace hv

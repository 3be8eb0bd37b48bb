// SPDX-License-Identifier: Apache-2.0
// A guest's console output, gathered into lines and printed on the hypervisor's console with the
// domain's name in front ("(d1) hello"), so that guests' lines and the hypervisor's never mix mid-line.
#pragma once

#include <hv/types.hpp>

namespace hv {

class ConsoleLine {
public:
  explicit ConsoleLine(u32 domain) : domain_(domain) {}
  ConsoleLine(const ConsoleLine&) = delete;
  ConsoleLine& operator=(const ConsoleLine&) = delete;

  /// The domain whose lines these are (its ID is known only once the domain table gave it one).
  void set_domain(u32 domain) { domain_ = domain; }

  /// Adds one character; a newline (or a full line) prints the line. Control characters other than
  /// newline and tab are shown as '?': a guest cannot drive the hypervisor's terminal.
  void put(char c);
  /// Prints what is pending as a line of its own, if anything.
  void flush();

private:
  static constexpr usize capacity = 160;
  u32 domain_;
  usize length_ = 0;
  char text_[capacity] = {};
};

} // namespace hv

// SPDX-License-Identifier: Apache-2.0
// Port contract: the early console.
//
// The first thing a port brings up, and the only one the porter needs before anything else can speak:
// every other missing piece of a new port reports itself by name through this console.
#pragma once

#include <contract/types.hpp>

namespace hv::port {

struct Console {
  /// Called once by common code, first thing in hv::boot_main, before any output. Must not fail: a port
  /// that cannot reach its console has no way to say so. May be a no-op (firmware consoles).
  static void init();
  /// Writes `length` bytes, blocking until the device took them. Called from any context, including trap
  /// handlers and panic, with interrupts on or off; must not allocate or take locks that a trap may hold.
  /// '\n' is written as is: a port whose device needs "\r\n" adds the '\r'.
  static void write(const char* text, usize length);
};

} // namespace hv::port

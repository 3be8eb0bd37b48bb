// SPDX-License-Identifier: Apache-2.0
// Stopping the hypervisor on a broken invariant, with the file and line of the caller.
//
//   hv::panic("frame {:#x} freed twice", pa);
//   hv::check(table != nullptr, "page table present");
//
// A panic prints one line, "hv: PANIC at <file>:<line>: <message>", then stops the machine with the failure status,
// and ends the run through the port's Machine::exit(ExitStatus::failure). It never returns. Use it only
// for the hypervisor's own bugs: a guest's bad input is an error code to the guest, never a panic.
#pragma once

#include <hv/format.hpp>

namespace hv {

[[noreturn]] void vpanic(const char* file, u32 line, const char* format, const FormatArg* args, usize count);

template <class... Args> [[noreturn]] void panic(LocatedFormat<type_identity_t<Args>...> fmt, const Args&... args) {
  const FormatArg list[] = {format_detail::make_arg(args)..., FormatArg{}};
  vpanic(fmt.file, fmt.line, fmt.text, list, sizeof...(Args));
}

struct CheckSite {
  const char* file;
  u32 line;
  consteval CheckSite(const char* f = __builtin_FILE(), unsigned l = __builtin_LINE()) : file(f), line(l) {} // NOLINT
};

/// check's failure: out of line and cold, so that a check on a hot path costs its comparison and branch
/// alone (inline, the compiler built the message's argument before the branch).
[[noreturn, gnu::cold, gnu::noinline]] void check_failed(const char* file, u32 line, const char* what);

/// Panics with "check failed: <what>" when `condition` is false.
inline void check(bool condition, const char* what, CheckSite site = CheckSite()) {
  if (!condition) [[unlikely]]
    check_failed(site.file, site.line, what);
}

} // namespace hv

// Stopping the hypervisor on a broken invariant, with the file and line of the caller.
//
//   hv::panic("frame {:#x} freed twice", pa);
//   hv::check(table != nullptr, "page table present");
//
// A panic prints one line, "hv: PANIC at <file>:<line>: <message>", followed by the failure verdict,
// and ends the run through the port's Machine::exit(ExitStatus::failure). It never returns. Use it only
// for the hypervisor's own bugs: a guest's bad input is an error code to the guest, never a panic.
#pragma once

#include <hv/format.hpp>

namespace hv {

[[noreturn]] void vpanic(const char* file, u32 line, const char* format, const FormatArg* args, usize count);

template <class... Args>
[[noreturn]] void panic(LocatedFormat<type_identity_t<Args>...> fmt, const Args&... args) {
  const FormatArg list[] = {format_detail::make_arg(args)..., FormatArg{}};
  vpanic(fmt.file, fmt.line, fmt.text, list, sizeof...(Args));
}

struct CheckSite {
  const char* file;
  u32 line;
  consteval CheckSite(const char* f = __builtin_FILE(), unsigned l = __builtin_LINE()) : file(f), line(l) {} // NOLINT
};

/// Panics with "check failed: <what>" when `condition` is false.
inline void check(bool condition, const char* what, CheckSite site = CheckSite()) {
  if (!condition) [[unlikely]] {
    const FormatArg arg = format_detail::make_arg(what);
    vpanic(site.file, site.line, "check failed: {}", &arg, 1);
  }
}

} // namespace hv

// SPDX-License-Identifier: Apache-2.0
// Type-safe formatted output for freestanding code, in the style of std::format:
//   hv::format_to(buf, "{} ranges, first at {:#x}", n, base);
// The format string is checked at compile time against the argument types: a wrong count of
// placeholders, an unknown spec or a spec that does not fit its argument is a compile error whose
// message names the mistake (the name of a function that cannot be called at compile time).
//
// Specs: {} {:x} {:X} {:#x} {:b} {:d} {:c} {:s} {:p}, with optional fill '0' and width: {:08x} {:#018x}
// and right-aligned width for anything: {:6}. Left-aligned: {:<6}. '{{' and '}}' print braces.
#pragma once

#include <hv/string.hpp>
#include <hv/types.hpp>

namespace hv {

/// Where formatted text goes: a function and its context. Never fails; a full buffer truncates.
struct Sink {
  void (*write)(void* context, const char* text, usize length);
  void* context;
};

enum class ArgKind : u8 { signed_int, unsigned_int, boolean, character, string, pointer };

struct FormatArg {
  ArgKind kind;
  union {
    i64 s;
    u64 u;
    const char* str;
    const void* ptr;
  };
  usize length; // for strings
};

namespace format_detail {

template <class T> struct Classify;
template <signed_integral T> struct Classify<T> {
  static constexpr ArgKind kind = ArgKind::signed_int;
};
template <unsigned_integral T> struct Classify<T> {
  static constexpr ArgKind kind = ArgKind::unsigned_int;
};
template <> struct Classify<bool> {
  static constexpr ArgKind kind = ArgKind::boolean;
};
template <> struct Classify<char> {
  static constexpr ArgKind kind = ArgKind::character;
};
template <> struct Classify<const char*> {
  static constexpr ArgKind kind = ArgKind::string;
};
template <> struct Classify<char*> {
  static constexpr ArgKind kind = ArgKind::string;
};
template <usize N> struct Classify<char[N]> {
  static constexpr ArgKind kind = ArgKind::string;
};
template <> struct Classify<StrView> {
  static constexpr ArgKind kind = ArgKind::string;
};
template <class T> struct Classify<T*> {
  static constexpr ArgKind kind = ArgKind::pointer;
};
template <enumeration T> struct Classify<T> {
  // constexpr, so constant-initialized: clang-tidy 19 misreads the value-dependent initializer (llvm-project#145680).
  // NOLINTNEXTLINE(bugprone-dynamic-static-initializers)
  static constexpr ArgKind kind = static_cast<T>(-1) < static_cast<T>(0) ? ArgKind::signed_int : ArgKind::unsigned_int;
};

template <class T>
concept formattable = requires { Classify<remove_cvref_t<T>>::kind; };

// Each of these is deliberately not constexpr: reaching one during the compile-time check makes the
// compiler report its name, which says what is wrong with the format string.
void error_more_placeholders_than_arguments();
void error_more_arguments_than_placeholders();
void error_unterminated_placeholder();
void error_unmatched_closing_brace();
void error_unknown_format_spec();
void error_spec_does_not_fit_argument_type();

struct Spec {
  char fill = ' ';
  bool alternate = false;
  bool left = false;
  u8 width = 0;
  char type = 0; // 0, 'd', 'x', 'X', 'b', 'c', 's', 'p'
};

/// Parses the text between ':' and '}'. Returns false on an unknown spec.
constexpr bool parse_spec(const char* s, usize n, Spec& out) {
  usize i = 0;
  if (i < n && s[i] == '<') {
    out.left = true;
    ++i;
  }
  if (i < n && s[i] == '#') {
    out.alternate = true;
    ++i;
  }
  if (i < n && s[i] == '0') {
    out.fill = '0';
    ++i;
  }
  unsigned width = 0;
  while (i < n && s[i] >= '0' && s[i] <= '9') {
    width = width * 10 + static_cast<unsigned>(s[i] - '0');
    if (width > 64) return false;
    ++i;
  }
  out.width = static_cast<u8>(width);
  if (i < n) {
    char t = s[i++];
    if (t != 'd' && t != 'x' && t != 'X' && t != 'b' && t != 'c' && t != 's' && t != 'p') return false;
    out.type = t;
  }
  return i == n;
}

constexpr bool spec_fits(char type, ArgKind kind) {
  switch (type) {
  case 0: return true;
  case 'd':
  case 'x':
  case 'X':
  case 'b':
    return kind == ArgKind::signed_int || kind == ArgKind::unsigned_int || kind == ArgKind::pointer ||
           kind == ArgKind::character || kind == ArgKind::boolean;
  case 'c': return kind == ArgKind::character || kind == ArgKind::unsigned_int || kind == ArgKind::signed_int;
  case 's': return kind == ArgKind::string || kind == ArgKind::boolean;
  case 'p': return kind == ArgKind::pointer;
  default: return false;
  }
}

template <class... Args> consteval void check_format(const char* s) {
  constexpr ArgKind kinds[] = {Classify<remove_cvref_t<Args>>::kind..., ArgKind::boolean};
  usize next = 0;
  for (usize i = 0; s[i] != '\0'; ++i) {
    if (s[i] == '}') {
      if (s[i + 1] == '}') {
        ++i;
        continue;
      }
      error_unmatched_closing_brace();
    }
    if (s[i] != '{') continue;
    if (s[i + 1] == '{') {
      ++i;
      continue;
    }
    usize end = i + 1;
    while (s[end] != '\0' && s[end] != '}') ++end;
    if (s[end] == '\0') error_unterminated_placeholder();
    Spec spec;
    if (end > i + 1) {
      if (s[i + 1] != ':' || !parse_spec(s + i + 2, end - i - 2, spec)) error_unknown_format_spec();
    }
    if (next >= sizeof...(Args)) error_more_placeholders_than_arguments();
    if (!spec_fits(spec.type, kinds[next])) error_spec_does_not_fit_argument_type();
    ++next;
    i = end;
  }
  if (next != sizeof...(Args)) error_more_arguments_than_placeholders();
}

template <class T> FormatArg make_arg(const T& value) {
  FormatArg a{};
  a.kind = Classify<remove_cvref_t<T>>::kind;
  using U = remove_cvref_t<T>;
  if constexpr (is_same_v<U, StrView>) {
    a.str = value.data();
    a.length = value.size();
  } else if constexpr (Classify<U>::kind == ArgKind::string) {
    // Through a pointer: for a char array argument, GCC warns that the array compared to null
    // (-Wnonnull-compare) is never null.
    const char* text = value;
    a.str = text;
    a.length = text != nullptr ? strlen(text) : 0;
  } else if constexpr (Classify<U>::kind == ArgKind::pointer) {
    a.ptr = value;
  } else if constexpr (Classify<U>::kind == ArgKind::signed_int) {
    a.s = static_cast<i64>(value);
  } else {
    a.u = static_cast<u64>(value);
  }
  return a;
}

} // namespace format_detail

/// A format string whose placeholders were checked against Args at compile time.
template <class... Args> struct FormatString {
  const char* text;
  consteval FormatString(const char* s) : text(s) {
    format_detail::check_format<Args...>(s);
  } // NOLINT: implicit by design
};

/// A checked format string that also carries the caller's file and line (used by panic and check).
template <class... Args> struct LocatedFormat {
  const char* text;
  const char* file;
  u32 line;
  consteval LocatedFormat(const char* s, const char* f = __builtin_FILE(), unsigned l = __builtin_LINE()) // NOLINT
      : text(s), file(f), line(l) {
    format_detail::check_format<Args...>(s);
  }
};

/// Formats `args` into `sink` according to `format` (already checked). The runtime half of format.
void vformat(Sink sink, const char* format, const FormatArg* args, usize count);

template <class... Args> void format(Sink sink, FormatString<type_identity_t<Args>...> fmt, const Args&... args) {
  const FormatArg list[] = {format_detail::make_arg(args)..., FormatArg{}};
  vformat(sink, fmt.text, list, sizeof...(Args));
}

/// Formats into `buffer`, always NUL-terminating it (when size > 0). Returns the length the full text
/// would have had, so a caller can detect truncation as `result >= size`.
usize vformat_to(char* buffer, usize size, const char* format, const FormatArg* args, usize count);

template <class... Args>
usize format_to(char* buffer, usize size, FormatString<type_identity_t<Args>...> fmt, const Args&... args) {
  const FormatArg list[] = {format_detail::make_arg(args)..., FormatArg{}};
  return vformat_to(buffer, size, fmt.text, list, sizeof...(Args));
}

template <usize N, class... Args>
usize format_to(char (&buffer)[N], FormatString<type_identity_t<Args>...> fmt, const Args&... args) {
  const FormatArg list[] = {format_detail::make_arg(args)..., FormatArg{}};
  return vformat_to(buffer, N, fmt.text, list, sizeof...(Args));
}

} // namespace hv

// SPDX-License-Identifier: Apache-2.0
// The runtime half of hv::format: walks a format string that was already checked at compile time.
#include <hv/format.hpp>

namespace hv {
namespace {

class Writer {
public:
  explicit Writer(Sink sink) : sink_(sink) {}

  void text(const char* s, usize n) {
    if (n != 0) sink_.write(sink_.context, s, n);
  }
  void repeat(char c, usize n) {
    char chunk[16];
    for (char& x : chunk) x = c;
    while (n > 0) {
      usize k = n < sizeof chunk ? n : sizeof chunk;
      text(chunk, k);
      n -= k;
    }
  }
  /// Writes `s` padded to the spec's width.
  void padded(const char* s, usize n, const format_detail::Spec& spec, bool numeric_prefix_len = false,
              usize prefix = 0) {
    usize pad = spec.width > n ? spec.width - n : 0;
    if (spec.left) {
      text(s, n);
      repeat(' ', pad);
    } else if (spec.fill == '0' && numeric_prefix_len) {
      // Zero fill goes between the sign or "0x" and the digits.
      text(s, prefix);
      repeat('0', pad);
      text(s + prefix, n - prefix);
    } else {
      repeat(spec.fill == '0' ? ' ' : spec.fill, pad);
      text(s, n);
    }
  }

private:
  Sink sink_;
};

void write_integer(Writer& w, u64 magnitude, bool negative, const format_detail::Spec& spec) {
  unsigned base = 10;
  const char* digits = "0123456789abcdef";
  const char* prefix = "";
  switch (spec.type) {
  case 'x':
    base = 16;
    prefix = "0x";
    break;
  case 'X':
    base = 16;
    digits = "0123456789ABCDEF";
    prefix = "0x";
    break;
  case 'b':
    base = 2;
    prefix = "0b";
    break;
  case 'p':
    base = 16;
    prefix = "0x";
    break;
  default: break;
  }
  char buf[72];
  usize pos = sizeof buf;
  do {
    buf[--pos] = digits[magnitude % base];
    magnitude /= base;
  } while (magnitude != 0);
  usize prefix_len = 0;
  if (spec.alternate || spec.type == 'p') {
    for (usize i = strlen(prefix); i > 0; --i) buf[--pos] = prefix[i - 1];
    prefix_len = strlen(prefix);
  }
  if (negative) {
    buf[--pos] = '-';
    ++prefix_len;
  }
  w.padded(buf + pos, sizeof buf - pos, spec, true, prefix_len);
}

void write_arg(Writer& w, const FormatArg& a, const format_detail::Spec& spec) {
  switch (a.kind) {
  case ArgKind::signed_int: {
    bool negative = a.s < 0 && (spec.type == 0 || spec.type == 'd');
    u64 magnitude = negative ? 0 - static_cast<u64>(a.s) : static_cast<u64>(a.s);
    if (spec.type == 'c') {
      char c = static_cast<char>(a.s);
      w.padded(&c, 1, spec);
      return;
    }
    write_integer(w, magnitude, negative, spec);
    return;
  }
  case ArgKind::unsigned_int:
    if (spec.type == 'c') {
      char c = static_cast<char>(a.u);
      w.padded(&c, 1, spec);
      return;
    }
    write_integer(w, a.u, false, spec);
    return;
  case ArgKind::boolean:
    if (spec.type == 0 || spec.type == 's') {
      if (a.u != 0)
        w.padded("true", 4, spec);
      else
        w.padded("false", 5, spec);
    } else {
      write_integer(w, a.u, false, spec);
    }
    return;
  case ArgKind::character: {
    if (spec.type == 0 || spec.type == 'c') {
      char c = static_cast<char>(a.u);
      w.padded(&c, 1, spec);
      return;
    }
    write_integer(w, a.u & 0xff, false, spec);
    return;
  }
  case ArgKind::string:
    if (a.str == nullptr)
      w.padded("(null)", 6, spec);
    else
      w.padded(a.str, a.length, spec);
    return;
  case ArgKind::pointer: {
    format_detail::Spec s = spec;
    if (s.type == 0) s.type = 'p';
    write_integer(w, static_cast<u64>(reinterpret_cast<uptr>(a.ptr)), false, s);
    return;
  }
  }
}

} // namespace

void vformat(Sink sink, const char* format, const FormatArg* args, usize count) {
  Writer w(sink);
  usize next = 0;
  const char* run = format;
  const char* p = format;
  while (*p != '\0') {
    if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
      w.text(run, static_cast<usize>(p - run) + 1);
      p += 2;
      run = p;
      continue;
    }
    if (*p != '{') {
      ++p;
      continue;
    }
    w.text(run, static_cast<usize>(p - run));
    const char* end = p + 1;
    while (*end != '\0' && *end != '}') ++end;
    format_detail::Spec spec;
    if (end > p + 1 && p[1] == ':') format_detail::parse_spec(p + 2, static_cast<usize>(end - p - 2), spec);
    if (next < count) write_arg(w, args[next++], spec);
    p = *end == '}' ? end + 1 : end;
    run = p;
  }
  w.text(run, static_cast<usize>(p - run));
}

usize vformat_to(char* buffer, usize size, const char* format, const FormatArg* args, usize count) {
  struct Buffer {
    char* data;
    usize capacity; // excluding the terminator
    usize length;   // of the full text, even past capacity
  } b{buffer, size > 0 ? size - 1 : 0, 0};
  Sink sink{[](void* ctx, const char* text, usize n) {
              auto* out = static_cast<Buffer*>(ctx);
              for (usize i = 0; i < n; ++i, ++out->length)
                if (out->length < out->capacity) out->data[out->length] = text[i];
            },
            &b};
  vformat(sink, format, args, count);
  if (size > 0) buffer[b.length < b.capacity ? b.length : b.capacity] = '\0';
  return b.length;
}

} // namespace hv

// SPDX-License-Identifier: Apache-2.0
// The implementations behind the bare-metal memcpy, memset, strlen... (common/runtime/string.cpp),
// under their own names so that the host's unit tests can test them beside the C library's.
// Byte loops: the hypervisor copies little data, and a simple loop is right on every alignment and
// byte order.
#pragma once

#include <hv/types.hpp>

namespace hv::rt {

inline void* copy(void* dst, const void* src, usize n) {
  auto* d = static_cast<unsigned char*>(dst);
  const auto* s = static_cast<const unsigned char*>(src);
  while (n-- != 0) *d++ = *s++;
  return dst;
}

inline void* move(void* dst, const void* src, usize n) {
  auto* d = static_cast<unsigned char*>(dst);
  const auto* s = static_cast<const unsigned char*>(src);
  if (d == s || n == 0) return dst;
  if (reinterpret_cast<uptr>(d) - reinterpret_cast<uptr>(s) >= n) { // no overlap ahead of src: copy forward
    while (n-- != 0) *d++ = *s++;
  } else {
    d += n;
    s += n;
    while (n-- != 0) *--d = *--s;
  }
  return dst;
}

inline void* fill(void* dst, int value, usize n) {
  auto* d = static_cast<unsigned char*>(dst);
  const auto byte = static_cast<unsigned char>(value);
  // Whole words where the destination is aligned: zeroing a frame is 512 stores, not 4096 (frames are
  // zeroed for every guest page, so this is most of a domain's build time).
  while (n != 0 && reinterpret_cast<uptr>(d) % sizeof(u64) != 0) *d++ = byte, --n;
  const u64 word = byte * 0x0101'0101'0101'0101ull;
  for (; n >= sizeof(u64); n -= sizeof(u64), d += sizeof(u64)) __builtin_memcpy(d, &word, sizeof word);
  while (n-- != 0) *d++ = byte;
  return dst;
}

inline int compare(const void* a, const void* b, usize n) {
  const auto* x = static_cast<const unsigned char*>(a);
  const auto* y = static_cast<const unsigned char*>(b);
  for (usize i = 0; i < n; ++i)
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

inline const void* find_byte(const void* s, int c, usize n) {
  const auto* p = static_cast<const unsigned char*>(s);
  for (usize i = 0; i < n; ++i)
    if (p[i] == static_cast<unsigned char>(c)) return p + i;
  return nullptr;
}

inline usize length(const char* s, usize max = static_cast<usize>(-1)) {
  usize n = 0;
  while (n < max && s[n] != '\0') ++n;
  return n;
}

inline int compare_strings(const char* a, const char* b, usize n = static_cast<usize>(-1)) {
  for (; n != 0; --n, ++a, ++b) {
    if (*a != *b) return static_cast<unsigned char>(*a) < static_cast<unsigned char>(*b) ? -1 : 1;
    if (*a == '\0') return 0;
  }
  return 0;
}

inline const char* find_char(const char* s, int c) {
  for (;; ++s) {
    if (*s == static_cast<char>(c)) return s;
    if (*s == '\0') return nullptr;
  }
}

inline const char* find_last_char(const char* s, int c) {
  const char* last = nullptr;
  for (;; ++s) {
    if (*s == static_cast<char>(c)) last = s;
    if (*s == '\0') return last;
  }
}

} // namespace hv::rt

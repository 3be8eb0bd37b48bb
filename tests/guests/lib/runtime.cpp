// SPDX-License-Identifier: Apache-2.0
// What the compiler may call even in freestanding code (structure copies and clears).
#include "guest.hpp"

extern "C" {
void* memset(void* dst, int value, guest::usize n) {
  auto* d = static_cast<volatile guest::u8*>(dst);
  for (guest::usize i = 0; i < n; ++i) d[i] = static_cast<guest::u8>(value);
  return dst;
}
void* memcpy(void* dst, const void* src, guest::usize n) {
  auto* d = static_cast<volatile guest::u8*>(dst);
  const auto* s = static_cast<const guest::u8*>(src);
  for (guest::usize i = 0; i < n; ++i) d[i] = s[i];
  return dst;
}
}

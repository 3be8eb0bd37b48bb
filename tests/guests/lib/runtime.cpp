// SPDX-License-Identifier: Apache-2.0
// What the compiler may call even in freestanding code (structure copies and clears, and a 32-bit guest's
// 64-bit division).
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

// A 32-bit guest divides 64-bit numbers through these (the figures' rates and averages); by shift and
// subtract, which is slow and rare.
guest::u64 __udivmoddi4(guest::u64 n, guest::u64 d, guest::u64* remainder) {
  guest::u64 q = 0, r = 0;
  for (int bit = 63; bit >= 0; --bit) {
    r = r << 1 | (n >> bit & 1);
    if (d != 0 && r >= d) {
      r -= d;
      q |= guest::u64{1} << bit;
    }
  }
  if (remainder != nullptr) *remainder = r;
  return q;
}
guest::u64 __udivdi3(guest::u64 n, guest::u64 d) { return __udivmoddi4(n, d, nullptr); }
guest::u64 __umoddi3(guest::u64 n, guest::u64 d) {
  guest::u64 r = 0;
  (void)__udivmoddi4(n, d, &r);
  return r;
}
}

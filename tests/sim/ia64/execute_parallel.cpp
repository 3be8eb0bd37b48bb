// SPDX-License-Identifier: Apache-2.0
// The parallel (multimedia) integer instructions that compiled code uses, element by element in a
// general register (volume 3, chapter 2: padd, psub, pcmp, pmpy, pmpyshr, pshl, pshr, mix, unpack,
// mux1 @rev and @brcst, mux2;
// volume 1, section 4.6 "Multimedia Support").
#include "core.hpp"

namespace ia64sim {
namespace {

using u64 = std::uint64_t;
using i64 = std::int64_t;

// Element `i` of `bytes` bytes in `v`, unsigned or sign-extended.
u64 element(u64 v, unsigned bytes, unsigned i) {
  return bytes == 8 ? v : (v >> (8 * bytes * i)) & ((u64{1} << (8 * bytes)) - 1);
}
i64 signed_element(u64 v, unsigned bytes, unsigned i) {
  const u64 e = element(v, bytes, i), sign = u64{1} << (8 * bytes - 1);
  return static_cast<i64>((e ^ sign) - sign);
}
u64 place(u64 e, unsigned bytes, unsigned i) { return (e & ((u64{1} << (8 * bytes)) - 1)) << (8 * bytes * i); }

i64 clamp(i64 v, i64 low, i64 high) { return v < low ? low : v > high ? high : v; }

// padd and psub: modular, or saturating with both operands signed (sss), unsigned (uuu), or the first
// unsigned and the second signed with an unsigned result (uus).
u64 add_elements(const std::string& m, u64 a, u64 b, unsigned bytes, bool subtract) {
  const unsigned n = 8 / bytes;
  const i64 smax = (i64{1} << (8 * bytes - 1)) - 1, smin = -smax - 1, umax = (i64{1} << (8 * bytes)) - 1;
  u64 r = 0;
  for (unsigned i = 0; i < n; ++i) {
    const bool second_signed = has(m, "sss") || has(m, "uus");
    const i64 x = has(m, "sss") ? signed_element(a, bytes, i) : static_cast<i64>(element(a, bytes, i));
    const i64 y = second_signed ? signed_element(b, bytes, i) : static_cast<i64>(element(b, bytes, i));
    i64 v = subtract ? x - y : x + y;
    if (has(m, "sss"))
      v = clamp(v, smin, smax);
    else if (has(m, "uuu") || has(m, "uus"))
      v = clamp(v, 0, umax);
    r |= place(static_cast<u64>(v), bytes, i);
  }
  return r;
}

} // namespace

bool execute_parallel(Core& core, const Instruction& in) {
  const std::string& m = in.mnemonic;
  const std::string_view base = base_of(m);
  if (base.size() < 2 || in.dst_count != 1 || in.dst[0].kind != Operand::Kind::gr) return false;
  const unsigned bytes = static_cast<unsigned>(base.back() - '0');
  if (bytes != 1 && bytes != 2 && bytes != 4) return false;
  const std::string_view op = base.substr(0, base.size() - 1);
  const u64 a = value_of(core, in.src[0]);
  const u64 b = in.src_count > 1 ? value_of(core, in.src[1]) : 0;
  const unsigned n = 8 / bytes;
  u64 r = 0;
  if (op == "padd" || op == "psub") {
    r = add_elements(m, a, b, bytes, op == "psub");
  } else if (op == "pcmp") {
    for (unsigned i = 0; i < n; ++i) {
      const bool t = has(m, "eq") ? element(a, bytes, i) == element(b, bytes, i)
                                  : signed_element(a, bytes, i) > signed_element(b, bytes, i);
      r |= place(t ? ~u64{0} : 0, bytes, i);
    }
  } else if (op == "mix") { // .r: the even elements, .l: the odd ones; r2's in the odd places of r1
    const unsigned odd = has(m, "l") ? 1 : 0;
    for (unsigned i = 0; i < n; i += 2)
      r |= place(element(b, bytes, i + odd), bytes, i) | place(element(a, bytes, i + odd), bytes, i + 1);
  } else if (op == "unpack") { // .l: the low halves interleaved, .h: the high ones; r2's in the odd places
    const unsigned from = has(m, "h") ? n / 2 : 0;
    for (unsigned i = 0; i < n / 2; ++i)
      r |= place(element(b, bytes, from + i), bytes, 2 * i) | place(element(a, bytes, from + i), bytes, 2 * i + 1);
  } else if (op == "pmpy" && bytes == 2) { // .r: the even halfwords' 32-bit products, .l: the odd ones'
    const unsigned odd = has(m, "l") ? 1 : 0;
    for (unsigned i = 0; i < 2; ++i)
      r |= place(static_cast<u64>(signed_element(a, 2, 2 * i + odd) * signed_element(b, 2, 2 * i + odd)), 4, i);
  } else if (op == "pmpyshr" && bytes == 2) { // each product shifted right by the count, its low halfword
    const auto count = static_cast<unsigned>(in.src[2].value);
    for (unsigned i = 0; i < 4; ++i) {
      const i64 product = has(m, "u") ? static_cast<i64>(element(a, 2, i) * element(b, 2, i))
                                      : signed_element(a, 2, i) * signed_element(b, 2, i);
      r |= place(static_cast<u64>(product >> count), 2, i);
    }
  } else if ((op == "pshl" || op == "pshr") && bytes != 1) { // counts past the element's width shift it all out
    const unsigned width = 8 * bytes;
    const u64 count = b;
    for (unsigned i = 0; i < n; ++i) {
      u64 e = 0;
      if (op == "pshl")
        e = count >= width ? 0 : element(a, bytes, i) << count;
      else if (has(m, "u"))
        e = count >= width ? 0 : element(a, bytes, i) >> count;
      else
        e = static_cast<u64>(signed_element(a, bytes, i) >> (count >= width ? width - 1 : count));
      r |= place(e, bytes, i);
    }
  } else if (op == "mux" && bytes == 1 && in.src[1].kind == Operand::Kind::name) {
    const std::string type = in.src[1].text;
    if (type == "@rev") {
      for (unsigned i = 0; i < 8; ++i) r |= place(element(a, 1, 7 - i), 1, i);
    } else if (type == "@brcst") {
      for (unsigned i = 0; i < 8; ++i) r |= place(element(a, 1, 0), 1, i);
    } else {
      return false;
    }
  } else if (op == "mux" && bytes == 2) { // each result halfword is the source halfword mhtype8 names
    for (unsigned i = 0; i < 4; ++i) r |= place(element(a, 2, static_cast<unsigned>((b >> (2 * i)) & 3)), 2, i);
  } else {
    return false;
  }
  core.set_gr(number(in.dst[0]), r);
  return true;
}

} // namespace ia64sim

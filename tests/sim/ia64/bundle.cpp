// SPDX-License-Identifier: Apache-2.0
#include "bundle.hpp"

namespace ia64sim {
namespace {

constexpr Unit M = Unit::m, I = Unit::i, F = Unit::f, B = Unit::b, L = Unit::lx;

constexpr Template reserved{false, {M, I, I}, {false, false, false}};

// Volume 3, table 4-5: the even value of each pair has no stop at the bundle's end, the odd one has.
// MI;I and M;MI carry a stop inside the bundle as well.
constexpr std::array<Template, 32> templates = {{
    {true, {M, I, I}, {false, false, false}}, // 00 MII
    {true, {M, I, I}, {false, false, true}},  // 01
    {true, {M, I, I}, {false, true, false}},  // 02 MI;I
    {true, {M, I, I}, {false, true, true}},   // 03
    {true, {M, L, L}, {false, false, false}}, // 04 MLX
    {true, {M, L, L}, {false, false, true}},  // 05
    reserved,
    reserved,
    {true, {M, M, I}, {false, false, false}}, // 08 MMI
    {true, {M, M, I}, {false, false, true}},  // 09
    {true, {M, M, I}, {true, false, false}},  // 0A M;MI
    {true, {M, M, I}, {true, false, true}},   // 0B
    {true, {M, F, I}, {false, false, false}}, // 0C MFI
    {true, {M, F, I}, {false, false, true}},  // 0D
    {true, {M, M, F}, {false, false, false}}, // 0E MMF
    {true, {M, M, F}, {false, false, true}},  // 0F
    {true, {M, I, B}, {false, false, false}}, // 10 MIB
    {true, {M, I, B}, {false, false, true}},  // 11
    {true, {M, B, B}, {false, false, false}}, // 12 MBB
    {true, {M, B, B}, {false, false, true}},  // 13
    reserved,
    reserved,
    {true, {B, B, B}, {false, false, false}}, // 16 BBB
    {true, {B, B, B}, {false, false, true}},  // 17
    {true, {M, M, B}, {false, false, false}}, // 18 MMB
    {true, {M, M, B}, {false, false, true}},  // 19
    reserved,
    reserved,
    {true, {M, F, B}, {false, false, false}}, // 1C MFB
    {true, {M, F, B}, {false, false, true}},  // 1D
    reserved,
    reserved,
}};

} // namespace

const Template& template_info(unsigned t) { return templates[t & 0x1f]; }

Bundle Bundle::from_bytes(const std::uint8_t* bytes) {
  Bundle b{0, 0};
  for (int i = 7; i >= 0; --i) b.low = (b.low << 8) | bytes[i];
  for (int i = 15; i >= 8; --i) b.high = (b.high << 8) | bytes[i];
  return b;
}

std::uint64_t Bundle::slot(unsigned n) const {
  constexpr std::uint64_t mask41 = (std::uint64_t{1} << 41) - 1;
  switch (n) {
  case 0: return (low >> 5) & mask41;
  case 1: return ((low >> 46) | (high << 18)) & mask41;
  default: return (high >> 23) & mask41;
  }
}

} // namespace ia64sim

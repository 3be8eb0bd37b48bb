// SPDX-License-Identifier: Apache-2.0
// Integer ALU, compare, shift, deposit and extract, test bit (volume 3, chapter 2: add, sub, addp4,
// and, andcm, or, xor, shladd, cmp, cmp4, tbit, tnat, dep, extr, shr, shl, shrp, zxt, sxt, popcnt).
// NaT bits are not modelled yet: every register is a value.
#include "core.hpp"

namespace ia64sim {
namespace {

using u64 = std::uint64_t;
using i64 = std::int64_t;

u64 mask(unsigned len) { return len >= 64 ? ~u64{0} : (u64{1} << len) - 1; }

// addp4's and shladdp4's result: a 32-bit offset in the region its base's bits 31:30 name.
u64 pointer4(u64 sum, u64 base) { return (sum & 0xffffffff) | (((base >> 30) & 3) << 61); }

bool relation(const std::string& m, bool four, u64 a, u64 b) {
  const i64 sa = four ? static_cast<std::int32_t>(a) : static_cast<i64>(a);
  const i64 sb = four ? static_cast<std::int32_t>(b) : static_cast<i64>(b);
  const u64 ua = four ? (a & 0xffffffff) : a, ub = four ? (b & 0xffffffff) : b;
  if (has(m, "eq")) return ua == ub;
  if (has(m, "ne")) return ua != ub;
  if (has(m, "ltu")) return ua < ub;
  if (has(m, "leu")) return ua <= ub;
  if (has(m, "gtu")) return ua > ub;
  if (has(m, "geu")) return ua >= ub;
  if (has(m, "lt")) return sa < sb;
  if (has(m, "le")) return sa <= sb;
  if (has(m, "gt")) return sa > sb;
  return sa >= sb; // ge
}

// The predicate writes of compares and test bits by type (volume 3, table 2-11 of cmp).
void write_predicates(Core& core, const std::string& m, const Instruction& in, bool result) {
  const unsigned p1 = number(in.dst[0]), p2 = number(in.dst[1]);
  const auto set = [&](unsigned p, bool v) {
    if (p != 0) core.pr[p] = v;
  };
  if (has(m, "andcm") && has(m, "or")) { // or.andcm
    if (result) set(p1, true), set(p2, false);
  } else if (has(m, "and")) {
    if (!result) set(p1, false), set(p2, false);
  } else if (has(m, "or")) {
    if (result) set(p1, true), set(p2, true);
  } else {
    set(p1, result);
    set(p2, !result);
  }
}

} // namespace

bool execute_integer(Core& core, const Instruction& in, Effect&) {
  const std::string& m = in.mnemonic;
  const std::string_view base = base_of(m);
  const auto src = [&](unsigned i) { return value_of(core, in.src[i]); };
  const auto result = [&](u64 v) { core.set_gr(number(in.dst[0]), v); };
  const bool gr_dst = in.dst_count == 1 && in.dst[0].kind == Operand::Kind::gr;

  if (base == "mov" && gr_dst && in.src_count == 1 &&
      (in.src[0].kind == Operand::Kind::gr || in.src[0].kind == Operand::Kind::imm)) {
    result(src(0));
  } else if (base == "add" || base == "adds" || base == "addl") {
    result(src(0) + src(1) + (in.src_count == 3 ? src(2) : 0));
  } else if (base == "sub") {
    result(src(0) - src(1) - (in.src_count == 3 ? src(2) : 0));
  } else if (base == "addp4") {
    result(pointer4(src(0) + src(1), src(1)));
  } else if (base == "and") {
    result(src(0) & src(1));
  } else if (base == "andcm") {
    result(src(0) & ~src(1));
  } else if (base == "or") {
    result(src(0) | src(1));
  } else if (base == "xor") {
    result(src(0) ^ src(1));
  } else if (base == "shladd") {
    result((src(0) << src(1)) + src(2));
  } else if (base == "shladdp4") {
    result(pointer4((src(0) << src(1)) + src(2), src(2)));
  } else if (base == "cmp" || base == "cmp4") {
    write_predicates(core, m, in, relation(m, base == "cmp4", src(0), src(1)));
  } else if (base == "tbit") {
    const bool set = ((src(0) >> src(1)) & 1) != 0;
    write_predicates(core, m, in, has(m, "z") ? !set : set);
  } else if (base == "tnat") {
    write_predicates(core, m, in, has(m, "z")); // no register is NaT
  } else if (base == "extr") {
    const auto pos = static_cast<unsigned>(src(1)), len = static_cast<unsigned>(src(2));
    const u64 field = (src(0) >> pos) & mask(len);
    const u64 sign = u64{1} << (len - 1);
    result(has(m, "u") ? field : (field ^ sign) - sign);
  } else if ((base == "shr" || base == "shl") && in.src[1].kind == Operand::Kind::imm) {
    const auto count = static_cast<unsigned>(src(1));
    if (base == "shl")
      result(src(0) << count);
    else if (has(m, "u"))
      result(src(0) >> count);
    else
      result(static_cast<u64>(static_cast<i64>(src(0)) >> count));
  } else if (base == "shr" || base == "shl") { // I5, I7: counts past 63 shift everything out
    const u64 count = src(1);
    if (base == "shl")
      result(count > 63 ? 0 : src(0) << count);
    else if (has(m, "u"))
      result(count > 63 ? 0 : src(0) >> count);
    else
      result(static_cast<u64>(static_cast<i64>(src(0)) >> (count > 63 ? 63 : count)));
  } else if (base == "dep" && in.src_count == 3) { // dep.z
    const auto pos = static_cast<unsigned>(src(1)), len = static_cast<unsigned>(src(2));
    result((src(0) & mask(len)) << pos);
  } else if (base == "dep") {
    const auto pos = static_cast<unsigned>(src(2)), len = static_cast<unsigned>(src(3));
    const u64 field = mask(len) << pos;
    result((src(1) & ~field) | ((src(0) << pos) & field));
  } else if (base == "shrp") {
    const auto count = static_cast<unsigned>(src(2));
    result(count == 0 ? src(1) : (src(1) >> count) | (src(0) << (64 - count)));
  } else if (base == "zxt1" || base == "zxt2" || base == "zxt4") {
    result(src(0) & mask(8u * static_cast<unsigned>(base[3] - '0')));
  } else if (base == "sxt1" || base == "sxt2" || base == "sxt4") {
    const unsigned bits = 8u * static_cast<unsigned>(base[3] - '0');
    const u64 sign = u64{1} << (bits - 1);
    result(((src(0) & mask(bits)) ^ sign) - sign);
  } else if (base == "popcnt") {
    result(static_cast<u64>(__builtin_popcountll(src(0))));
  } else {
    return false;
  }
  return true;
}

} // namespace ia64sim

// SPDX-License-Identifier: Apache-2.0
// The decoder and disassembler on bundles whose text objdump gave (check-disassembly compares with
// objdump itself; this runs without binutils, in ./test --quick).
#include "disassemble.hpp"

#include <catch2/catch_test_macros.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace {

using ia64sim::Bundle;

std::vector<std::string> text(const std::array<std::uint8_t, 16>& bytes, std::uint64_t address) {
  std::vector<std::string> lines;
  for (const auto& line : ia64sim::disassemble_bundle(Bundle::from_bytes(bytes.data()), address))
    lines.push_back(line.text);
  return lines;
}

} // namespace

TEST_CASE("slots are bits 5-45, 46-86 and 87-127 of the bundle, the template bits 0-4") {
  const std::array<std::uint8_t, 16> ones = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                             0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  const Bundle b = Bundle::from_bytes(ones.data());
  CHECK(b.template_field() == 0x1f);
  for (unsigned slot = 0; slot < 3; ++slot) CHECK(b.slot(slot) == (std::uint64_t{1} << 41) - 1);
  const std::array<std::uint8_t, 16> slot1_lowest_bit = {0, 0, 0, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  CHECK(Bundle::from_bytes(slot1_lowest_bit.data()).slot(1) == 1);
}

TEST_CASE("the template gives units and stops; the reserved ones decode nothing") {
  CHECK(ia64sim::template_info(0x0b).valid);
  CHECK(ia64sim::template_info(0x0b).stop_after == std::array<bool, 3>{true, false, true}); // M;MI;
  CHECK(ia64sim::template_info(0x1d).units == std::array{ia64sim::Unit::m, ia64sim::Unit::f, ia64sim::Unit::b});
  for (unsigned t : {0x06u, 0x07u, 0x14u, 0x15u, 0x1au, 0x1bu, 0x1eu, 0x1fu}) CHECK(!ia64sim::template_info(t).valid);
}

TEST_CASE("system instructions of the port's entry code read as objdump reads them") {
  CHECK(text({0x0b, 0x00, 0x80, 0x04, 0x2c, 0x04, 0x00, 0x00, 0x00, 0x62, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00}, 0) ==
        std::vector<std::string>{"[MMI]       mov cr.iva=r32;;", "            srlz.i", "            nop.i 0x0;;"});
}

TEST_CASE("branch targets are absolute; a predicated branch shows its predicate") {
  CHECK(text({0x11, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x03, 0x20, 0x00, 0x00, 0x42}, 0) ==
        std::vector<std::string>{"[MIB]       nop.m 0x0", "            nop.i 0x0",
                                 "      (p06) br.cond.dptk.few 0x20;;"});
  CHECK(text({0x17, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x18, 0x00, 0x00, 0x50}, 0x10) ==
        std::vector<std::string>{"[BBB]       nop.b 0x0", "            nop.b 0x0",
                                 "            br.call.sptk.many b0=0x20;;"});
}

TEST_CASE("an MLX bundle is two instructions, movl's 64-bit immediate spanning slots 1 and 2") {
  CHECK(text({0x25, 0x09, 0x00, 0x00, 0x00, 0x80, 0x9a, 0x78, 0x56, 0x34, 0x12, 0x00, 0x01, 0x97, 0xf7, 0x66}, 0x20) ==
        std::vector<std::string>{"[MLX] (p09) break.m 0x1", "            movl r8=0x123456789abcdef0;;"});
}

TEST_CASE("a reserved template's slots are data, written as objdump writes them") {
  CHECK(text({0x7b, 0x54, 0x09, 0x86, 0x5f, 0x01, 0xaf, 0xe5, 0x00, 0xf0, 0x1a, 0x3b, 0x9c, 0x98, 0xb6, 0xde}, 0) ==
        std::vector<std::string>{"[-d-]       data8 0xafc304aa3", "            data8 0x6bc00396bc",
                                 "            data8 0x1bd6d313876"});
}

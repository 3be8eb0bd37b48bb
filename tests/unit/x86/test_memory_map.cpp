// SPDX-License-Identifier: Apache-2.0
// The PC's RAM from the PVH start info's memory map: what the x86 port hands the boot as the board's memory.
#include <x86/memory_map.hpp>

#include <catch2/catch_test_macros.hpp>

namespace {
using namespace hv::x86;
constexpr std::uint64_t reach = 1ull << 46;
} // namespace

TEST_CASE("RAM entries of the memory map, in order; reserved and ACPI entries are not RAM") {
  // What SeaBIOS reports to QEMU's PVH loader with -m 8G, out of order on purpose.
  const MemoryMapEntry map[] = {
      {0x100000000, 0x140000000, memory_map_ram, 0},
      {0, 0x9fc00, memory_map_ram, 0},
      {0x9fc00, 0x400, 2, 0},
      {0xf0000, 0x10000, 2, 0},
      {0x100000, 0xbfee0000, memory_map_ram, 0},
      {0xbffe0000, 0x20000, 2, 0},
      {0xfeffc000, 0x4000, 2, 0},
  };
  hv::MemoryRange ram[8];
  REQUIRE(ram_from_memory_map(map, 7, reach, ram, 8) == 3);
  CHECK(ram[0].base == 0);
  CHECK(ram[0].size == 0x9fc00);
  CHECK(ram[1].base == 0x100000);
  CHECK(ram[1].end() == 0xbffe0000);
  CHECK(ram[2].base == 0x100000000);
  CHECK(ram[2].end() == 0x240000000);
}

TEST_CASE("RAM the direct map cannot reach is cut off; more ranges than room keeps the lowest") {
  const MemoryMapEntry map[] = {
      {0x100000, 0xbfee0000, memory_map_ram, 0},
      {0x100000000, 0x140000000, memory_map_ram, 0},
      {0, 0x9fc00, memory_map_ram, 0},
  };
  hv::MemoryRange ram[4];
  // Protected mode: the direct map ends below 4 GiB.
  REQUIRE(ram_from_memory_map(map, 3, 0xffc00000, ram, 4) == 2);
  CHECK(ram[1].end() == 0xbffe0000);
  REQUIRE(ram_from_memory_map(map, 3, 0x80000000, ram, 4) == 2);
  CHECK(ram[1].end() == 0x80000000);
  REQUIRE(ram_from_memory_map(map, 3, reach, ram, 2) == 2);
  CHECK(ram[0].base == 0);
  CHECK(ram[1].base == 0x100000);
  const MemoryMapEntry wraps[] = {{0x1000, ~0ull, memory_map_ram, 0}, {0x5000, 0, memory_map_ram, 0}};
  REQUIRE(ram_from_memory_map(wraps, 2, reach, ram, 4) == 1);
  CHECK(ram[0].end() == reach);
}

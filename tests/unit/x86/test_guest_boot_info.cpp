// What an x86 guest finds at EBX when it boots: the PVH start info (version 1) by its published offsets,
// its command line and its memory map (RAM below the boot information, the boot information reserved).
#include "acpi_reader.hpp"

#include <x86/guest_boot_info.hpp>

using namespace acpi_test;

namespace {

constexpr std::uint64_t ram = 64ull << 20;
constexpr std::uint64_t area = 16 << 10; // what common code gives the boot information
constexpr std::uint64_t base = ram - area;

struct MapEntry {
  std::uint64_t address, size;
  std::uint32_t type;
};

struct Booted {
  Memory memory;
  std::uint64_t command_line = 0;
  std::vector<MapEntry> map;
};

Booted boot(const char* line) {
  hv::GuestBootInfo info;
  info.domain_id = 3;
  info.memory_bytes = ram;
  info.boot_info_gpa = base;
  info.command_line = line;
  Booted b{{base, std::vector<std::uint8_t>(area, 0)}, 0, {}}; // common code hands over a zeroed buffer
  std::size_t used = 0;
  REQUIRE(hv::x86::write_guest_boot_info(info, b.memory.bytes.data(), b.memory.bytes.size(), used));
  REQUIRE(used <= area);
  b.memory.bytes.resize(used);

  // hvm_start_info: magic 0, version 4, cmdline_paddr 24, rsdp_paddr 32, memmap_paddr 40, entries 48.
  const Memory& m = b.memory;
  CHECK(m.read<std::uint32_t>(base) == 0x336e'c578);
  CHECK(m.read<std::uint32_t>(base + 4) == 1);
  CHECK(m.read<std::uint32_t>(base + 8) == 0);  // flags: not the control domain
  CHECK(m.read<std::uint32_t>(base + 12) == 0); // no modules
  b.command_line = m.read<std::uint64_t>(base + 24);
  const auto map = m.read<std::uint64_t>(base + 40);
  const auto entries = m.read<std::uint32_t>(base + 48);
  for (std::uint32_t i = 0; i < entries; ++i) { // hvm_memmap_table_entry: addr, size, type, reserved
    const std::uint64_t entry = map + std::uint64_t{i} * 24;
    b.map.push_back(
        {m.read<std::uint64_t>(entry), m.read<std::uint64_t>(entry + 8), m.read<std::uint32_t>(entry + 16)});
  }
  return b;
}

} // namespace

TEST_CASE("the start info names the command line") {
  const std::string line = "console=hvc0 earlyprintk=xen";
  const Booted b = boot(line.c_str());
  CHECK(b.memory.text(b.command_line, line.size() + 1) == line + '\0');
}

TEST_CASE("the memory map: RAM below the boot information, the boot information reserved") {
  const Booted b = boot("");
  REQUIRE(b.map.size() == 2);
  CHECK((b.map[0].address == 0 && b.map[0].size == base && b.map[0].type == 1));
  CHECK((b.map[1].address == base && b.map[1].size == ram - base && b.map[1].type == 2));
}

TEST_CASE("refused: no room, the area outside RAM") {
  hv::GuestBootInfo info;
  info.memory_bytes = ram;
  info.boot_info_gpa = base;
  std::vector<std::uint8_t> buffer(area);
  std::size_t used = 0;
  CHECK(hv::x86::write_guest_boot_info(info, buffer.data(), buffer.size(), used));
  CHECK_FALSE(hv::x86::write_guest_boot_info(info, buffer.data(), 64, used));

  hv::GuestBootInfo bad = info;
  bad.boot_info_gpa = ram;
  CHECK_FALSE(hv::x86::write_guest_boot_info(bad, buffer.data(), buffer.size(), used));
}

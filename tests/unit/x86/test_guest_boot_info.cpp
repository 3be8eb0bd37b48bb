// SPDX-License-Identifier: Apache-2.0
// What an x86 guest finds at EBX when it boots: the PVH start info (version 1) by its published offsets,
// its command line, its memory map (RAM below the boot information, the ACPI tables' pages as ACPI, the
// rest reserved), and the RSDP its rsdp_paddr names.
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
  std::uint64_t rsdp = 0, command_line = 0;
  std::vector<MapEntry> map;
};

Booted boot(const char* line, std::uint32_t vcpus = 1, std::uint64_t memory_bytes = ram) {
  hv::GuestBootInfo info;
  info.domain_id = 3;
  info.vcpus = vcpus;
  info.memory_bytes = memory_bytes;
  info.boot_info_gpa = base;
  info.command_line = line;
  Booted b{{base, std::vector<std::uint8_t>(area, 0)}, 0, 0, {}}; // common code hands over a zeroed buffer
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
  b.rsdp = m.read<std::uint64_t>(base + 32);
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

TEST_CASE("the control domain's start info says SIF_PRIVILEGED and SIF_INITDOMAIN, as the family's does") {
  hv::GuestBootInfo info;
  info.vcpus = 1;
  info.memory_bytes = ram;
  info.boot_info_gpa = base;
  info.command_line = "";
  info.control_domain = true;
  std::vector<std::uint8_t> buffer(area, 0);
  std::size_t used = 0;
  REQUIRE(hv::x86::write_guest_boot_info(info, buffer.data(), buffer.size(), used));
  std::uint32_t flags = 0;
  std::memcpy(&flags, buffer.data() + 8, sizeof flags);
  CHECK(flags == 3);
}

TEST_CASE("the start info names the command line and the RSDP, on the page after it") {
  const std::string line = "console=hvc0 earlyprintk=xen";
  const Booted b = boot(line.c_str());
  CHECK(b.memory.text(b.command_line, line.size() + 1) == line + '\0');
  CHECK(b.rsdp == base + 4096);
  const auto tables = xsdt_tables(b.memory, xsdt_from_rsdp(b.memory, b.rsdp));
  CHECK(madt_processors(b.memory, find(tables, "APIC")).size() == 1);
}

TEST_CASE("the memory map: RAM below, the start info's page reserved, the tables' page ACPI, the rest reserved") {
  const Booted b = boot("");
  REQUIRE(b.map.size() == 4);
  CHECK((b.map[0].address == 0 && b.map[0].size == base && b.map[0].type == 1));
  CHECK((b.map[1].address == base && b.map[1].size == 4096 && b.map[1].type == 2));
  CHECK((b.map[2].address == base + 4096 && b.map[2].size == 4096 && b.map[2].type == 3));
  CHECK((b.map[3].address == base + 8192 && b.map[3].size == ram - base - 8192 && b.map[3].type == 2));
  // Every table lies inside the ACPI entry.
  for (const Table& t : xsdt_tables(b.memory, xsdt_from_rsdp(b.memory, b.rsdp))) {
    CHECK(t.gpa >= b.map[2].address);
    CHECK(t.gpa + t.length <= b.map[2].address + b.map[2].size);
  }
}

TEST_CASE("a MADT entry per vCPU of the domain") {
  const Booted b = boot("", 32);
  const auto cpus = madt_processors(b.memory, find(xsdt_tables(b.memory, xsdt_from_rsdp(b.memory, b.rsdp)), "APIC"));
  CHECK(cpus.size() == 32);
}

TEST_CASE("a command line longer than the first page pushes the tables to the next free page") {
  const std::string line(5000, 'x');
  const Booted b = boot(line.c_str());
  CHECK(b.memory.text(b.command_line, line.size() + 1) == line + '\0');
  CHECK(b.rsdp == base + 8192);
  REQUIRE(b.map.size() == 4);
  CHECK((b.map[1].address == base && b.map[1].size == 8192 && b.map[1].type == 2));
  CHECK((b.map[2].address == b.rsdp && b.map[2].type == 3));
  xsdt_from_rsdp(b.memory, b.rsdp);
}

TEST_CASE("RAM that ends with the tables' page: no reserved entry after it") {
  const Booted b = boot("", 1, base + 8192);
  REQUIRE(b.map.size() == 3);
  CHECK(b.map[2].address + b.map[2].size == base + 8192);
}

TEST_CASE("refused: no vCPUs, no room, the area outside RAM or off a page") {
  hv::GuestBootInfo info;
  info.vcpus = 1;
  info.memory_bytes = ram;
  info.boot_info_gpa = base;
  std::vector<std::uint8_t> buffer(area);
  std::size_t used = 0;
  CHECK(hv::x86::write_guest_boot_info(info, buffer.data(), buffer.size(), used));
  CHECK_FALSE(hv::x86::write_guest_boot_info(info, buffer.data(), 4096, used)); // no page left for the tables

  hv::GuestBootInfo bad = info;
  bad.vcpus = 0;
  CHECK_FALSE(hv::x86::write_guest_boot_info(bad, buffer.data(), buffer.size(), used));
  bad = info;
  bad.boot_info_gpa = ram;
  CHECK_FALSE(hv::x86::write_guest_boot_info(bad, buffer.data(), buffer.size(), used));
  bad = info;
  bad.boot_info_gpa = base + 16;
  CHECK_FALSE(hv::x86::write_guest_boot_info(bad, buffer.data(), buffer.size(), used));
  bad = info;
  bad.memory_bytes = base + 4096; // the tables' page would be past the end of RAM
  CHECK_FALSE(hv::x86::write_guest_boot_info(bad, buffer.data(), buffer.size(), used));
}

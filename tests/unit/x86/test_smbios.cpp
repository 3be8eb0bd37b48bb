// SPDX-License-Identifier: Apache-2.0
// The machine's name from the SMBIOS tables, as the x86 port reads them at entry.
#include <x86/smbios.hpp>

#include <catch2/catch_test_macros.hpp>

#include <cstring>
#include <string>
#include <vector>

namespace {

using hv::u64;
using hv::u8;
using hv::usize;

// A simulated physical memory: the F segment and the structure table at 0x7fff0000.
std::vector<u8> segment(0x10000);
std::vector<u8> table;
constexpr u64 table_base = 0x7fff0000;

const u8* physical(u64 pa, usize size) {
  if (pa == hv::x86::smbios_search_base && size <= segment.size()) return segment.data();
  if (pa == table_base && size <= table.size()) return table.data();
  return nullptr;
}

// Makes the entry point's bytes sum to zero through its checksum byte at `at`.
void checksum(u8* entry, usize length, usize at) {
  u8 sum = 0;
  for (usize i = 0; i < length; ++i) sum = static_cast<u8>(sum + entry[i]);
  entry[at] = static_cast<u8>(entry[at] - sum);
}

void structure(u8 type, std::vector<u8> formatted, const std::vector<std::string>& strings) {
  table.push_back(type);
  table.push_back(static_cast<u8>(4 + formatted.size()));
  table.push_back(0);
  table.push_back(0);
  table.insert(table.end(), formatted.begin(), formatted.end());
  for (const auto& s : strings) table.insert(table.end(), s.c_str(), s.c_str() + s.size() + 1);
  if (strings.empty()) table.push_back(0);
  table.push_back(0);
}

// QEMU's tables: BIOS information, system information, the end.
void qemu_tables(const std::string& product) {
  table.clear();
  structure(0, {1, 2, 0, 0xe8}, {"SeaBIOS", "rel-1.16"});
  structure(1, {1, 2, 3, 0}, {"QEMU", product, "pc-q35-10.0"});
  structure(127, {}, {});
}

void entry_point_3(usize at) {
  std::fill(segment.begin(), segment.end(), 0);
  u8* e = segment.data() + at;
  std::memcpy(e, "_SM3_", 5);
  e[6] = 0x18;
  const auto size = static_cast<hv::u32>(table.size());
  std::memcpy(e + 0x0c, &size, 4);
  std::memcpy(e + 0x10, &table_base, 8);
  checksum(e, 0x18, 5);
}

void entry_point_21(usize at) {
  std::fill(segment.begin(), segment.end(), 0);
  u8* e = segment.data() + at;
  std::memcpy(e, "_SM_", 4);
  e[5] = 0x1f;
  std::memcpy(e + 0x10, "_DMI_", 5);
  const auto length = static_cast<std::uint16_t>(table.size());
  const auto base = static_cast<hv::u32>(table_base);
  std::memcpy(e + 0x16, &length, 2);
  std::memcpy(e + 0x18, &base, 4);
  checksum(e, 0x1f, 4);
}

std::string name() {
  char out[80];
  return hv::x86::smbios_system_name(physical, out, sizeof out) ? std::string(out) : "(none)";
}

} // namespace

TEST_CASE("the system information's manufacturer and product, through either entry point") {
  qemu_tables("Standard PC (Q35 + ICH9, 2009)");
  entry_point_3(0x5a0);
  CHECK(name() == "QEMU Standard PC (Q35 + ICH9, 2009)");
  qemu_tables("Standard PC (i440FX + PIIX, 1996)");
  entry_point_21(0x9e0);
  CHECK(name() == "QEMU Standard PC (i440FX + PIIX, 1996)");
  char small[10];
  REQUIRE(hv::x86::smbios_system_name(physical, small, sizeof small));
  CHECK(std::string(small) == "QEMU Stan");
}

TEST_CASE("no entry point, a bad checksum, no system information or a broken table: no name") {
  qemu_tables("Standard PC (Q35 + ICH9, 2009)");
  std::fill(segment.begin(), segment.end(), 0);
  CHECK(name() == "(none)");
  entry_point_3(0x100);
  segment[0x100 + 4] ^= 1; // "_SM3_" no longer
  CHECK(name() == "(none)");
  entry_point_3(0x100);
  segment[0x105] ^= 0x55; // checksum
  CHECK(name() == "(none)");
  table.clear();
  structure(0, {1, 2, 0, 0xe8}, {"SeaBIOS", "rel-1.16"});
  structure(127, {}, {});
  entry_point_3(0x100);
  CHECK(name() == "(none)");
  qemu_tables("Standard PC (Q35 + ICH9, 2009)");
  table.resize(table.size() - 30); // cut inside the system information's strings
  entry_point_3(0x100);
  CHECK(name() == "(none)");
  qemu_tables("x");
  table[1] = 2; // a formatted length below the header's own
  entry_point_3(0x100);
  CHECK(name() == "(none)");
}

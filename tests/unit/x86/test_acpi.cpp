// SPDX-License-Identifier: Apache-2.0
// The firmware's CPUs from its ACPI MADT, as the x86 port reads them at entry; the tables come from the
// guest ACPI writer (x86/guest_acpi.hpp), whose layouts its own tests check against the specification.
#include <x86/acpi.hpp>
#include <x86/guest_acpi.hpp>

#include <catch2/catch_test_macros.hpp>

#include <vector>

namespace {

using hv::u32;
using hv::u64;
using hv::u8;
using hv::usize;

constexpr u64 tables_base = 0x7ffe0000;
std::vector<u8> tables;

const u8* physical(u64 pa, usize size) {
  if (pa < tables_base || pa - tables_base + size > tables.size()) return nullptr;
  return tables.data() + (pa - tables_base);
}

void make_tables(u32 cpus) {
  tables.assign(hv::x86::guest_acpi_size(cpus), 0);
  usize used = 0;
  REQUIRE(hv::x86::write_guest_acpi(cpus, tables_base, tables.data(), tables.size(), used));
}

} // namespace

TEST_CASE("the MADT's enabled processors are the firmware's CPUs", "[acpi]") {
  make_tables(4);
  u32 ids[8] = {};
  REQUIRE(hv::x86::madt_local_apic_ids(physical, tables_base, ids, 8) == 4);
  CHECK((ids[0] == 0 && ids[1] == 1 && ids[2] == 2 && ids[3] == 3));
}

TEST_CASE("no more CPUs are kept than there is room for", "[acpi]") {
  make_tables(8);
  u32 ids[3] = {};
  CHECK(hv::x86::madt_local_apic_ids(physical, tables_base, ids, 3) == 3);
}

TEST_CASE("x2APIC structures give IDs from 255 on", "[acpi]") {
  make_tables(300);
  std::vector<u32> ids(300);
  REQUIRE(hv::x86::madt_local_apic_ids(physical, tables_base, ids.data(), ids.size()) == 300);
  CHECK(ids[254] == 254);
  CHECK(ids[299] == 299);
}

TEST_CASE("a table whose checksum is wrong, or no RSDP, gives no CPUs", "[acpi]") {
  make_tables(4);
  u32 ids[8] = {};
  SECTION("the RSDP corrupted") {
    tables[0] ^= 0xff;
    CHECK(hv::x86::madt_local_apic_ids(physical, tables_base, ids, 8) == 0);
  }
  SECTION("any byte after the RSDP flipped") {
    // Every table is checksummed: flipping one byte of any of them loses the MADT or the way to it,
    // or leaves a count that is still right (a byte of padding or of a table not on the way).
    for (usize at = 36; at < tables.size(); ++at) {
      tables[at] ^= 0x01;
      const usize n = hv::x86::madt_local_apic_ids(physical, tables_base, ids, 8);
      CHECK((n == 0 || n == 4));
      tables[at] ^= 0x01;
    }
  }
  SECTION("no RSDP where the BIOS would leave it") { CHECK(hv::x86::madt_local_apic_ids(physical, 0, ids, 8) == 0); }
}

// SPDX-License-Identifier: Apache-2.0
// The ACPI tables an x86 guest finds, read as a guest reads them: from the RSDP through the XSDT to the
// FADT, the DSDT and the MADT, every signature, length, revision and checksum, and one enabled processor
// per vCPU in the MADT.
#include "acpi_reader.hpp"

#include <x86/guest_acpi.hpp>

using namespace acpi_test;

namespace {

constexpr std::uint64_t tables_gpa = 0x3ff'd000;

Memory build(std::uint32_t vcpus, std::uint64_t gpa = tables_gpa) {
  Memory m{gpa, std::vector<std::uint8_t>(16384, 0xa5)}; // not zeroed: the builder writes every byte it uses
  std::size_t used = 0;
  REQUIRE(hv::x86::write_guest_acpi(vcpus, gpa, m.bytes.data(), m.bytes.size(), used));
  CHECK(used == hv::x86::guest_acpi_size(vcpus));
  m.bytes.resize(used); // what lies past `used` is not the tables'
  return m;
}

} // namespace

TEST_CASE("the RSDP at the address given leads through the XSDT to the FADT and the MADT, each checksummed") {
  const Memory m = build(1);
  const std::uint64_t xsdt = xsdt_from_rsdp(m, tables_gpa);
  CHECK(m.read<std::uint32_t>(tables_gpa + 16) == 0); // no RSDT: ACPI 2.0+ reads the XSDT
  CHECK(xsdt % 8 == 0);
  CHECK(table_at(m, xsdt).revision == 1);
  const auto tables = xsdt_tables(m, xsdt);
  REQUIRE(tables.size() == 2);
  CHECK(find(tables, "FACP").length == 276);
  CHECK(find(tables, "APIC").length == 44 + 8);
  for (const Table& t : tables) {
    CHECK(t.gpa % 16 == 0);
    CHECK(m.text(t.gpa + 10, 6) == "HV    "); // the OEM ID, as the RSDP's
  }
  CHECK(m.text(tables_gpa + 9, 6) == "HV    ");
}

TEST_CASE("the FADT: ACPI 6.4, hardware-reduced, no FACS, and the DSDT, a header without AML") {
  const Memory m = build(2);
  const Table fadt = find(xsdt_tables(m, xsdt_from_rsdp(m, tables_gpa)), "FACP");
  CHECK(fadt.revision == 6);
  CHECK(m.read<std::uint8_t>(fadt.gpa + 131) == 4); // minor version
  const auto flags = m.read<std::uint32_t>(fadt.gpa + 112);
  CHECK((flags & 1u << 20) != 0);      // HW_REDUCED_ACPI
  CHECK((flags & 3u << 4) == 3u << 4); // power and sleep buttons are not fixed features
  CHECK((flags & 1u << 10) == 0);      // no reset register
  const auto boot_arch = m.read<std::uint16_t>(fadt.gpa + 109);
  CHECK(boot_arch == (1u << 2 | 1u << 5));          // no VGA, no CMOS RTC; no 8042, no legacy devices
  CHECK(m.read<std::uint32_t>(fadt.gpa + 36) == 0); // FIRMWARE_CTRL: no FACS
  CHECK(m.read<std::uint64_t>(fadt.gpa + 132) == 0);
  CHECK(m.read<std::uint16_t>(fadt.gpa + 46) == 0); // no SCI
  CHECK(m.read<std::uint32_t>(fadt.gpa + 76) == 0); // no PM timer
  CHECK(m.read<std::uint64_t>(fadt.gpa + 208 + 4) == 0);

  const auto x_dsdt = m.read<std::uint64_t>(fadt.gpa + 140);
  CHECK(m.read<std::uint32_t>(fadt.gpa + 40) == x_dsdt); // the 32-bit field agrees
  const Table dsdt = table_at(m, x_dsdt);
  CHECK(dsdt.signature == "DSDT");
  CHECK(dsdt.length == 36);
  CHECK(dsdt.revision == 2);
  CHECK(dsdt.gpa % 16 == 0);
}

TEST_CASE("the MADT: one enabled Processor Local APIC per vCPU, no I/O APIC, no PCAT_COMPAT") {
  for (const std::uint32_t vcpus : {1u, 2u, 32u}) {
    INFO(vcpus << " vCPUs");
    const Memory m = build(vcpus);
    const Table madt = find(xsdt_tables(m, xsdt_from_rsdp(m, tables_gpa)), "APIC");
    CHECK(madt.revision == 5);
    CHECK(madt.length == 44 + 8 * vcpus);
    CHECK(m.read<std::uint32_t>(madt.gpa + 36) == 0xfee0'0000); // local APIC address
    CHECK(m.read<std::uint32_t>(madt.gpa + 40) == 0);           // flags: no 8259s
    const auto cpus = madt_processors(m, madt);
    REQUIRE(cpus.size() == vcpus);
    for (std::uint32_t i = 0; i < vcpus; ++i) {
      CHECK(cpus[i].type == 0);
      CHECK(cpus[i].apic_id == i); // the x2APIC ID the vCPU's APIC reports
      CHECK(cpus[i].uid == i);
      CHECK(cpus[i].flags == 1); // enabled
    }
  }
}

TEST_CASE("the MADT: from APIC ID 255 on, Processor Local x2APIC structures") {
  const Memory m = build(300);
  const Table madt = find(xsdt_tables(m, xsdt_from_rsdp(m, tables_gpa)), "APIC");
  CHECK(madt.length == 44 + 8 * 255 + 16 * 45);
  const auto cpus = madt_processors(m, madt);
  REQUIRE(cpus.size() == 300);
  CHECK(cpus[254].type == 0);
  CHECK(cpus[254].apic_id == 254);
  for (std::uint32_t i = 255; i < 300; ++i) {
    CHECK(cpus[i].type == 9);
    CHECK(cpus[i].apic_id == i);
    CHECK(cpus[i].uid == i);
    CHECK(cpus[i].flags == 1);
  }
}

TEST_CASE("addresses above 4 GiB: the XSDT and X_DSDT carry them, the 32-bit DSDT field is left 0") {
  const std::uint64_t high = 0x1'2345'6000;
  const Memory m = build(1, high);
  const Table fadt = find(xsdt_tables(m, xsdt_from_rsdp(m, high)), "FACP");
  CHECK(m.read<std::uint32_t>(fadt.gpa + 40) == 0);
  CHECK(table_at(m, m.read<std::uint64_t>(fadt.gpa + 140)).signature == "DSDT");
}

TEST_CASE("the builder refuses no vCPUs, a buffer too small, and an RSDP off a 16-byte boundary") {
  std::vector<std::uint8_t> buffer(4096);
  std::size_t used = 0;
  CHECK_FALSE(hv::x86::write_guest_acpi(0, tables_gpa, buffer.data(), buffer.size(), used));
  CHECK_FALSE(hv::x86::write_guest_acpi(1, tables_gpa + 8, buffer.data(), buffer.size(), used));
  const std::size_t need = hv::x86::guest_acpi_size(4);
  CHECK_FALSE(hv::x86::write_guest_acpi(4, tables_gpa, buffer.data(), need - 1, used));
  CHECK(hv::x86::write_guest_acpi(4, tables_gpa, buffer.data(), need, used));
  CHECK(used == need);
}

// SPDX-License-Identifier: Apache-2.0
// Reads ACPI tables as a guest would: by the specification's byte offsets (ACPI 6.4, 5.2), never through
// the builder's own structures, so that a wrong layout there cannot hide behind the same mistake here.
// Addresses are guest-physical; `Memory` holds the bytes from `base` on.
#pragma once

#include <catch2/catch_test_macros.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace acpi_test {

struct Memory {
  std::uint64_t base = 0;
  std::vector<std::uint8_t> bytes;

  std::size_t index(std::uint64_t gpa, std::size_t length) const {
    REQUIRE(gpa >= base);
    REQUIRE(gpa - base + length <= bytes.size());
    return static_cast<std::size_t>(gpa - base);
  }
  template <class T> T read(std::uint64_t gpa) const {
    T value{};
    std::memcpy(&value, bytes.data() + index(gpa, sizeof(T)), sizeof(T)); // little-endian, as the host
    return value;
  }
  std::string text(std::uint64_t gpa, std::size_t length) const {
    return {reinterpret_cast<const char*>(bytes.data() + index(gpa, length)), length};
  }
  std::uint8_t sum(std::uint64_t gpa, std::size_t length) const {
    const std::size_t at = index(gpa, length);
    std::uint8_t s = 0;
    for (std::size_t i = 0; i < length; ++i) s = static_cast<std::uint8_t>(s + bytes[at + i]);
    return s;
  }
};

/// A table's header as its fields lie (5.2.6): signature at 0, length at 4, revision at 8, checksum at 9.
struct Table {
  std::uint64_t gpa;
  std::string signature;
  std::uint32_t length;
  std::uint8_t revision;
};

/// The table at `gpa`, with its length and checksum checked.
inline Table table_at(const Memory& m, std::uint64_t gpa) {
  Table t{gpa, m.text(gpa, 4), m.read<std::uint32_t>(gpa + 4), m.read<std::uint8_t>(gpa + 8)};
  INFO("table " << t.signature);
  REQUIRE(t.length >= 36);
  CHECK(m.sum(gpa, t.length) == 0);
  return t;
}

/// The XSDT's address, from the RSDP at `rsdp` (5.2.5.3), with its signature, revision and both
/// checksums checked.
inline std::uint64_t xsdt_from_rsdp(const Memory& m, std::uint64_t rsdp) {
  CHECK(m.text(rsdp, 8) == "RSD PTR ");
  CHECK(m.read<std::uint8_t>(rsdp + 15) == 2); // ACPI 2.0+
  CHECK(m.read<std::uint32_t>(rsdp + 20) == 36);
  CHECK(m.sum(rsdp, 20) == 0); // the ACPI 1.0 checksum
  CHECK(m.sum(rsdp, 36) == 0); // the extended checksum
  return m.read<std::uint64_t>(rsdp + 24);
}

/// Every table the XSDT lists (its 8-byte entries from offset 36).
inline std::vector<Table> xsdt_tables(const Memory& m, std::uint64_t xsdt) {
  const Table x = table_at(m, xsdt);
  REQUIRE(x.signature == "XSDT");
  REQUIRE((x.length - 36) % 8 == 0);
  std::vector<Table> tables;
  for (std::uint32_t at = 36; at < x.length; at += 8) tables.push_back(table_at(m, m.read<std::uint64_t>(xsdt + at)));
  return tables;
}

inline Table find(const std::vector<Table>& tables, const std::string& signature) {
  for (const Table& t : tables)
    if (t.signature == signature) return t;
  FAIL("no " << signature << " in the XSDT");
  return {};
}

/// One processor of the MADT: a Processor Local APIC (type 0) or Local x2APIC (type 9) structure.
struct Processor {
  std::uint8_t type;
  std::uint32_t apic_id, uid, flags;
};

/// The MADT's processors in order; any other structure fails the test (there should be none).
inline std::vector<Processor> madt_processors(const Memory& m, const Table& madt) {
  std::vector<Processor> cpus;
  for (std::uint64_t at = madt.gpa + 44; at < madt.gpa + madt.length;) {
    const auto type = m.read<std::uint8_t>(at);
    const auto length = m.read<std::uint8_t>(at + 1);
    if (type == 0) {
      REQUIRE(length == 8);
      cpus.push_back({type, m.read<std::uint8_t>(at + 3), m.read<std::uint8_t>(at + 2), m.read<std::uint32_t>(at + 4)});
    } else if (type == 9) {
      REQUIRE(length == 16);
      cpus.push_back(
          {type, m.read<std::uint32_t>(at + 4), m.read<std::uint32_t>(at + 12), m.read<std::uint32_t>(at + 8)});
    } else {
      FAIL("MADT structure of type " << int{type});
    }
    at += length;
  }
  return cpus;
}

} // namespace acpi_test

// SPDX-License-Identifier: Apache-2.0
// The simulated machine's physical memory: sparse, in 4 KiB pages that exist once written or loaded,
// little-endian as the IA-64 data the port and GCC's code use (psr.be clear).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <unordered_map>

namespace ia64sim {

class Memory {
public:
  static constexpr std::uint64_t page_size = 4096;

  /// The `size`-byte (1, 2, 4, 8) little-endian value at `address`; false when part of it was never
  /// written or loaded (the caller raises the fault).
  bool read(std::uint64_t address, unsigned size, std::uint64_t& value) const;
  /// Writes, making the pages it touches exist.
  void write(std::uint64_t address, unsigned size, std::uint64_t value);
  /// Copies `bytes` in, the rest of each page it touches reading as zero.
  void load(std::uint64_t address, const std::uint8_t* bytes, std::uint64_t length);
  /// Makes [address, address + length) exist, zero-filled where it did not.
  void reserve(std::uint64_t address, std::uint64_t length);

private:
  using Page = std::array<std::uint8_t, page_size>;
  const Page* find(std::uint64_t address) const;
  Page& at(std::uint64_t address);
  std::unordered_map<std::uint64_t, std::unique_ptr<Page>> pages_;
};

} // namespace ia64sim

// SPDX-License-Identifier: Apache-2.0
// The translation lookaside buffer (volume 2, section 4.1 "Virtual Addressing"): eight translation
// registers and a translation cache on each side, instruction and data. An entry maps the pages of
// one region ID whose virtual page number matches; purges remove every entry overlapping a range.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace ia64sim {

/// One translation: the region ID and page it maps (va: region offset bits 60:0, aligned to the page),
/// its page size, the PTE in insertion format and the ITIR's protection key.
struct Translation {
  bool valid = false;
  std::uint32_t rid = 0;
  std::uint64_t va = 0;
  unsigned page_shift = 12;
  std::uint64_t pte = 0;
  std::uint32_t key = 0;

  bool maps(std::uint32_t r, std::uint64_t offset) const {
    return valid && rid == r && (offset >> page_shift) == (va >> page_shift);
  }
  bool overlaps(std::uint32_t r, std::uint64_t offset, unsigned shift) const;
};

/// The region offset of a virtual address: bits 60:0 (bits 63:61 name the region register).
constexpr std::uint64_t region_offset(std::uint64_t va) { return va & ((std::uint64_t{1} << 61) - 1); }

class Tlb {
public:
  static constexpr unsigned registers = 8;
  static constexpr unsigned cache_entries = 128;

  /// The entry translating `offset` in region `rid`: a translation register first, else the cache.
  const Translation* find(bool instruction, std::uint32_t rid, std::uint64_t offset) const;
  /// itr: the register `slot`, replacing what it held (the caller purged overlaps first).
  void insert_register(bool instruction, unsigned slot, const Translation& t);
  /// itc and the VHPT walker: a cache entry; overlapping cache entries are purged, the oldest entry
  /// is replaced when the cache is full.
  void insert_cache(bool instruction, const Translation& t);
  /// ptc.l, ptc.g, ptc.e: the cache entries of both sides overlapping the range (`all`: every one).
  void purge_cache(std::uint32_t rid, std::uint64_t offset, unsigned shift, bool all = false);
  /// ptr.i, ptr.d: the registers and cache entries of one side overlapping the range.
  void purge_registers(bool instruction, std::uint32_t rid, std::uint64_t offset, unsigned shift);

private:
  struct Side {
    std::array<Translation, registers> tr{};
    std::vector<Translation> tc;
    unsigned next = 0; // the cache entry replaced next when full
  };
  Side& side(bool instruction) { return instruction ? i_ : d_; }
  const Side& side(bool instruction) const { return instruction ? i_ : d_; }
  Side i_, d_;
};

} // namespace ia64sim

// SPDX-License-Identifier: Apache-2.0
// ELF executables built byte by byte for the loader's tests: either class, either byte order, any program
// headers. Written from the ELF specification's field layout, independently of the parser under test, so
// that a misreading in one is not mirrored in the other.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hv::test {

using Bytes = std::vector<std::uint8_t>;

/// Stores `value` as `width` bytes at `offset`, in the given byte order; grows `out` as needed.
inline void put(Bytes& out, std::uint64_t offset, int width, std::uint64_t value, bool big_endian) {
  if (out.size() < offset + width) out.resize(offset + width);
  for (int i = 0; i < width; ++i) {
    const int shift = 8 * (big_endian ? width - 1 - i : i);
    out[offset + i] = static_cast<std::uint8_t>(value >> shift);
  }
}

/// One ELF note: namesz, descsz, type, name, desc; the desc and the note's end padded to `align` from the
/// note's start (for align 8, the 12-byte header and a 4-byte name meet the desc at 16).
inline Bytes elf_note(const std::string& name_with_nul, std::uint32_t type, const Bytes& desc, bool big_endian,
                      unsigned align = 4) {
  auto pad = [align](std::size_t n) { return (n + align - 1) / align * align; };
  Bytes out;
  put(out, 0, 4, name_with_nul.size(), big_endian);
  put(out, 4, 4, desc.size(), big_endian);
  put(out, 8, 4, type, big_endian);
  out.insert(out.end(), name_with_nul.begin(), name_with_nul.end());
  out.resize(pad(out.size()));
  out.insert(out.end(), desc.begin(), desc.end());
  out.resize(pad(out.size()));
  return out;
}

/// The Xen PHYS32_ENTRY note (type 18) holding `entry` in `width` (4 or 8) bytes.
inline Bytes xen_pvh_note(std::uint64_t entry, int width, bool big_endian) {
  Bytes desc;
  put(desc, 0, width, entry, big_endian);
  return elf_note(std::string("Xen", 4), 18, desc, big_endian);
}

class TestElf {
public:
  static constexpr std::uint32_t pt_null = 0, pt_load = 1, pt_note = 4;

  struct Phdr {
    std::uint32_t type = pt_load;
    std::uint32_t flags = 5;
    std::uint64_t paddr = 0;
    Bytes data;              // the file bytes; placed after the headers, at `align` alignment
    std::uint64_t memsz = 0; // for PT_LOAD
    std::uint64_t align = 4;
  };

  TestElf(int elf_class, bool big_endian) : elf32_(elf_class == 1), big_(big_endian) {}

  std::uint16_t type = 2; // ET_EXEC
  std::uint16_t machine = 62;
  std::uint64_t entry = 0x100000;
  std::vector<Phdr> phdrs;

  TestElf& load(std::uint64_t paddr, Bytes data, std::uint64_t memsz, std::uint32_t flags = 5) {
    phdrs.push_back({pt_load, flags, paddr, std::move(data), memsz, 4});
    return *this;
  }
  TestElf& note(Bytes notes, std::uint64_t align = 4) {
    phdrs.push_back({pt_note, 4, 0, std::move(notes), 0, align});
    return *this;
  }
  TestElf& other(std::uint32_t type_) {
    phdrs.push_back({type_, 0, 0, {}, 0, 4});
    return *this;
  }

  bool big_endian() const { return big_; }
  std::uint64_t header_size() const { return elf32_ ? 52 : 64; }
  std::uint64_t phdr_size() const { return elf32_ ? 32 : 56; }
  std::uint64_t phdr_offset(std::size_t i) const { return header_size() + i * phdr_size(); }
  int word() const { return elf32_ ? 4 : 8; }

  // Field offsets inside a program header, for tests that corrupt one.
  std::uint64_t p_offset() const { return elf32_ ? 4 : 8; }
  std::uint64_t p_paddr() const { return elf32_ ? 12 : 24; }
  std::uint64_t p_filesz() const { return elf32_ ? 16 : 32; }
  std::uint64_t p_memsz() const { return elf32_ ? 20 : 40; }
  // And in the file header.
  std::uint64_t e_phoff() const { return elf32_ ? 28 : 32; }
  std::uint64_t e_ehsize() const { return elf32_ ? 40 : 52; }
  std::uint64_t e_phentsize() const { return elf32_ ? 42 : 54; }
  std::uint64_t e_phnum() const { return elf32_ ? 44 : 56; }

  /// Where phdr `i`'s data lies in the file built by bytes().
  std::uint64_t data_offset(std::size_t i) const {
    std::uint64_t at = phdr_offset(phdrs.size());
    for (std::size_t k = 0;; ++k) {
      at = (at + phdrs[k].align - 1) / phdrs[k].align * phdrs[k].align;
      if (k == i) return at;
      at += phdrs[k].data.size();
    }
  }

  Bytes bytes() const {
    Bytes out(header_size(), 0);
    out[0] = 0x7f;
    out[1] = 'E';
    out[2] = 'L';
    out[3] = 'F';
    out[4] = elf32_ ? 1 : 2;
    out[5] = big_ ? 2 : 1;
    out[6] = 1;
    put16(out, 16, type);
    put16(out, 18, machine);
    put(out, 20, 4, 1, big_);
    putw(out, 24, entry);
    putw(out, e_phoff(), header_size());
    put16(out, e_ehsize(), header_size());
    put16(out, e_phentsize(), phdr_size());
    put16(out, e_phnum(), phdrs.size());
    for (std::size_t i = 0; i < phdrs.size(); ++i) {
      const Phdr& p = phdrs[i];
      const std::uint64_t h = phdr_offset(i);
      const std::uint64_t at = p.data.empty() && p.type != pt_note ? 0 : data_offset(i);
      put(out, h, 4, p.type, big_);
      put(out, h + (elf32_ ? 24 : 4), 4, p.flags, big_);
      putw(out, h + p_offset(), at);
      putw(out, h + (elf32_ ? 8 : 16), p.paddr); // p_vaddr: the same, as in a kernel linked at its load address
      putw(out, h + p_paddr(), p.paddr);
      putw(out, h + p_filesz(), p.data.size());
      putw(out, h + p_memsz(), p.type == pt_load ? p.memsz : 0);
      putw(out, h + (elf32_ ? 28 : 48), p.align);
    }
    out.resize(phdr_offset(phdrs.size()));
    for (std::size_t i = 0; i < phdrs.size(); ++i) {
      if (phdrs[i].data.empty()) continue;
      out.resize(data_offset(i));
      out.insert(out.end(), phdrs[i].data.begin(), phdrs[i].data.end());
    }
    return out;
  }

private:
  void put16(Bytes& out, std::uint64_t at, std::uint64_t v) const { put(out, at, 2, v, big_); }
  void putw(Bytes& out, std::uint64_t at, std::uint64_t v) const { put(out, at, word(), v, big_); }

  bool elf32_;
  bool big_;
};

/// Bytes 0, 1, 2, ... as recognisable segment contents.
inline Bytes pattern(std::size_t n, std::uint8_t seed) {
  Bytes out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(seed + i * 7);
  return out;
}

} // namespace hv::test

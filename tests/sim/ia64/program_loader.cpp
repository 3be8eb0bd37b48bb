// SPDX-License-Identifier: Apache-2.0
#include "program_loader.hpp"

#include <cstring>
#include <elf.h>

namespace ia64sim {

std::uint64_t load_program(const std::vector<std::uint8_t>& image, Memory& memory, std::string& error) {
  Elf64_Ehdr header;
  if (image.size() < sizeof header) {
    error = "shorter than an ELF header";
    return 0;
  }
  std::memcpy(&header, image.data(), sizeof header);
  if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64 ||
      header.e_ident[EI_DATA] != ELFDATA2LSB || header.e_machine != EM_IA_64 || header.e_type != ET_EXEC) {
    error = "not a little-endian ELF64 executable for IA-64";
    return 0;
  }
  if (header.e_phentsize != sizeof(Elf64_Phdr) || header.e_phoff > image.size() ||
      header.e_phnum > (image.size() - header.e_phoff) / sizeof(Elf64_Phdr)) {
    error = "its program headers lie outside the file";
    return 0;
  }
  for (unsigned i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr p;
    std::memcpy(&p, image.data() + header.e_phoff + i * sizeof p, sizeof p);
    if (p.p_type != PT_LOAD) continue;
    if (p.p_offset > image.size() || p.p_filesz > image.size() - p.p_offset || p.p_filesz > p.p_memsz) {
      error = "a segment lies outside the file";
      return 0;
    }
    memory.reserve(p.p_paddr, p.p_memsz);
    memory.load(p.p_paddr, image.data() + p.p_offset, p.p_filesz);
  }
  return header.e_entry;
}

} // namespace ia64sim

// SPDX-License-Identifier: Apache-2.0
#include "elf_sections.hpp"

#include <cstring>
#include <elf.h>

namespace ia64sim {

std::vector<CodeSection> code_sections(const std::vector<std::uint8_t>& image, std::string& error) {
  Elf64_Ehdr header;
  if (image.size() < sizeof header) {
    error = "shorter than an ELF header";
    return {};
  }
  std::memcpy(&header, image.data(), sizeof header);
  if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64 ||
      header.e_ident[EI_DATA] != ELFDATA2LSB || header.e_machine != EM_IA_64) {
    error = "not a little-endian ELF64 file for IA-64";
    return {};
  }
  if (header.e_shentsize != sizeof(Elf64_Shdr) || header.e_shoff > image.size() ||
      header.e_shnum > (image.size() - header.e_shoff) / sizeof(Elf64_Shdr)) {
    error = "its section headers lie outside the file";
    return {};
  }
  std::vector<Elf64_Shdr> sections(header.e_shnum);
  if (header.e_shnum != 0)
    std::memcpy(sections.data(), image.data() + header.e_shoff, header.e_shnum * sizeof(Elf64_Shdr));
  const Elf64_Shdr* names = header.e_shstrndx < sections.size() ? &sections[header.e_shstrndx] : nullptr;
  std::vector<CodeSection> code;
  for (const Elf64_Shdr& s : sections) {
    if ((s.sh_flags & SHF_EXECINSTR) == 0 || s.sh_type != SHT_PROGBITS) continue;
    if (s.sh_offset > image.size() || s.sh_size > image.size() - s.sh_offset) {
      error = "a code section lies outside the file";
      return {};
    }
    std::string name;
    if (names != nullptr && names->sh_offset < image.size() && s.sh_name < image.size() - names->sh_offset) {
      const auto* p = reinterpret_cast<const char*>(image.data() + names->sh_offset + s.sh_name);
      name.assign(p, strnlen(p, image.size() - names->sh_offset - s.sh_name));
    }
    code.push_back({name,
                    s.sh_addr,
                    {image.begin() + static_cast<std::ptrdiff_t>(s.sh_offset),
                     image.begin() + static_cast<std::ptrdiff_t>(s.sh_offset + s.sh_size)}});
  }
  return code;
}

} // namespace ia64sim

// SPDX-License-Identifier: Apache-2.0
// ia64-disasm: prints the bundles of an IA-64 ELF file's code sections (or of a raw file of bundles),
// one line per instruction, "<address>\t<text>", with the text as GNU objdump -d writes it.
//   ia64-disasm FILE.elf
//   ia64-disasm --raw FILE [BASE]     a file of bundles, the first at BASE (hex, default 0)
#include "disassemble.hpp"
#include "elf_sections.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

void print(const std::vector<std::uint8_t>& bytes, std::uint64_t base) {
  for (std::size_t offset = 0; offset + 16 <= bytes.size(); offset += 16) {
    const auto bundle = ia64sim::Bundle::from_bytes(bytes.data() + offset);
    for (const auto& line : ia64sim::disassemble_bundle(bundle, base + offset))
      std::printf("%llx\t%s\n", static_cast<unsigned long long>(line.address), line.text.c_str());
  }
}

} // namespace

int main(int argc, char** argv) {
  const bool raw = argc >= 3 && std::strcmp(argv[1], "--raw") == 0;
  if (argc < 2 || (raw && argc > 4) || (!raw && argc != 2)) {
    std::fprintf(stderr, "usage: ia64-disasm FILE.elf | ia64-disasm --raw FILE [BASE]\n");
    return 2;
  }
  const char* path = raw ? argv[2] : argv[1];
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "ia64-disasm: cannot read %s\n", path);
    return 1;
  }
  const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  if (raw) {
    print(bytes, argc == 4 ? std::strtoull(argv[3], nullptr, 16) : 0);
    return 0;
  }
  std::string error;
  const auto sections = ia64sim::code_sections(bytes, error);
  if (!error.empty()) {
    std::fprintf(stderr, "ia64-disasm: %s: %s\n", path, error.c_str());
    return 1;
  }
  for (const auto& s : sections) print(s.bytes, s.address);
  return 0;
}

// SPDX-License-Identifier: Apache-2.0
// Writes the ELF images the example domain descriptions embed with /incbin/ (tests/unit/loader/meson.build
// runs it at build time; tests/fuzz/run seeds fuzz-elf with its output):
//   ping.elf  ELF32 little-endian, text + data + bss, with the Xen PHYS32_ENTRY note
//   pong.elf  ELF64 big-endian, text + bss, no note
//   notes.elf ELF64 little-endian, an 8-aligned note segment (GNU property, then Xen's 8-byte entry)
// Usage: make-test-elfs <directory>
#include "test_elf.hpp"

#include <cstdio>
#include <fstream>
#include <string>

namespace {

bool write(const std::string& path, const hv::test::Bytes& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <directory>\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];

  hv::test::TestElf ping(1, false);
  ping.machine = 3; // EM_386
  ping.entry = 0x100000;
  ping.load(0x100000, hv::test::pattern(512, 1), 512, 5)
      .load(0x101000, hv::test::pattern(64, 2), 0x3000, 6)
      .note(hv::test::xen_pvh_note(0x100010, 4, false));

  hv::test::TestElf pong(2, true);
  pong.machine = 21; // EM_PPC64
  pong.entry = 0x10000;
  pong.load(0x10000, hv::test::pattern(256, 3), 256, 5).load(0x20000, {}, 0x1000, 6);

  hv::test::TestElf notes(2, false);
  hv::test::Bytes list = hv::test::elf_note(std::string("GNU", 4), 5, hv::test::pattern(12, 4), false, 8);
  hv::test::Bytes entry;
  hv::test::put(entry, 0, 8, 0x200010, false);
  const hv::test::Bytes xen = hv::test::elf_note(std::string("Xen", 4), 18, entry, false, 8);
  list.insert(list.end(), xen.begin(), xen.end());
  notes.load(0x200000, hv::test::pattern(128, 5), 0x2000, 7).note(list, 8);

  if (!write(dir + "/ping.elf", ping.bytes()) || !write(dir + "/pong.elf", pong.bytes()) ||
      !write(dir + "/notes.elf", notes.bytes())) {
    std::fprintf(stderr, "make-test-elfs: cannot write to %s\n", dir.c_str());
    return 1;
  }
  return 0;
}

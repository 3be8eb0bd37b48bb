// SPDX-License-Identifier: Apache-2.0
#include <hv/loader/elf_image.hpp>

#include "test_elf.hpp"

#include <catch2/catch_test_macros.hpp>

#include <cstring>
#include <functional>
#include <map>
#include <string>

using hv::test::Bytes;
using hv::test::pattern;
using hv::test::put;
using hv::test::TestElf;
using hv::test::xen_pvh_note;

namespace {

/// Guest memory that records every write, and can be told to refuse one.
struct Recorder {
  struct Write {
    std::uint64_t gpa;
    Bytes bytes;
  };
  std::vector<Write> writes;
  int refuse_at = -1; // the index of the write to refuse

  static bool write(void* context, std::uint64_t gpa, const void* src, std::size_t len) {
    auto& self = *static_cast<Recorder*>(context);
    if (static_cast<int>(self.writes.size()) == self.refuse_at) return false;
    const auto* p = static_cast<const std::uint8_t*>(src);
    self.writes.push_back({gpa, Bytes(p, p + len)});
    return true;
  }
};

struct Parsed {
  bool ok;
  hv::ElfImage image;
  std::string error;
};

/// Parses from a heap buffer of exactly the image's size (so ASan sees any read past it), at an odd
/// address (so a read that assumed alignment would show up under UBSan).
Parsed parse(const Bytes& bytes) {
  std::vector<std::uint8_t> storage(bytes.size() + 1);
  if (!bytes.empty()) std::memcpy(storage.data() + 1, bytes.data(), bytes.size());
  Bytes exact(storage.begin() + 1, storage.end());
  Parsed p{};
  const char* error = nullptr;
  p.ok = hv::parse_elf(exact.empty() ? nullptr : exact.data(), exact.size(), p.image, error);
  if (!p.ok) p.error = error != nullptr ? error : "(null)";
  return p;
}

std::string parse_error(const Bytes& bytes) {
  auto p = parse(bytes);
  return p.ok ? "(accepted)" : p.error;
}

/// The kernel the good-path tests use, in any class and byte order: text, data with bss, bss alone.
TestElf sample(int elf_class, bool big_endian) {
  TestElf elf(elf_class, big_endian);
  elf.entry = 0x100040;
  elf.other(0x6474e551); // PT_GNU_STACK: not loaded, not an error
  elf.load(0x100000, pattern(300, 1), 300, 5);
  elf.load(0x200000, pattern(100, 2), 0x1000, 6);
  elf.load(0x300000, {}, 0x2000, 6);
  return elf;
}

void same_image(const hv::ElfImage& a, const hv::ElfImage& b) {
  CHECK(a.elf_class == b.elf_class);
  CHECK(a.machine == b.machine);
  CHECK(a.entry == b.entry);
  CHECK(a.pvh_entry == b.pvh_entry);
  CHECK(a.lowest_paddr == b.lowest_paddr);
  CHECK(a.highest_paddr_end == b.highest_paddr_end);
  REQUIRE(a.segment_count == b.segment_count);
  for (std::size_t i = 0; i < a.segment_count; ++i) {
    CHECK(a.segments[i].offset == b.segments[i].offset);
    CHECK(a.segments[i].file_size == b.segments[i].file_size);
    CHECK(a.segments[i].memory_size == b.segments[i].memory_size);
    CHECK(a.segments[i].paddr == b.segments[i].paddr);
    CHECK(a.segments[i].flags == b.segments[i].flags);
  }
}

} // namespace

TEST_CASE("an ELF32 little-endian kernel: fields, segments in file order, extent") {
  const TestElf elf = sample(1, false);
  const auto p = parse(elf.bytes());
  REQUIRE(p.ok);
  CHECK(p.image.elf_class == 1);
  CHECK(p.image.data == 1);
  CHECK(p.image.machine == 62);
  CHECK(p.image.entry == 0x100040);
  CHECK(p.image.pvh_entry == 0);
  REQUIRE(p.image.segment_count == 3);
  CHECK(p.image.segments[0].paddr == 0x100000);
  CHECK(p.image.segments[0].offset == elf.data_offset(1));
  CHECK(p.image.segments[0].file_size == 300);
  CHECK(p.image.segments[0].memory_size == 300);
  CHECK(p.image.segments[0].flags == 5);
  CHECK(p.image.segments[1].paddr == 0x200000);
  CHECK(p.image.segments[1].file_size == 100);
  CHECK(p.image.segments[1].memory_size == 0x1000);
  CHECK(p.image.segments[1].flags == 6);
  CHECK(p.image.segments[2].file_size == 0);
  CHECK(p.image.segments[2].offset == 0);
  CHECK(p.image.lowest_paddr == 0x100000);
  CHECK(p.image.highest_paddr_end == 0x302000);
}

TEST_CASE("both byte orders of either class give the same image") {
  for (int elf_class : {1, 2}) {
    INFO("class " << elf_class);
    const auto little = parse(sample(elf_class, false).bytes());
    const auto big = parse(sample(elf_class, true).bytes());
    REQUIRE(little.ok);
    REQUIRE(big.ok);
    CHECK(little.image.data == 1);
    CHECK(big.image.data == 2);
    same_image(little.image, big.image);
  }
}

TEST_CASE("an ELF64 big-endian image with 64-bit addresses keeps every bit") {
  TestElf elf(2, true);
  elf.entry = 0xc000000000001000;
  elf.load(0x0000000123456000, pattern(64, 3), 0x10000);
  const auto p = parse(elf.bytes());
  REQUIRE(p.ok);
  CHECK(p.image.entry == 0xc000000000001000);
  CHECK(p.image.segments[0].paddr == 0x0000000123456000);
  CHECK(p.image.highest_paddr_end == 0x0000000123466000);
}

TEST_CASE("the Xen PHYS32_ENTRY note gives the PVH entry, 4 or 8 bytes, either byte order") {
  for (bool big : {false, true}) {
    for (int width : {4, 8}) {
      INFO((big ? "big" : "little") << "-endian, " << width << "-byte note");
      TestElf elf(width == 4 ? 1 : 2, big);
      // Other notes around it, Xen's of other types included, are skipped.
      Bytes notes = hv::test::elf_note(std::string("GNU", 4), 3, pattern(20, 9), big);
      Bytes xen_other = hv::test::elf_note(std::string("Xen", 4), 6, pattern(7, 4), big); // XEN_ELFNOTE_LOADER
      notes.insert(notes.end(), xen_other.begin(), xen_other.end());
      Bytes pvh = xen_pvh_note(0x10000c, width, big);
      notes.insert(notes.end(), pvh.begin(), pvh.end());
      elf.load(0x100000, pattern(64, 1), 64).note(notes);
      const auto p = parse(elf.bytes());
      REQUIRE(p.ok);
      CHECK(p.image.pvh_entry == 0x10000c);
    }
  }
}

TEST_CASE("an 8-aligned note segment (.note.gnu.property) is walked with 8-byte padding") {
  TestElf elf(2, false);
  // A 12-byte descriptor: the next note starts at 32, where a 4-byte walk would look at 28.
  Bytes notes = hv::test::elf_note(std::string("GNU", 4), 5, pattern(12, 1), false, 8);
  Bytes entry;
  put(entry, 0, 4, 0x100020, false);
  const Bytes pvh = hv::test::elf_note(std::string("Xen", 4), 18, entry, false, 8);
  notes.insert(notes.end(), pvh.begin(), pvh.end());
  REQUIRE(notes.size() == 56);
  elf.load(0x100000, pattern(64, 1), 64).note(notes, 8);
  const auto p = parse(elf.bytes());
  REQUIRE(p.ok);
  CHECK(p.image.pvh_entry == 0x100020);
}

TEST_CASE("load_elf writes each segment's file bytes at its paddr, and nothing of the bss") {
  for (bool big : {false, true}) {
    const Bytes bytes = sample(2, big).bytes();
    const auto p = parse(bytes);
    REQUIRE(p.ok);
    Recorder memory;
    const char* error = nullptr;
    REQUIRE(hv::load_elf(p.image, bytes.data(), 0x400000, Recorder::write, &memory, error));
    // Two writes: text (300 bytes) and data (100 of its 0x1000); the bss-only segment writes nothing.
    REQUIRE(memory.writes.size() == 2);
    CHECK(memory.writes[0].gpa == 0x100000);
    CHECK(memory.writes[0].bytes == pattern(300, 1));
    CHECK(memory.writes[1].gpa == 0x200000);
    CHECK(memory.writes[1].bytes == pattern(100, 2));
  }
}

TEST_CASE("a segment past the domain's memory fails before anything is written") {
  const Bytes bytes = sample(1, false).bytes();
  const auto p = parse(bytes);
  REQUIRE(p.ok);
  Recorder memory;
  const char* error = nullptr;
  // The last segment (bss only, [0x300000, 0x302000)) is one byte too long for this memory.
  CHECK_FALSE(hv::load_elf(p.image, bytes.data(), 0x301fff, Recorder::write, &memory, error));
  CHECK(std::string(error) == "ELF: loadable segment 2 does not fit in the domain's memory");
  CHECK(memory.writes.empty());
  // Exactly enough is enough.
  CHECK(hv::load_elf(p.image, bytes.data(), 0x302000, Recorder::write, &memory, error));
}

TEST_CASE("a refused write is reported with the segment's number") {
  const Bytes bytes = sample(2, false).bytes();
  const auto p = parse(bytes);
  REQUIRE(p.ok);
  Recorder memory;
  memory.refuse_at = 1;
  const char* error = nullptr;
  CHECK_FALSE(hv::load_elf(p.image, bytes.data(), 1u << 30, Recorder::write, &memory, error));
  CHECK(std::string(error) == "ELF: loadable segment 1 could not be written to guest memory");
  CHECK(memory.writes.size() == 1);

  hv::ElfImage empty;
  CHECK_FALSE(hv::load_elf(empty, bytes.data(), 1u << 30, Recorder::write, &memory, error));
  CHECK(std::string(error) == "ELF: load_elf was given no parsed image, no bytes or no writer");
}

TEST_CASE("every malformed header is named") {
  const TestElf elf64 = sample(2, false);
  const TestElf elf32 = sample(1, true);
  struct Case {
    const char* expected;
    const TestElf* elf;
    std::function<void(Bytes&)> corrupt;
  };
  auto put_field = [](const TestElf& e, std::uint64_t at, int width, std::uint64_t v) {
    return [&e, at, width, v](Bytes& b) { put(b, at, width, v, e.big_endian()); };
  };
  const std::vector<Case> cases = {
      {"ELF: the image is empty", &elf64, [](Bytes& b) { b.clear(); }},
      {"ELF: bad magic", &elf64, [](Bytes& b) { b[1] = 'e'; }},
      {"ELF: bad magic", &elf64, [](Bytes& b) { b.resize(3); }},
      {"ELF: the file ends inside the ELF header", &elf64, [](Bytes& b) { b.resize(10); }},
      {"ELF: the file ends inside the ELF header", &elf64, [](Bytes& b) { b.resize(60); }},
      {"ELF: the file ends inside the ELF header", &elf32, [](Bytes& b) { b.resize(51); }},
      {"ELF: class (EI_CLASS) is neither ELF32 nor ELF64", &elf64, [](Bytes& b) { b[4] = 3; }},
      {"ELF: byte order (EI_DATA) is neither little- nor big-endian", &elf64, [](Bytes& b) { b[5] = 0; }},
      {"ELF: version (EI_VERSION) is not 1", &elf64, [](Bytes& b) { b[6] = 2; }},
      {"ELF: not an executable (e_type is not ET_EXEC)", &elf64, put_field(elf64, 16, 2, 3)},
      {"ELF: not an executable (e_type is not ET_EXEC)", &elf32, put_field(elf32, 16, 2, 1)},
      {"ELF: version (e_version) is not 1", &elf32, put_field(elf32, 20, 4, 0)},
      {"ELF: e_ehsize is smaller than the class's header or larger than the file", &elf32,
       put_field(elf32, elf32.e_ehsize(), 2, 51)},
      {"ELF: e_ehsize is smaller than the class's header or larger than the file", &elf64,
       put_field(elf64, elf64.e_ehsize(), 2, 0xfff0)},
      {"ELF: no program headers", &elf64, put_field(elf64, elf64.e_phnum(), 2, 0)},
      {"ELF: extended program header numbering (PN_XNUM) is not supported", &elf64,
       put_field(elf64, elf64.e_phnum(), 2, 0xffff)},
      {"ELF: e_phentsize is smaller than a program header", &elf64, put_field(elf64, elf64.e_phentsize(), 2, 32)},
      {"ELF: e_phentsize is smaller than a program header", &elf32, put_field(elf32, elf32.e_phentsize(), 2, 31)},
      {"ELF: the program headers run past the end of the file", &elf64,
       put_field(elf64, elf64.e_phoff(), 8, 0xfffffffffffffff0)},
      {"ELF: the program headers run past the end of the file", &elf32, put_field(elf32, elf32.e_phnum(), 2, 200)},
      {"ELF: segment 2 runs past the end of the file", &elf64,
       put_field(elf64, elf64.phdr_offset(2) + elf64.p_offset(), 8, 0x10000)},
      {"ELF: segment 1 runs past the end of the file", &elf32,
       put_field(elf32, elf32.phdr_offset(1) + elf32.p_offset(), 4, 0xffffff00)},
      {"ELF: segment 2 is larger in the file than in memory", &elf64,
       put_field(elf64, elf64.phdr_offset(2) + elf64.p_memsz(), 8, 99)},
      {"ELF: segment 1 wraps around the address space", &elf32,
       put_field(elf32, elf32.phdr_offset(1) + elf32.p_paddr(), 4, 0xffffff00)},
      {"ELF: segment 3 wraps around the address space", &elf64,
       put_field(elf64, elf64.phdr_offset(3) + elf64.p_paddr(), 8, 0xffffffffffffe000)},
  };
  for (const Case& c : cases) {
    Bytes bytes = c.elf->bytes();
    c.corrupt(bytes);
    CHECK(parse_error(bytes) == c.expected);
  }
}

TEST_CASE("an ELF32 segment may end exactly at 4 GiB, an ELF64 one just below 2^64") {
  TestElf elf32(1, false);
  elf32.load(0xfffff000, {}, 0x1000);
  auto p = parse(elf32.bytes());
  REQUIRE(p.ok);
  CHECK(p.image.highest_paddr_end == 0x100000000);

  TestElf elf64(2, false);
  elf64.load(0xfffffffffffff000, {}, 0xfff);
  CHECK(parse(elf64.bytes()).ok);
  elf64.phdrs[0].memsz = 0x1000; // would end at 2^64, which no u64 holds
  CHECK(parse_error(elf64.bytes()) == "ELF: segment 0 wraps around the address space");
}

TEST_CASE("loadable segments: empty ones are skipped, at least one and at most 16 are required") {
  TestElf none(2, false);
  none.note(xen_pvh_note(1, 4, false)).load(0x1000, {}, 0);
  CHECK(parse_error(none.bytes()) == "ELF: no loadable segment");

  TestElf sixteen(1, false);
  sixteen.load(0x5000, {}, 0); // no memory: not counted
  for (int i = 0; i < 16; ++i) sixteen.load(0x100000 + i * 0x1000, pattern(8, static_cast<std::uint8_t>(i)), 0x1000);
  auto p = parse(sixteen.bytes());
  REQUIRE(p.ok);
  CHECK(p.image.segment_count == 16);
  CHECK(p.image.segments[15].paddr == 0x10f000);

  sixteen.load(0x200000, {}, 0x1000);
  CHECK(parse_error(sixteen.bytes()) == "ELF: more than 16 loadable segments");
}

TEST_CASE("segments from the 16th program header on share one message") {
  TestElf elf(2, false);
  for (int i = 0; i < 20; ++i) elf.other(TestElf::pt_null);
  elf.load(0x100000, pattern(16, 1), 16);
  Bytes bytes = elf.bytes();
  put(bytes, elf.phdr_offset(20) + elf.p_filesz(), 8, 0x100000, false);
  put(bytes, elf.phdr_offset(20) + elf.p_memsz(), 8, 0x100000, false);
  CHECK(parse_error(bytes) == "ELF: segment 16 or later runs past the end of the file");
}

TEST_CASE("malformed notes are errors") {
  const bool big = true;
  auto with_notes = [&](const Bytes& notes) {
    TestElf elf(2, big);
    elf.load(0x100000, pattern(64, 1), 64).note(notes);
    return elf.bytes();
  };
  Bytes truncated_header = xen_pvh_note(1, 4, big);
  truncated_header.resize(truncated_header.size() + 8); // a second note's header, cut short
  CHECK(parse_error(with_notes(truncated_header)) == "ELF: note segment 1 is malformed: a note runs past its end");

  Bytes long_name = xen_pvh_note(1, 4, big);
  put(long_name, 0, 4, 0xfffffffd, big); // namesz: padded, it would wrap a 32-bit sum
  CHECK(parse_error(with_notes(long_name)) == "ELF: note segment 1 is malformed: a note runs past its end");

  Bytes long_desc = xen_pvh_note(1, 4, big);
  put(long_desc, 4, 4, 9, big);
  CHECK(parse_error(with_notes(long_desc)) == "ELF: note segment 1 is malformed: a note runs past its end");

  Bytes odd = hv::test::elf_note(std::string("Xen", 4), 18, pattern(2, 0), big);
  CHECK(parse_error(with_notes(odd)) == "ELF: the Xen PHYS32_ENTRY note is not 4 or 8 bytes");

  Bytes twice = xen_pvh_note(1, 4, big);
  const Bytes again = xen_pvh_note(2, 8, big);
  twice.insert(twice.end(), again.begin(), again.end());
  CHECK(parse_error(with_notes(twice)) == "ELF: two Xen PHYS32_ENTRY notes");

  // The note segment itself outside the file.
  TestElf elf(1, false);
  elf.load(0x100000, pattern(64, 1), 64).note(xen_pvh_note(1, 4, false));
  Bytes bytes = elf.bytes();
  put(bytes, elf.phdr_offset(1) + elf.p_filesz(), 4, 0x1000, false);
  CHECK(parse_error(bytes) == "ELF: segment 1 runs past the end of the file");

  // The last note's padding may be cut off by the end of the segment.
  TestElf unpadded(2, false);
  Bytes note = hv::test::elf_note(std::string("Xen", 4), 18, pattern(4, 0), false);
  Bytes extra = hv::test::elf_note(std::string("Foo", 4), 1, pattern(3, 0), false);
  note.insert(note.end(), extra.begin(), extra.end() - 1);
  unpadded.load(0x100000, pattern(64, 1), 64).note(note);
  CHECK(parse(unpadded.bytes()).ok);
}

TEST_CASE("every truncation of a good image is rejected without reading past it") {
  for (int elf_class : {1, 2}) {
    TestElf elf = sample(elf_class, elf_class == 2);
    elf.note(xen_pvh_note(0x100000, elf_class == 1 ? 4 : 8, elf_class == 2));
    const Bytes full = elf.bytes();
    REQUIRE(parse(full).ok);
    std::map<std::string, int> messages;
    for (std::size_t n = 0; n < full.size(); ++n) {
      const auto p = parse(Bytes(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n)));
      CHECK_FALSE(p.ok);
      ++messages[p.error];
    }
    CHECK(messages.size() >= 5);
  }
}

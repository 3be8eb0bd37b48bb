// SPDX-License-Identifier: Apache-2.0
// Parsing and loading guest ELF images. See hv/loader/elf_image.hpp.
#include "numbered_messages.hpp"

#include <hv/loader/elf_image.hpp>

namespace hv {
namespace {

using loader_detail::numbered;

constexpr u32 pt_load = 1;
constexpr u32 pt_note = 4;
constexpr u64 et_exec = 2;
constexpr u64 ev_current = 1;
constexpr u64 pn_xnum = 0xffff;
constexpr u64 xen_elfnote_phys32_entry = 18;
constexpr usize ei_nident = 16;

constexpr auto past_end = numbered<ElfImage::max_segments>("ELF: segment ", " runs past the end of the file");
constexpr auto file_over_memory =
    numbered<ElfImage::max_segments>("ELF: segment ", " is larger in the file than in memory");
constexpr auto wraps = numbered<ElfImage::max_segments>("ELF: segment ", " wraps around the address space");
constexpr auto bad_note =
    numbered<ElfImage::max_segments>("ELF: note segment ", " is malformed: a note runs past its end");
constexpr auto does_not_fit =
    numbered<ElfImage::max_segments>("ELF: loadable segment ", " does not fit in the domain's memory");
constexpr auto write_failed =
    numbered<ElfImage::max_segments>("ELF: loadable segment ", " could not be written to guest memory");

/// Where the fields sit in each class; everything else about the two classes is the same.
struct Layout {
  u64 header_size, phdr_size, word;
  u64 e_entry, e_phoff, e_ehsize, e_phentsize, e_phnum;
  u64 p_flags, p_offset, p_paddr, p_filesz, p_memsz, p_align;
};
constexpr Layout elf32{52, 32, 4, 24, 28, 40, 42, 44, 24, 4, 12, 16, 20, 28};
constexpr Layout elf64{64, 56, 8, 24, 32, 52, 54, 56, 4, 8, 24, 32, 40, 48};

/// Fields of the image in its own byte order, a byte at a time: the image may sit at any alignment and
/// need not be in the hypervisor's byte order. Callers check the bounds before reading.
struct Fields {
  const u8* bytes;
  bool big_endian;

  u64 read(u64 offset, u64 width) const {
    u64 value = 0;
    for (u64 i = 0; i < width; ++i) value = (value << 8) | bytes[offset + (big_endian ? i : width - 1 - i)];
    return value;
  }
};

bool fail(const char*& error, const char* message) {
  error = message;
  return false;
}

bool within(u64 offset, u64 length, u64 size) { return offset <= size && length <= size - offset; }

/// Walks the notes of the PT_NOTE segment at [offset, offset+length) (inside the file) for the Xen
/// PHYS32_ENTRY note. Each note's descriptor and the next note start at the segment's alignment from the
/// segment's start: 8 for the segments newer toolchains emit for .note.gnu.property, 4 otherwise.
bool scan_notes(const Fields& f, u64 offset, u64 length, u64 align, usize index, ElfImage& out, bool& seen,
                const char*& error) {
  u64 pos = 0; // from the segment's start
  while (pos != length) {
    if (length - pos < 12) return fail(error, bad_note[index]);
    const u64 name_size = f.read(offset + pos, 4);
    const u64 desc_size = f.read(offset + pos + 4, 4);
    const u64 type = f.read(offset + pos + 8, 4);
    const u64 name = pos + 12;
    if (name_size > length - name) return fail(error, bad_note[index]);
    // The last note's padding may be cut off by the segment's end; nothing follows it to misplace.
    u64 desc = align_up(name + name_size, align);
    if (desc > length) desc = length;
    if (desc_size > length - desc) return fail(error, bad_note[index]);
    const u64 next = align_up(desc + desc_size, align);
    pos = next < length ? next : length;

    const u8* n = f.bytes + offset + name;
    const bool xen = name_size == 4 && n[0] == 'X' && n[1] == 'e' && n[2] == 'n' && n[3] == '\0';
    if (!xen || type != xen_elfnote_phys32_entry) continue;
    if (desc_size != 4 && desc_size != 8) return fail(error, "ELF: the Xen PHYS32_ENTRY note is not 4 or 8 bytes");
    if (seen) return fail(error, "ELF: two Xen PHYS32_ENTRY notes");
    seen = true;
    out.pvh_entry = f.read(offset + desc, desc_size);
  }
  return true;
}

/// Checks the PT_LOAD at program header `index` and, when it occupies memory, appends it to `out`.
bool add_load(const Fields& f, const Layout& l, u64 phdr, u64 size, usize index, ElfImage& out, const char*& error) {
  ElfSegment s{f.read(phdr + l.p_offset, l.word), f.read(phdr + l.p_filesz, l.word), f.read(phdr + l.p_memsz, l.word),
               f.read(phdr + l.p_paddr, l.word), static_cast<u32>(f.read(phdr + l.p_flags, 4))};
  if (s.file_size > s.memory_size) return fail(error, file_over_memory[index]);
  if (s.memory_size == 0) return true;
  if (s.file_size == 0) s.offset = 0; // bss only: where the file says it starts is never read
  if (!within(s.offset, s.file_size, size)) return fail(error, past_end[index]);
  // An ELF32 segment must fit below 4 GiB; an ELF64 one must end at a representable address.
  const u64 limit = l.word == 4 ? u64{1} << 32 : ~u64{0};
  if (s.memory_size > limit - s.paddr) return fail(error, wraps[index]);
  if (out.segment_count == ElfImage::max_segments) return fail(error, "ELF: more than 16 loadable segments");
  static_assert(ElfImage::max_segments == 16, "the message above names the limit");

  const u64 end = s.paddr + s.memory_size;
  if (out.segment_count == 0 || s.paddr < out.lowest_paddr) out.lowest_paddr = s.paddr;
  if (end > out.highest_paddr_end) out.highest_paddr_end = end;
  out.segments[out.segment_count++] = s;
  return true;
}

} // namespace

bool parse_elf(const u8* bytes, usize size, ElfImage& out, const char*& error) {
  out = ElfImage{};
  if (bytes == nullptr || size == 0) return fail(error, "ELF: the image is empty");
  if (size < 4 || bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F')
    return fail(error, "ELF: bad magic");
  if (size < ei_nident) return fail(error, "ELF: the file ends inside the ELF header");
  out.elf_class = bytes[4];
  out.data = bytes[5];
  if (out.elf_class != 1 && out.elf_class != 2) return fail(error, "ELF: class (EI_CLASS) is neither ELF32 nor ELF64");
  if (out.data != 1 && out.data != 2) return fail(error, "ELF: byte order (EI_DATA) is neither little- nor big-endian");
  if (bytes[6] != ev_current) return fail(error, "ELF: version (EI_VERSION) is not 1");
  const Layout& l = out.elf_class == 1 ? elf32 : elf64;
  if (size < l.header_size) return fail(error, "ELF: the file ends inside the ELF header");

  const Fields f{bytes, out.data == 2};
  if (f.read(16, 2) != et_exec) return fail(error, "ELF: not an executable (e_type is not ET_EXEC)");
  out.machine = static_cast<u16>(f.read(18, 2));
  if (f.read(20, 4) != ev_current) return fail(error, "ELF: version (e_version) is not 1");
  out.entry = f.read(l.e_entry, l.word);
  const u64 ehsize = f.read(l.e_ehsize, 2);
  if (ehsize < l.header_size || ehsize > size)
    return fail(error, "ELF: e_ehsize is smaller than the class's header or larger than the file");

  const u64 phoff = f.read(l.e_phoff, l.word);
  const u64 phentsize = f.read(l.e_phentsize, 2);
  const u64 phnum = f.read(l.e_phnum, 2);
  if (phnum == 0) return fail(error, "ELF: no program headers");
  if (phnum == pn_xnum) return fail(error, "ELF: extended program header numbering (PN_XNUM) is not supported");
  if (phentsize < l.phdr_size) return fail(error, "ELF: e_phentsize is smaller than a program header");
  if (!within(phoff, phnum * phentsize, size))
    return fail(error, "ELF: the program headers run past the end of the file");

  bool pvh_seen = false;
  for (u64 i = 0; i < phnum; ++i) {
    const u64 phdr = phoff + i * phentsize;
    const u32 type = static_cast<u32>(f.read(phdr, 4));
    const auto index = static_cast<usize>(i);
    if (type == pt_load && !add_load(f, l, phdr, size, index, out, error)) return false;
    if (type == pt_note) {
      const u64 offset = f.read(phdr + l.p_offset, l.word);
      const u64 length = f.read(phdr + l.p_filesz, l.word);
      if (!within(offset, length, size)) return fail(error, past_end[index]);
      const u64 align = f.read(phdr + l.p_align, l.word) == 8 ? 8 : 4;
      if (!scan_notes(f, offset, length, align, index, out, pvh_seen, error)) return false;
    }
  }
  if (out.segment_count == 0) return fail(error, "ELF: no loadable segment");
  return true;
}

bool load_elf(const ElfImage& image, const u8* bytes, u64 memory_bytes, GuestWrite write, void* context,
              const char*& error) {
  if (image.segment_count == 0 || image.segment_count > ElfImage::max_segments || bytes == nullptr || write == nullptr)
    return fail(error, "ELF: load_elf was given no parsed image, no bytes or no writer");
  for (usize i = 0; i < image.segment_count; ++i) {
    const ElfSegment& s = image.segments[i];
    if (!within(s.paddr, s.memory_size, memory_bytes)) return fail(error, does_not_fit[i]);
  }
  for (usize i = 0; i < image.segment_count; ++i) {
    const ElfSegment& s = image.segments[i];
    if (s.file_size == 0) continue;
    if (!write(context, s.paddr, bytes + s.offset, static_cast<usize>(s.file_size)))
      return fail(error, write_failed[i]);
  }
  return true;
}

} // namespace hv

// SPDX-License-Identifier: Apache-2.0
// A guest's kernel as an ELF executable: what the domain builder needs from it (where each loadable
// segment goes, the entry points), and copying it into guest memory.
//
// The image is untrusted input (it comes from a boot module that anyone building a description can fill),
// so parsing checks every field it uses before using it, and never trusts the file to be aligned or to be
// in the hypervisor's byte order: a little-endian hypervisor may boot a big-endian guest and vice versa.
#pragma once

#include <hv/types.hpp>

namespace hv {

/// One PT_LOAD program header, widened to 64 bits whatever the image's class.
struct ElfSegment {
  u64 offset;      ///< p_offset; 0 when file_size is 0, so that bytes + offset is always inside the image
  u64 file_size;   ///< p_filesz
  u64 memory_size; ///< p_memsz (>= file_size)
  u64 paddr;       ///< p_paddr: where it goes in guest-physical memory
  u32 flags;       ///< p_flags (PF_X 1, PF_W 2, PF_R 4)
};

struct ElfImage {
  static constexpr usize max_segments = 16;
  u8 elf_class = 0;  ///< EI_CLASS: 1 ELF32, 2 ELF64
  u8 data = 0;       ///< EI_DATA: 1 little-endian, 2 big-endian
  u16 machine = 0;   ///< e_machine
  u64 entry = 0;     ///< e_entry
  u64 pvh_entry = 0; ///< value of the "Xen" note of type 18 (XEN_ELFNOTE_PHYS32_ENTRY), 0 when absent
  ElfSegment segments[max_segments] = {}; ///< PT_LOAD segments with memory_size > 0, in file order
  usize segment_count = 0;
  u64 lowest_paddr = 0; ///< of the loaded segments
  u64 highest_paddr_end = 0;
};

/// Parses an executable ELF (ELF32 or ELF64, either byte order, independent of the host's) held in
/// `bytes`/`size`. Called by the domain builder before it allocates the domain's memory. False with
/// `error` pointing at a static message naming the problem ("ELF: bad magic", "ELF: segment 2 runs past
/// the end of the file", ...; segments are numbered as program headers, from 0); `out` is then
/// meaningless. Never reads outside [bytes, bytes+size); no alignment assumptions on `bytes`.
/// Checks: magic, class, data, version (EI_VERSION and e_version), e_type EXEC, header sizes, phoff/phnum
/// within the file, each PT_LOAD's file range within the file, filesz <= memsz, paddr + memsz does not wrap
/// (in 32 bits for ELF32), at most max_segments loadable segments, at least one. PT_NOTE segments are
/// scanned for the Xen note (name "Xen\0", type 18, desc 4 or 8 bytes in the image's byte order); a
/// malformed note, a second PHYS32_ENTRY note or one of another size is an error too. The entry points
/// are not checked against the segments: the caller knows which one its guest starts at.
bool parse_elf(const u8* bytes, usize size, ElfImage& out, const char*& error);

/// Writes guest memory for load_elf: false when [gpa, gpa+len) cannot be written.
using GuestWrite = bool (*)(void* context, u64 gpa, const void* src, usize len);

/// Copies each segment's file bytes to its paddr through `write` (never called with len 0); the rest of
/// memory_size is assumed to be zero already (guest memory is zeroed when allocated), so it is not
/// written. `image` must come from a successful parse_elf of the same `bytes`. False with `error` (a static
/// message naming the segment by its index in `image.segments`) when a segment does not fit in
/// [0, memory_bytes) or `write` fails; the check that every segment fits is made before anything is
/// written, so a rejected image leaves guest memory untouched (a failed write may leave earlier segments
/// written).
bool load_elf(const ElfImage& image, const u8* bytes, u64 memory_bytes, GuestWrite write, void* context,
              const char*& error);

} // namespace hv

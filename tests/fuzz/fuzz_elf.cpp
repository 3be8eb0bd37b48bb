// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness for the guest ELF loader (hv::parse_elf, hv::load_elf; common/loader/elf_image.cpp):
// an image comes from a boot module anyone can fill. The input is copied into a buffer of exactly its size
// at an odd address, so that ASan reports any read past the end and UBSan any read that assumed alignment.
// When the parser accepts an image, what it returns must be consistent (1 to 16 segments, each one's file
// range inside the input, file size within memory size, no wrap, the extent covering them all), and
// loading it must write only inside the input's bytes and the guest's memory, and nothing at all when a
// segment does not fit.
#include <hv/loader/elf_image.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

void fail(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

/// Guest memory for load_elf: a real 64 KiB buffer when `buffer` is set, otherwise only bounds.
struct Guest {
  const unsigned char* image;
  size_t image_size;
  unsigned char* buffer;
  uint64_t memory_bytes;
  size_t writes;
  unsigned sum; // touches every source byte, so ASan sees the reads

  static bool write(void* context, uint64_t gpa, const void* src, size_t len) {
    auto& g = *static_cast<Guest*>(context);
    const auto* s = static_cast<const unsigned char*>(src);
    if (len == 0) fail("a write of nothing");
    if (gpa > g.memory_bytes || len > g.memory_bytes - gpa) fail("a write outside the guest's memory");
    if (s < g.image || len > g.image_size || s - g.image > static_cast<ptrdiff_t>(g.image_size - len))
      fail("a write from outside the image");
    if (g.buffer != nullptr) std::memcpy(g.buffer + gpa, src, len);
    for (size_t i = 0; i < len; ++i) g.sum += s[i];
    ++g.writes;
    return true;
  }
};

void check_loaded(const hv::ElfImage& image, const unsigned char* bytes, size_t size, uint64_t memory_bytes,
                  unsigned char* buffer) {
  bool fits = true;
  for (size_t i = 0; i < image.segment_count; ++i)
    fits = fits && image.segments[i].paddr <= memory_bytes &&
           image.segments[i].memory_size <= memory_bytes - image.segments[i].paddr;
  Guest guest{bytes, size, buffer, memory_bytes, 0, 0};
  const char* error = nullptr;
  const bool ok = hv::load_elf(image, bytes, memory_bytes, Guest::write, &guest, error);
  if (ok != fits) fail("load_elf's verdict does not match the segments");
  if (!ok && guest.writes != 0) fail("a rejected image wrote guest memory");
  if (!ok && (error == nullptr || std::strncmp(error, "ELF: ", 5) != 0)) fail("a load failure without a message");
  if (guest.writes > image.segment_count) fail("more writes than segments");
  if (ok && buffer != nullptr)
    for (size_t i = 0; i < image.segment_count; ++i) {
      const hv::ElfSegment& s = image.segments[i];
      // Later segments may overlap earlier ones; only the last one's bytes are sure to be there.
      if (i + 1 == image.segment_count && std::memcmp(buffer + s.paddr, bytes + s.offset, s.file_size) != 0)
        fail("the last segment's bytes are not where it says");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, size_t size) {
  auto* storage = static_cast<unsigned char*>(std::malloc(size + 1));
  if (storage == nullptr) return 0;
  unsigned char* bytes = storage + 1;
  if (size != 0) std::memcpy(bytes, data, size);

  hv::ElfImage image;
  const char* error = nullptr;
  if (!hv::parse_elf(bytes, size, image, error)) {
    if (error == nullptr || std::strncmp(error, "ELF: ", 5) != 0) fail("rejected without a message");
    std::free(storage);
    return 0;
  }
  if (image.segment_count < 1 || image.segment_count > hv::ElfImage::max_segments) fail("segment count out of range");
  if (image.elf_class != 1 && image.elf_class != 2) fail("accepted an unknown class");
  uint64_t lowest = ~uint64_t{0};
  uint64_t highest = 0;
  for (size_t i = 0; i < image.segment_count; ++i) {
    const hv::ElfSegment& s = image.segments[i];
    if (s.offset > size || s.file_size > size - s.offset) fail("a segment's file range leaves the input");
    if (s.file_size > s.memory_size || s.memory_size == 0) fail("a segment's sizes are inconsistent");
    if (s.memory_size > ~uint64_t{0} - s.paddr) fail("a segment wraps");
    if (image.elf_class == 1 && s.paddr + s.memory_size > (uint64_t{1} << 32)) fail("an ELF32 segment passes 4 GiB");
    if (s.paddr < lowest) lowest = s.paddr;
    if (s.paddr + s.memory_size > highest) highest = s.paddr + s.memory_size;
  }
  if (lowest != image.lowest_paddr || highest != image.highest_paddr_end)
    fail("the extent does not cover the segments");

  // Into a real 64 KiB guest, then into one exactly as large as the image needs (bounds only).
  constexpr uint64_t small = 64 * 1024;
  auto* memory = static_cast<unsigned char*>(std::calloc(small, 1));
  if (memory != nullptr) check_loaded(image, bytes, size, small, memory);
  std::free(memory);
  check_loaded(image, bytes, size, image.highest_paddr_end, nullptr);
  std::free(storage);
  return 0;
}

// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness for the domain description reader (hv::read_domain_description,
// common/loader/domain_description.cpp): the description is a boot module anyone can fill. The input is
// copied into a buffer of exactly its size (malloc's alignment, as a boot loader's page-aligned module has
// at least), so that ASan reports any read past it. When the reader accepts a description, every image and
// every string it returns must lie inside the blob and every value inside its documented range; when it
// rejects one, the message must say why in printable text (it goes to the console beside the verdict).
// Accepted images are then handed to the ELF parser, as the hypervisor would.
#include <hv/loader/domain_description.hpp>
#include <hv/loader/elf_image.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

void fail(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

bool inside(const void* p, size_t n, const unsigned char* blob, size_t size) {
  const auto* b = static_cast<const unsigned char*>(p);
  return b >= blob && b <= blob + size && n <= static_cast<size_t>(blob + size - b);
}

void check_accepted(const hv::DomainDescription& d, const unsigned char* blob, size_t size) {
  if (d.count < 1 || d.count > hv::DomainDescription::max_domains) fail("domain count out of range");
  size_t privileged = 0;
  for (size_t i = 0; i < d.count; ++i) {
    const hv::DomainSpec& s = d.domains[i];
    if (s.image == nullptr || s.image_size == 0 || !inside(s.image, s.image_size, blob, size))
      fail("an image outside the blob");
    if (!inside(s.name.data(), s.name.size() + 1, blob, size)) fail("a name outside the blob");
    if (s.command_line.data() == nullptr || s.command_line.data()[s.command_line.size()] != '\0')
      fail("a command line that is not NUL-terminated");
    if (!s.command_line.empty() && !inside(s.command_line.data(), s.command_line.size() + 1, blob, size))
      fail("a command line outside the blob");
    if (s.command_line.size() > 1023) fail("a command line too long");
    if (s.memory_bytes < 64 * 1024 || s.memory_bytes > (uint64_t{4} << 30) || s.memory_bytes % 4096 != 0)
      fail("memory out of range");
    if (s.vcpus < 1 || s.vcpus > 32 || s.weight < 1 || s.cap > 100) fail("a scheduling value out of range");
    for (size_t k = 0; k < i; ++k)
      if (d.domains[k].name == s.name) fail("two domains of one name");
    privileged += s.privileged ? 1 : 0;

    hv::ElfImage image;
    const char* error = nullptr;
    if (!hv::parse_elf(s.image, s.image_size, image, error) && error == nullptr) fail("an ELF rejected silently");
  }
  if (privileged > 1) fail("two privileged domains");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, size_t size) {
  auto* blob = static_cast<unsigned char*>(std::malloc(size == 0 ? 1 : size));
  if (blob == nullptr) return 0;
  if (size != 0) std::memcpy(blob, data, size);

  hv::DomainDescription description;
  hv::DescriptionError error;
  if (hv::read_domain_description(blob, size, description, error)) {
    if (error.message[0] != '\0') fail("accepted with an error message");
    check_accepted(description, blob, size);
  } else {
    const void* end = std::memchr(error.message, '\0', sizeof error.message);
    if (end == nullptr) fail("unterminated message");
    if (std::strncmp(error.message, "domain description: ", 20) != 0) fail("a message without its prefix");
    for (const char* c = error.message; *c != '\0'; ++c)
      if (*c < 0x20 || *c > 0x7e) fail("a message with a character that is not printable");
  }
  std::free(blob);
  return 0;
}

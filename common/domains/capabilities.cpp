// SPDX-License-Identifier: Apache-2.0
// The family's names for the guests the backend runs. See hv/domains/capabilities.hpp.
#include <hv/domains/capabilities.hpp>

#include <port.hpp>

namespace hv {
namespace {

/// An ELF kind (e_machine, EI_CLASS, EI_DATA) and what the family calls a guest of that kind. Our guests
/// are all hardware-virtualized: on x86 the family's "hvm" (its x86_32p being a PAE guest, which the same
/// image may be); on POWER and IA-64, where the family had no separate word for them, the architecture's.
struct GuestKind {
  u16 machine;
  u8 elf_class, data;
  const char* words;
};
constexpr u8 elf32 = 1, elf64 = 2, little = 1, big = 2;
constexpr GuestKind kinds[] = {
    {3, elf32, little, "hvm-3.0-x86_32 hvm-3.0-x86_32p"}, // EM_386
    {62, elf64, little, "hvm-3.0-x86_64"},                // EM_X86_64
    {21, elf64, big, "xen-3.0-powerpc64"},                // EM_PPC64
    {21, elf64, little, "xen-3.0-powerpc64le"},
    {50, elf64, little, "xen-3.0-ia64"}, // EM_IA_64
};

} // namespace

StrView guest_capabilities(char* buffer, usize size) {
  usize used = 0;
  for (const GuestKind& k : kinds) {
    if (!port::Virtualization::accepts_image(k.machine, k.elf_class, k.data)) continue;
    const StrView words(k.words);
    if (used + (used != 0 ? 1 : 0) + words.size() + 1 > size) break;
    if (used != 0) buffer[used++] = ' ';
    for (const char c : words) buffer[used++] = c;
  }
  buffer[used] = '\0';
  return {buffer, used};
}

} // namespace hv

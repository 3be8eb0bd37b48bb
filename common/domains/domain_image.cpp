// SPDX-License-Identifier: Apache-2.0
// The rules a domain's image and sizes must meet (hv/domains/domain_image.hpp).
#include <hv/domains/domain_image.hpp>

namespace hv {

bool check_domain_image(const DomainSpec& spec, AcceptsImage accepts, ElfImage& elf, const char*& error) {
  if (!parse_elf(spec.image, spec.image_size, elf, error)) return false;
  if (!accepts(elf.machine, elf.elf_class, elf.data)) {
    error = "its ELF image is not for this architecture";
    return false;
  }
  if (spec.memory_bytes <= boot_info_bytes) {
    error = "too little memory for its boot information";
    return false;
  }
  // The segments' placement, as loading them will find it: loaded into nothing.
  auto nowhere = [](void*, u64, const void*, usize) { return true; };
  return load_elf(elf, spec.image, spec.memory_bytes - boot_info_bytes, nowhere, nullptr, error);
}

} // namespace hv

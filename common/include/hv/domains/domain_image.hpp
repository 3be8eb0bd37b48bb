// SPDX-License-Identifier: Apache-2.0
// What a domain of the description must be before the hypervisor takes any memory for it: an ELF image
// the port's backend runs, that fits in the domain's memory with its boot information, and what this
// hypervisor supports of the rest. One home for these rules: the domain builder applies them at boot,
// and the description checker (a host program) applies them to a description before it is booted, with
// the same messages.
#pragma once

#include <hv/loader/domain_description.hpp>
#include <hv/loader/elf_image.hpp>

namespace hv {

/// The top of each guest's RAM that holds its boot information (start info, device tree).
inline constexpr u64 boot_info_bytes = 16 << 10;

/// Whether a backend runs images of this ELF machine, class and byte order (Virtualization::accepts_image).
using AcceptsImage = bool (*)(u16 machine, u8 elf_class, u8 elf_data);

/// Checks `spec` against the rules, with the image parsed into `elf`; false with `error` naming the first
/// broken rule ("its ELF image is not for this architecture", "ELF: loadable segment 1 does not fit in the
/// domain's memory", ...). Pure: reads only `spec` and its image.
bool check_domain_image(const DomainSpec& spec, AcceptsImage accepts, ElfImage& elf, const char*& error);

} // namespace hv

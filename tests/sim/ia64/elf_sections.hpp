// SPDX-License-Identifier: Apache-2.0
// The executable sections of an IA-64 ELF64 file (an object or the hypervisor image): what the
// disassembler reads, and later what the simulator loads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ia64sim {

struct CodeSection {
  std::string name;
  std::uint64_t address;
  std::vector<std::uint8_t> bytes;
};

/// The SHF_EXECINSTR sections of the little-endian ELF64 file `image`, in file order; an error message
/// in `error` (and nothing returned) when it is not one.
std::vector<CodeSection> code_sections(const std::vector<std::uint8_t>& image, std::string& error);

} // namespace ia64sim

// SPDX-License-Identifier: Apache-2.0
// Loads a static IA-64 ELF executable's segments into the simulated memory, as the boot loader of a
// board or an operating system's exec would.
#pragma once

#include "memory.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace ia64sim {

/// Copies each PT_LOAD segment to its physical address (p_paddr), zero-filling up to p_memsz; returns
/// the entry point, or sets `error` (and returns 0) when `image` is not an IA-64 ELF64 executable.
std::uint64_t load_program(const std::vector<std::uint8_t>& image, Memory& memory, std::string& error);

} // namespace ia64sim

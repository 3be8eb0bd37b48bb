// SPDX-License-Identifier: Apache-2.0
// Text for decoded instructions and bundles, in the notation of the manual as GNU objdump prints it
// (tests/sim/ia64/check-disassembly compares the two).
#pragma once

#include "instruction.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace ia64sim {

/// "mnemonic dsts=srcs", or "data8 0x<slot>" for bits that encode no instruction.
std::string instruction_text(const Instruction& in);

struct Line {
  std::uint64_t address; // of the slot: bundle + 0, 6 or 12, as objdump numbers them
  std::string text;      // template (first slot), predicate column, instruction, ";;" for a stop
};

/// The lines of the bundle at `address`: three, or two for an MLX bundle.
std::vector<Line> disassemble_bundle(const Bundle& bundle, std::uint64_t address);

} // namespace ia64sim

// SPDX-License-Identifier: Apache-2.0
// Runs the whole boot on the host port's simulated machine and captures how it ended.
#pragma once

#include <hv/boot_state.hpp>

#include <port.hpp>

#include "support.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace hv::test {

struct BootRun {
  ExitStatus status;
  std::string console;
};

/// Boots the host-test board's machine (16 MiB at 0x80000000) with `board` as its device tree, the
/// command line, and `module` (when not empty) as the boot module; returns when the machine stops. With
/// `unsupported_cpu`, the port does not run on the CPU, for that reason.
inline BootRun boot_host(const std::vector<unsigned char>& board, const char* command_line,
                         const std::vector<unsigned char>& module = {}, const char* unsupported_cpu = nullptr) {
  host::reset_machine(0x80000000, 16u << 20, board.data(), command_line);
  if (!module.empty()) host::set_boot_module(module.data(), module.size());
  if (unsupported_cpu != nullptr) host::set_unsupported_cpu(unsupported_cpu);
  try {
    boot_main();
  } catch (const host::MachineExit& exit) {
    return {exit.status, host::console_output()};
  }
  throw std::logic_error("boot_main returned");
}

inline bool contains(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

} // namespace hv::test

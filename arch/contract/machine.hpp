// SPDX-License-Identifier: Apache-2.0
// Port contract: the machine around the CPU: what firmware handed over, and how a run ends.
#pragma once

#include <contract/types.hpp>

namespace hv::port {

struct Machine {
  /// The board's flattened device tree: the firmware's (skiboot's on powernv) or the one built into the
  /// image from boards/ (x86). Valid from entry for the whole run; common code validates it with libfdt
  /// and stops with a message naming the problem when it is malformed. Never null.
  static const void* device_tree();
  /// The boot arguments the loader passed ("" when none, never null). Common code reads its options
  /// from it to choose what the run does.
  static const char* command_line();
  /// Where the hypervisor image lies in physical memory, so that the frame allocator never hands it out.
  static MemoryRange image_range();
  /// The first boot module the loader passed (QEMU's -initrd): on x86 the PVH start info's first module,
  /// on powernv /chosen linux,initrd-start..end. {0, 0} when there is none. Common code reads the
  /// board's domain description from it (boards/README.md) and never hands its frames out.
  static MemoryRange boot_module();
  /// Ends the run. On QEMU: exit status 0 for success and non-zero for failure, which is what the boot
  /// runner checks. Called once, by common code (hv::stop_machine), after its last line. Never returns.
  static void exit(ExitStatus status);
};

} // namespace hv::port

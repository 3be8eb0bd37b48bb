// Port contract: the machine around the CPU: what firmware handed over, and how a run ends.
#pragma once

#include <contract/concept_support.hpp>

namespace hv::contract {

template <class M>
concept Machine = requires(ExitStatus status) {
  /// The board's flattened device tree: the firmware's (skiboot's on powernv) or the one built into the
  /// image from boards/ (x86). Valid from entry for the whole run; common code validates it with libfdt
  /// and stops with a message naming the problem when it is malformed. Never null.
  { M::device_tree() } -> same_as<const void*>;
  /// The boot arguments the loader passed ("" when none, never null). Common code reads its options
  /// from it to choose what the run does.
  { M::command_line() } -> same_as<const char*>;
  /// Where the hypervisor image lies in physical memory, so that the frame allocator never hands it out.
  { M::image_range() } -> same_as<MemoryRange>;
  /// The first boot module the loader passed (QEMU's -initrd): on x86 the PVH start info's first module,
  /// on powernv /chosen linux,initrd-start..end. {0, 0} when there is none. Common code reads the
  /// board's domain description from it (boards/README.md) and never hands its frames out.
  { M::boot_module() } -> same_as<MemoryRange>;
  /// Ends the run. On QEMU: exit status 0 for success and non-zero for failure, which is what the boot
  /// runner checks. Called once, by common code (hv::stop_machine), after its last line. Never returns.
  { M::exit(status) } -> same_as<void>;
};

} // namespace hv::contract

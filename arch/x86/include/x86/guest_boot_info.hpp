// SPDX-License-Identifier: Apache-2.0
// What an x86 guest finds at boot, in the area common code gives the boot information (the top of its
// RAM): the PVH protocol's start info (version 1) that EBX points at, its memory map and command line, and
// the guest's ACPI tables (x86/guest_acpi.hpp), which the start info's rsdp_paddr names. The backend's
// Virtualization::build_boot_info is this.
//
//   page 0 of the area   start info, memory map (offset 64), command line (after the map)
//   the next page        the ACPI tables, RSDP first (after the command line's last page if it is long)
//
// The memory map: RAM below the area; the start info's page(s) reserved; the tables' pages ACPI
// (E820 type 3: the guest may reuse them once it has read the tables); the rest of the area reserved.
//
// Pure, so that the host's unit tests read what it writes.
#pragma once

#include <contract/virtualization.hpp>

namespace hv::x86 {

/// Writes it all into `buffer` (`capacity` bytes), laid out to be copied to boot.boot_info_gpa; sets
/// `used`. False when it does not fit in `capacity` or in the guest's RAM above boot.boot_info_gpa, or
/// when boot.vcpus is 0.
bool write_guest_boot_info(const GuestBootInfo& boot, u8* buffer, usize capacity, usize& used);

} // namespace hv::x86

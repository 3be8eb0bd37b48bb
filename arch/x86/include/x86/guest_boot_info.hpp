// What an x86 guest finds at boot, in the area common code gives the boot information (the top of its
// RAM): the PVH protocol's start info (version 1) that EBX points at, with its memory map (offset 64) and
// command line (after the map). The backend's Virtualization::build_boot_info is this.
//
// The memory map: RAM below the area; the area itself reserved.
//
// Pure, so that the host's unit tests read what it writes.
#pragma once

#include <contract/virtualization.hpp>

namespace hv::x86 {

/// Writes it all into `buffer` (`capacity` bytes), laid out to be copied to boot.boot_info_gpa; sets
/// `used`. False when it does not fit in `capacity` or in the guest's RAM above boot.boot_info_gpa.
bool write_guest_boot_info(const GuestBootInfo& boot, u8* buffer, usize capacity, usize& used);

} // namespace hv::x86

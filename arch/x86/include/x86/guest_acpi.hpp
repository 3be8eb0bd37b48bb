// SPDX-License-Identifier: Apache-2.0
// The ACPI tables an x86 guest finds at boot, as the family gives its PVH guests: they are how a PC
// kernel learns its processors and that it runs without the PC's fixed ACPI hardware. Linux reads the
// MADT before it touches its local APIC, and only then switches to the x2APIC the vCPU offers; with no
// tables it takes the xAPIC's memory-mapped registers for granted.
//
// What is written (ACPI 6.4; the layouts are the specification's, 5.2):
//   RSDP  revision 2, no RSDT, the XSDT's address, both checksums
//   XSDT  the FADT and the MADT
//   FADT  revision 6.4, HW_REDUCED_ACPI (no PM timer, SCI, PM1 blocks or FACS), no VGA, no CMOS RTC,
//         no 8042, the DSDT's address
//   DSDT  a header and no AML: the guest has no devices to describe
//   MADT  revision 5, local APIC address 0xfee00000, no PCAT_COMPAT (no 8259s), no I/O APIC; one enabled
//         processor per vCPU, its APIC ID and processor UID the vCPU's number: a Processor Local APIC
//         structure (type 0) below ID 255, a Processor Local x2APIC structure (type 9) from 255 on, as
//         the specification asks
//
// Pure, so that the host's unit tests parse what it builds.
#pragma once

#include <hv/types.hpp>

namespace hv::x86 {

/// How many bytes write_guest_acpi() needs for `vcpus` vCPUs.
usize guest_acpi_size(u32 vcpus);

/// Writes the tables for a guest with `vcpus` vCPUs (at least 1) into `buffer` (`capacity` bytes), laid out
/// to be copied to guest-physical `gpa` (16-byte aligned): the RSDP at `gpa` itself, which
/// is what the start info's rsdp_paddr names, then the tables, each 16-byte aligned; every byte up to
/// `used` is written (padding zero). False when it does not fit or the arguments are outside those limits.
bool write_guest_acpi(u32 vcpus, u64 gpa, u8* buffer, usize capacity, usize& used);

} // namespace hv::x86

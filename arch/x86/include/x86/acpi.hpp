// SPDX-License-Identifier: Apache-2.0
// The PC's processors as its firmware lists them: the ACPI MADT ("APIC"), reached from the RSDP through
// the XSDT (or the RSDT of ACPI 1.0). The PVH start info gives the RSDP's address; without it, the RSDP
// is searched for where the ACPI specification has the BIOS leave it.
#pragma once

#include <x86/smbios.hpp>

namespace hv::x86 {

/// The local APIC IDs of the MADT's enabled processors (Processor Local APIC and Processor Local x2APIC
/// structures whose flags say Enabled), in the table's order, at most `capacity` written to `ids`;
/// returns how many. `rsdp_pa` is the RSDP's address, 0 to search the EBDA's first KiB and the BIOS
/// area 0xE0000-0xFFFFF for it. 0 when there is no valid RSDP, root table or MADT: every table's
/// signature, length and checksum are checked (firmware tables are untrusted input).
usize madt_local_apic_ids(PhysicalBytes physical, u64 rsdp_pa, u32* ids, usize capacity);

} // namespace hv::x86

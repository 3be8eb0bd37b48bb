// SPDX-License-Identifier: Apache-2.0
// The core's fixed limits. Everything the core keeps lives in frames from the allocator or in static
// storage sized by these numbers: there is no heap.
#pragma once

#include <hv/abi/shared_info.hpp>

namespace hv::limits {

/// Domains that may exist at once (including the control domain). The table of them is static (a pointer
/// per slot here and in the scheduler), and each live domain has a second-stage tag of its own (x86's
/// ASIDs are reused, POWER's LPIDs are not: its partition table is sized for this many).
inline constexpr usize max_domains = 256;
/// vCPUs per domain: as many as shared_info has vcpu_info slots for (the legacy ABI's 32).
inline constexpr u32 max_vcpus = static_cast<u32>(abi::legacy_max_vcpus);
/// Event channel ports per domain: the 2-level ABI's limit for 64-bit guests (32-bit guests: 1024).
/// A domain's own limit (DomainConfig::max_evtchn_ports) may be lower.
inline constexpr u32 max_evtchn_ports = 4096;
/// Grant table frames a domain may have (512 v1 entries each), the default (the family's toolstacks ask
/// for 32 or 64), and grant mappings a domain may hold.
inline constexpr u32 max_grant_frames = 64;
inline constexpr u32 default_grant_frames = 32;
inline constexpr u32 max_maptrack = 256;

} // namespace hv::limits

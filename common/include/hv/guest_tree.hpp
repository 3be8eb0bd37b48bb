// SPDX-License-Identifier: Apache-2.0
// The flattened device tree a guest finds at boot, on architectures whose guests are booted with one
// (POWER: r3 points at it; docs/guest-abi.md says what it holds). Written by the port's
// Virtualization::build_boot_info with the architecture's own words for it (GuestTreeArch).
#pragma once

#include <contract/virtualization.hpp>

namespace hv {

/// What the tree says that depends on the architecture.
struct GuestTreeArch {
  const char* compatible = ""; ///< the root node's compatible ("hv,ppc64-guest")
  u64 timebase_hz = 0;         ///< every CPU node's timebase-frequency (the hypervisor's timer's)
};

/// Writes the boot tree of the domain `boot` describes into `buffer` (`capacity` bytes), laid out to be
/// copied to guest-physical boot.boot_info_gpa: the root (`arch.compatible`, two address and size
/// cells), memory@0 over [0, boot.memory_bytes), /chosen/bootargs (the domain's command line),
/// /hypervisor (compatible "hv,hypervisor", the ABI version, the domain ID) and one /cpus node per vCPU.
/// The tree reserves the pages it occupies, so that the guest does not reuse them before it has read
/// them. Sets `used` to the tree's size. Returns false (used 0) when it does not fit, when the tree
/// would lie outside guest memory, or when the domain has no vCPU. Pure: touches nothing but `buffer`.
bool write_guest_tree(const GuestBootInfo& boot, const GuestTreeArch& arch, u8* buffer, usize capacity, usize& used);

} // namespace hv

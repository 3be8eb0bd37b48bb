// SPDX-License-Identifier: Apache-2.0
// Calls into skiboot (OPAL). See opal_call.S for how a call switches to real mode and big-endian.
#pragma once

#include <hv/types.hpp>

namespace hv::ppc64::opal {

namespace token {
constexpr u64 console_write = 1;
constexpr u64 cec_power_down = 5;
constexpr u64 poll_events = 10;
// PCI configuration space of a function below a PHB: (phb_id, bus_dev_func, offset, data or its address).
constexpr u64 pci_config_read_half_word = 14;
constexpr u64 pci_config_read_word = 15;
constexpr u64 pci_config_write_half_word = 17;
constexpr u64 pci_config_write_word = 18;
constexpr u64 start_cpu = 41; // (server number, start address): starts a thread firmware holds
constexpr u64 reinit_cpus = 70;
} // namespace token

// Return codes.
constexpr i64 success = 0;
constexpr i64 busy = -2;
constexpr i64 busy_event = -12;

// OPAL_REINIT_CPUS flags.
constexpr u64 reinit_hile_be = 1u << 0;
constexpr u64 reinit_hile_le = 1u << 1;
constexpr u64 reinit_mmu_radix = 1u << 3;

/// Where skiboot said OPAL lives (r8, r9 at entry). Set once by the entry code, before anything calls.
void set_entry(u64 base, u64 entry);

/// Calls OPAL function `token` with up to four arguments. Any MSR state: the call itself drops to real
/// mode, big-endian, interrupts masked, and restores the caller's MSR on return. Pointers passed as
/// arguments are physical addresses (the direct map is the identity, so hypervisor pointers are).
i64 call(u64 token, u64 a0 = 0, u64 a1 = 0, u64 a2 = 0, u64 a3 = 0);

} // namespace hv::ppc64::opal

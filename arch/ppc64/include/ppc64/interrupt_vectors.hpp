// SPDX-License-Identifier: Apache-2.0
// Where the Power ISA places each interrupt: offsets from the vector base (0 in real mode), the same for
// the hypervisor's own interrupts and for those a guest causes. Shared by the trap backend and the LPAR
// backend, which both decode which one was taken.
#pragma once

#include <hv/types.hpp>

namespace hv::ppc64::vector {

constexpr u64 data_storage = 0x300;
constexpr u64 instruction_storage = 0x400;
constexpr u64 external = 0x500;
constexpr u64 program = 0x700;
constexpr u64 decrementer = 0x900;
constexpr u64 hypervisor_decrementer = 0x980;
constexpr u64 system_call = 0xc00;
constexpr u64 hypervisor_data_storage = 0xe00;
constexpr u64 hypervisor_instruction_storage = 0xe20;
constexpr u64 hypervisor_emulation_assistance = 0xe40;
constexpr u64 hypervisor_doorbell = 0xe80;
constexpr u64 hypervisor_virtualization = 0xea0;
/// The program vector's code runs up to the next vector (0x800, floating-point unavailable).
constexpr u64 program_slot_bytes = 0x100;

} // namespace hv::ppc64::vector

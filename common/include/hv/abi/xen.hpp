// SPDX-License-Identifier: Apache-2.0
// Basic types and constants of the guest ABI (the hypervisor family's public xen.h), written from its
// documented facts.
#pragma once

#include <hv/types.hpp>

namespace hv::abi {

/// A domain's identifier as guests see it.
using domid_t = u16;

/// Identifiers at and above this one are not domains but special names.
inline constexpr domid_t domid_first_reserved = 0x7FF0;
inline constexpr domid_t domid_self = 0x7FF0; ///< "the calling domain"
inline constexpr domid_t domid_io = 0x7FF1;
inline constexpr domid_t domid_xen = 0x7FF2; ///< the hypervisor itself (owner of its own frames)
inline constexpr domid_t domid_cow = 0x7FF3;
inline constexpr domid_t domid_invalid = 0x7FF4; ///< "no domain"
inline constexpr domid_t domid_idle = 0x7FFF;

/// Event channel port numbers.
using evtchn_port_t = u32;

/// Grant references.
using grant_ref_t = u32;
using grant_handle_t = u32;

/// Virtual IRQs a guest may bind to an event channel (VIRQ_*).
namespace virq {
inline constexpr u32 timer = 0;   ///< per vCPU: the vCPU's one-shot timer fired
inline constexpr u32 debug = 1;   ///< per vCPU
inline constexpr u32 console = 2; ///< global: hypervisor console input (control domain)
inline constexpr u32 dom_exc = 3; ///< global: a domain shut down or crashed (control domain)
inline constexpr u32 tbuf = 4;
inline constexpr u32 debugger = 6;
inline constexpr u32 xenoprof = 7; ///< per vCPU
inline constexpr u32 con_ring = 8;
inline constexpr u32 pcpu_state = 9;
inline constexpr u32 mem_event = 10;
inline constexpr u32 argo = 11;
inline constexpr u32 enomem = 12;
inline constexpr u32 xenpmu = 13; ///< per vCPU
inline constexpr u32 arch_0 = 16; ///< 16..23: architecture-specific, treated as global here
inline constexpr u32 count = 24;  ///< NR_VIRQS

/// Per-vCPU VIRQs may be bound on any vCPU; all others only on vCPU 0.
constexpr bool is_per_vcpu(u32 v) { return v == timer || v == debug || v == xenoprof || v == xenpmu; }
} // namespace virq

/// SIF_* flags of the start info (PVH: hvm_start_info.flags).
namespace sif {
inline constexpr u32 privileged = 1u << 0; ///< the domain may access hardware
inline constexpr u32 initdomain = 1u << 1; ///< the initial domain: the control domain
} // namespace sif

/// Reasons for SCHEDOP_shutdown (SHUTDOWN_*).
enum class ShutdownReason : u32 {
  poweroff = 0,
  reboot = 1,
  suspend = 2,
  crash = 3,
  watchdog = 4,
  soft_reset = 5,
};

} // namespace hv::abi

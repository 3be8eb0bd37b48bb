// SPDX-License-Identifier: Apache-2.0
// vcpu_op and set_timer_op of the guest ABI: a domain's vCPUs and their timers, written from the family's
// documented sub-operation numbers and record layouts.
#pragma once

#include <hv/abi/guest_width.hpp>

namespace hv::abi {

/// vcpu_op sub-operations (VCPUOP_*): (cmd, vcpuid, arg).
namespace vcpuop {
inline constexpr u64 initialise = 0;
inline constexpr u64 up = 1;
inline constexpr u64 down = 2;
inline constexpr u64 is_up = 3;
inline constexpr u64 get_runstate_info = 4;
inline constexpr u64 register_runstate_memory_area = 5; ///< RegisterRunstateArea
inline constexpr u64 set_periodic_timer = 6;            ///< SetPeriodicTimer
inline constexpr u64 stop_periodic_timer = 7;           ///< no argument
inline constexpr u64 set_singleshot_timer = 8;          ///< SetSingleshotTimer
inline constexpr u64 stop_singleshot_timer = 9;         ///< no argument
inline constexpr u64 register_vcpu_info = 10;
inline constexpr u64 send_nmi = 11;
inline constexpr u64 get_physid = 12;
inline constexpr u64 register_vcpu_time_memory_area = 13;
} // namespace vcpuop

/// VCPUOP_set_periodic_timer (vcpu_set_periodic_timer): VIRQ_TIMER every period_ns.
struct SetPeriodicTimer {
  u64 period_ns;
};
static_assert(sizeof(SetPeriodicTimer) == 8);

/// VCPUOP_set_singleshot_timer (vcpu_set_singleshot_timer): VIRQ_TIMER once, at timeout_abs_ns of system
/// time. The u64 makes the record 12 bytes on i386 (4-aligned) and 16 on x86_64.
template <GuestWidth W> struct SetSingleshotTimer {
  u64_member_t<W> timeout_abs_ns;
  u32 flags; ///< sshottmr::*
};
static_assert(sizeof(SetSingleshotTimer<GuestWidth::bits64>) == 16);
static_assert(sizeof(SetSingleshotTimer<GuestWidth::bits32>) == 12);
static_assert(__builtin_offsetof(SetSingleshotTimer<GuestWidth::bits32>, flags) == 8);

/// VCPU_SSHOTTMR_* flags of SetSingleshotTimer.
namespace sshottmr {
inline constexpr u32 future = 1u << 0; ///< a deadline already passed is -ETIME instead of an event now
} // namespace sshottmr

/// VCPUOP_register_vcpu_info (vcpu_register_vcpu_info): the vCPU's vcpu_info moves to byte `offset` of the
/// guest frame `mfn` (a guest frame number, for a translated guest). The same layout for both widths.
struct RegisterVcpuInfo {
  u64 mfn;
  u32 offset;
  u32 rsvd;
};
static_assert(sizeof(RegisterVcpuInfo) == 16);

/// VCPUOP_register_runstate_memory_area (vcpu_register_runstate_memory_area): a guest address (a union of
/// a handle, a pointer and a uint64_t, so 8 bytes for both widths) where the vCPU's runstate is kept.
struct RegisterRunstateArea {
  u64 addr;
};
static_assert(sizeof(RegisterRunstateArea) == 8);

/// vcpu_runstate_info, what the registered area holds: the state and the time spent in each state (ns).
template <GuestWidth W> struct RunstateInfo {
  i32 state;
  u64_member_t<W> state_entry_time;
  u64_member_t<W> time[4];
};
static_assert(sizeof(RunstateInfo<GuestWidth::bits64>) == 48);
static_assert(__builtin_offsetof(RunstateInfo<GuestWidth::bits64>, state_entry_time) == 8);
static_assert(sizeof(RunstateInfo<GuestWidth::bits32>) == 44);
static_assert(__builtin_offsetof(RunstateInfo<GuestWidth::bits32>, state_entry_time) == 4);

} // namespace hv::abi

// SPDX-License-Identifier: Apache-2.0
// Hypercall numbers and the small argument records of the guest ABI (console_io, sched_op), written from
// the family's documented numbers and layouts; xen_version's are in hv/abi/version.hpp, vcpu_op's and the
// timers' in hv/abi/vcpu.hpp.
//
// Where a record holds a guest pointer (a "guest handle") or an `unsigned long`, its layout depends on the
// guest's word size: it is written once, as a template over GuestWidth (hv/abi/guest_width.hpp).
#pragma once

#include <hv/abi/guest_width.hpp>
#include <hv/abi/vcpu.hpp>
#include <hv/abi/version.hpp>
#include <hv/abi/xen.hpp>

namespace hv::abi {

/// Hypercall numbers (__HYPERVISOR_*), the first argument register of every port's convention.
namespace hypercall {
inline constexpr u64 memory_op = 12;
inline constexpr u64 set_timer_op = 15; ///< (timeout): 64-bit guests in one register, 32-bit in two (low, high)
inline constexpr u64 xen_version = 17;
inline constexpr u64 console_io = 18;
inline constexpr u64 grant_table_op = 20;
inline constexpr u64 vcpu_op = 24;
inline constexpr u64 sched_op = 29;
inline constexpr u64 event_channel_op = 32;
inline constexpr u64 hvm_op = 34;
inline constexpr u64 domctl = 36;
} // namespace hypercall

/// console_io sub-operations (CONSOLEIO_*).
namespace consoleio {
inline constexpr u64 write = 0; ///< (count, buffer): prints `count` bytes of the guest's buffer
inline constexpr u64 read = 1;
} // namespace consoleio

/// sched_op sub-operations (SCHEDOP_*).
namespace schedop {
inline constexpr u64 yield = 0;
inline constexpr u64 block = 1;
inline constexpr u64 shutdown = 2; ///< SchedShutdown
inline constexpr u64 poll = 3;     ///< SchedPoll
} // namespace schedop

/// SCHEDOP_shutdown's argument: a ShutdownReason.
struct SchedShutdown {
  u32 reason;
};
static_assert(sizeof(SchedShutdown) == 4);

/// SCHEDOP_poll's argument (sched_poll): block until one of `nr_ports` ports (an array of evtchn_port_t at
/// `ports`) is pending, or until `timeout` (system time in ns, 0 for none).
template <GuestWidth W> struct SchedPoll {
  handle_t<W> ports;
  u32 nr_ports;
  u64_member_t<W> timeout;
};
static_assert(sizeof(SchedPoll<GuestWidth::bits64>) == 24);
static_assert(__builtin_offsetof(SchedPoll<GuestWidth::bits64>, nr_ports) == 8);
static_assert(__builtin_offsetof(SchedPoll<GuestWidth::bits64>, timeout) == 16);
static_assert(sizeof(SchedPoll<GuestWidth::bits32>) == 16);
static_assert(__builtin_offsetof(SchedPoll<GuestWidth::bits32>, nr_ports) == 4);
static_assert(__builtin_offsetof(SchedPoll<GuestWidth::bits32>, timeout) == 8);

/// The most ports one SCHEDOP_poll may name.
inline constexpr u32 sched_poll_max_ports = 128;

} // namespace hv::abi

// Hypercall numbers and the small argument records of the guest ABI (xen_version, console_io, sched_op,
// vcpu_op), written from the family's documented numbers and layouts.
//
// Where a record holds a guest pointer (a "guest handle") or an `unsigned long`, its layout depends on the
// guest's word size: it is written once, as a template over GuestWidth (hv/abi/guest_width.hpp).
#pragma once

#include <hv/abi/guest_width.hpp>
#include <hv/abi/xen.hpp>

namespace hv::abi {

/// Hypercall numbers (__HYPERVISOR_*), the first argument register of every port's convention.
namespace hypercall {
inline constexpr u64 memory_op = 12;
inline constexpr u64 xen_version = 17;
inline constexpr u64 console_io = 18;
inline constexpr u64 grant_table_op = 20;
inline constexpr u64 vcpu_op = 24;
inline constexpr u64 sched_op = 29;
inline constexpr u64 event_channel_op = 32;
inline constexpr u64 hvm_op = 34;
inline constexpr u64 domctl = 36;
} // namespace hypercall

/// xen_version sub-operations (XENVER_*).
namespace xenver {
inline constexpr u64 version = 0;      ///< returns major << 16 | minor; no argument
inline constexpr u64 extraversion = 1; ///< copies a 16-byte string
inline constexpr u64 get_features = 6; ///< FeatureInfo in and out
inline constexpr u64 pagesize = 7;     ///< returns the page size; no argument
} // namespace xenver

/// The version we report: the family release whose guest ABI we follow, so that guests that check the
/// version before using an interface find what they expect.
inline constexpr u32 version_major = 4;
inline constexpr u32 version_minor = 17;
/// XENVER_extraversion's buffer (xen_extraversion_t).
inline constexpr usize extraversion_size = 16;

/// XENVER_get_features: one 32-bit word of the feature bitmap.
struct FeatureInfo {
  u32 submap_idx; ///< IN: which word (0 is the only one today)
  u32 submap;     ///< OUT
};
static_assert(sizeof(FeatureInfo) == 8);

/// XENFEAT_* bit numbers that we report.
namespace xenfeat {
inline constexpr u32 auto_translated_physmap = 2;
inline constexpr u32 dom0 = 11;
inline constexpr u32 submaps = 1; ///< XENFEAT_NR_SUBMAPS
} // namespace xenfeat

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

/// vcpu_op sub-operations (VCPUOP_*): (cmd, vcpuid, arg).
namespace vcpuop {
inline constexpr u64 initialise = 0;
inline constexpr u64 up = 1;
inline constexpr u64 down = 2;
inline constexpr u64 is_up = 3;
} // namespace vcpuop

} // namespace hv::abi

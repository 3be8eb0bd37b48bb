// Hypercall numbers and the small argument records of the guest ABI (xen_version, console_io, sched_op,
// vcpu_op), written from the family's documented numbers and layouts.
//
// Where a record holds a guest pointer (a "guest handle") or an `unsigned long`, its layout depends on the
// guest's word size, and both layouts are defined here with explicit integer types: a guest handle is a
// guest-physical address of 4 bytes in a 32-bit guest and 8 in a 64-bit one. The i386 ABI aligns 64-bit
// members to 4 bytes, so the 32-bit records are packed to 4.
#pragma once

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
inline constexpr u64 poll = 3;     ///< SchedPoll32/64
} // namespace schedop

/// SCHEDOP_shutdown's argument: a ShutdownReason.
struct SchedShutdown {
  u32 reason;
};
static_assert(sizeof(SchedShutdown) == 4);

/// SCHEDOP_poll's argument: block until one of `nr_ports` ports (an array of evtchn_port_t at `ports`) is
/// pending, or until `timeout` (system time in ns, 0 for none).
struct SchedPoll64 {
  u64 ports; ///< guest handle
  u32 nr_ports;
  u32 pad;
  u64 timeout;
};
static_assert(sizeof(SchedPoll64) == 24);
static_assert(__builtin_offsetof(SchedPoll64, timeout) == 16);

#pragma pack(push, 4)
struct SchedPoll32 {
  u32 ports; ///< guest handle
  u32 nr_ports;
  u64 timeout;
};
#pragma pack(pop)
static_assert(sizeof(SchedPoll32) == 16);
static_assert(__builtin_offsetof(SchedPoll32, timeout) == 8);

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

// SPDX-License-Identifier: Apache-2.0
// shared_info and vcpu_info: the page the hypervisor shares with each domain, as the guest ABI lays it
// out (written from its documented sizes and offsets, x86 flavour, which is what our guests follow).
//
// The layout depends on the *guest's* word size, not the hypervisor's: a 64-bit hypervisor may one day
// host a 32-bit guest, and the 32-bit x86 port hosts 32-bit guests. So each record is written once, as a
// template over GuestWidth (hv/abi/guest_width.hpp), and the static_asserts below hold on every port.
// Where i386 and x86_64 differ by more than the word (the padding of arch_vcpu_info, where wc_sec_hi
// sits), the template says so by name.
//
// Byte order: the page is in the machine's native order, which the guest shares (as in the family's ABI).
// The event channel bits are numbered within guest words: port p is bit (p % bits) of word (p / bits).
#pragma once

#include <hv/abi/guest_width.hpp>

namespace hv::abi {

/// Maximum vCPUs whose vcpu_info lives in shared_info (XEN_LEGACY_MAX_VCPUS).
inline constexpr usize legacy_max_vcpus = 32;

/// The time record of each vCPU (vcpu_time_info): identical for both word sizes.
struct VcpuTimeInfo {
  u32 version;
  u32 pad0;
  u64 tsc_timestamp;
  u64 system_time;
  u32 tsc_to_system_mul;
  i8 tsc_shift;
  u8 flags;
  u8 pad1[2];
};
static_assert(sizeof(VcpuTimeInfo) == 32);
static_assert(__builtin_offsetof(VcpuTimeInfo, tsc_timestamp) == 8);
static_assert(__builtin_offsetof(VcpuTimeInfo, system_time) == 16);
static_assert(__builtin_offsetof(VcpuTimeInfo, tsc_to_system_mul) == 24);
static_assert(__builtin_offsetof(VcpuTimeInfo, tsc_shift) == 28);

/// XEN_PVCLOCK_* bits of VcpuTimeInfo::flags.
namespace pvclock {
inline constexpr u8 tsc_stable = 1u << 0;    ///< every vCPU's counter is the same clock: no per-vCPU skew
inline constexpr u8 guest_stopped = 1u << 1; ///< the guest was paused (for its watchdogs)
} // namespace pvclock

/// vcpu_info.
template <GuestWidth W> struct VcpuInfo {
  u8 evtchn_upcall_pending;      ///< set by the hypervisor when an unmasked port's selector bit was set
  u8 evtchn_upcall_mask;         ///< set by the guest to hold off upcalls (like an interrupt flag)
  ulong_t<W> evtchn_pending_sel; ///< bit w: word w of evtchn_pending may hold pending, unmasked ports
  ulong_t<W> arch_cr2;           ///< arch_vcpu_info: cr2, then padding to the time record
  ulong_t<W> arch_pad[W == GuestWidth::bits32 ? 5 : 1];
  VcpuTimeInfo time;
};
static_assert(sizeof(VcpuInfo<GuestWidth::bits64>) == 64);
static_assert(__builtin_offsetof(VcpuInfo<GuestWidth::bits64>, evtchn_upcall_mask) == 1);
static_assert(__builtin_offsetof(VcpuInfo<GuestWidth::bits64>, evtchn_pending_sel) == 8);
static_assert(__builtin_offsetof(VcpuInfo<GuestWidth::bits64>, arch_cr2) == 16);
static_assert(__builtin_offsetof(VcpuInfo<GuestWidth::bits64>, time) == 32);
static_assert(sizeof(VcpuInfo<GuestWidth::bits32>) == 64);
static_assert(__builtin_offsetof(VcpuInfo<GuestWidth::bits32>, evtchn_upcall_mask) == 1);
static_assert(__builtin_offsetof(VcpuInfo<GuestWidth::bits32>, evtchn_pending_sel) == 4);
static_assert(__builtin_offsetof(VcpuInfo<GuestWidth::bits32>, arch_cr2) == 8);
static_assert(__builtin_offsetof(VcpuInfo<GuestWidth::bits32>, time) == 32);

/// What follows the event channel bitmaps: the wall clock and arch_shared_info, whose order is the
/// architecture's. x86_64 keeps wc_sec_hi beside the clock; i386 had no room there and put it after
/// arch_shared_info (max_pfn, the p2m frame list, nmi_reason, p2m_cr3, p2m_vaddr, p2m_generation).
template <GuestWidth W> struct WallClockAndArch;
template <> struct WallClockAndArch<GuestWidth::bits64> {
  u32 wc_version;
  u32 wc_sec;
  u32 wc_nsec;
  u32 wc_sec_hi;
  u64 arch[6];
};
template <> struct WallClockAndArch<GuestWidth::bits32> {
  u32 wc_version;
  u32 wc_sec;
  u32 wc_nsec;
  u32 arch[6];
  u32 wc_sec_hi;
};

/// shared_info: a word of pending and of mask bits for every bit of a word (4096 ports for a 64-bit
/// guest, 1024 for a 32-bit one).
template <GuestWidth W> struct SharedInfo {
  VcpuInfo<W> vcpu_info[legacy_max_vcpus];
  ulong_t<W> evtchn_pending[bits_per_word(W)];
  ulong_t<W> evtchn_mask[bits_per_word(W)];
  WallClockAndArch<W> clock_and_arch;
};
static_assert(sizeof(SharedInfo<GuestWidth::bits64>) == 3136);
static_assert(__builtin_offsetof(SharedInfo<GuestWidth::bits64>, evtchn_pending) == 2048);
static_assert(__builtin_offsetof(SharedInfo<GuestWidth::bits64>, evtchn_mask) == 2560);
static_assert(__builtin_offsetof(SharedInfo<GuestWidth::bits64>, clock_and_arch) == 3072);
static_assert(__builtin_offsetof(WallClockAndArch<GuestWidth::bits64>, wc_sec_hi) == 3084 - 3072);
static_assert(__builtin_offsetof(WallClockAndArch<GuestWidth::bits64>, arch) == 3088 - 3072);
static_assert(sizeof(SharedInfo<GuestWidth::bits32>) == 2344);
static_assert(__builtin_offsetof(SharedInfo<GuestWidth::bits32>, evtchn_pending) == 2048);
static_assert(__builtin_offsetof(SharedInfo<GuestWidth::bits32>, evtchn_mask) == 2176);
static_assert(__builtin_offsetof(SharedInfo<GuestWidth::bits32>, clock_and_arch) == 2304);
static_assert(__builtin_offsetof(WallClockAndArch<GuestWidth::bits32>, arch) == 2316 - 2304);
static_assert(__builtin_offsetof(WallClockAndArch<GuestWidth::bits32>, wc_sec_hi) == 2340 - 2304);

} // namespace hv::abi

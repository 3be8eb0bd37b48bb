// shared_info and vcpu_info: the page the hypervisor shares with each domain, as the guest ABI lays it
// out (written from its documented sizes and offsets, x86 flavour, which is what our guests follow).
//
// The layout depends on the *guest's* word size, not the hypervisor's: a 64-bit hypervisor may one day
// host a 32-bit guest, and the 32-bit x86 port hosts 32-bit guests. So both layouts are defined with
// explicit integer types (no `unsigned long`, no pointers), and the static_asserts below hold on every
// port. The i386 ABI aligns 64-bit members to 4 bytes; every 64-bit member here sits at an offset that is
// a multiple of 8 anyway, and the 32-bit structures are packed to 4 to keep their sizes exact.
//
// Byte order: the page is in the machine's native order, which the guest shares (as in the family's ABI).
// The event channel bits are numbered within guest words: port p is bit (p % bits) of word (p / bits).
#pragma once

#include <hv/types.hpp>

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

/// vcpu_info of a 64-bit guest.
struct VcpuInfo64 {
  u8 evtchn_upcall_pending; ///< set by the hypervisor when an unmasked port's selector bit was set
  u8 evtchn_upcall_mask;    ///< set by the guest to hold off upcalls (like an interrupt flag)
  u8 pad[6];
  u64 evtchn_pending_sel; ///< bit w: word w of evtchn_pending may hold pending, unmasked ports
  u64 arch_cr2;           ///< arch_vcpu_info (x86: cr2, pad)
  u64 arch_pad;
  VcpuTimeInfo time;
};
static_assert(sizeof(VcpuInfo64) == 64);
static_assert(__builtin_offsetof(VcpuInfo64, evtchn_upcall_mask) == 1);
static_assert(__builtin_offsetof(VcpuInfo64, evtchn_pending_sel) == 8);
static_assert(__builtin_offsetof(VcpuInfo64, time) == 32);

#pragma pack(push, 4)
/// vcpu_info of a 32-bit guest.
struct VcpuInfo32 {
  u8 evtchn_upcall_pending;
  u8 evtchn_upcall_mask;
  u8 pad[2];
  u32 evtchn_pending_sel;
  u32 arch_cr2; ///< arch_vcpu_info (x86_32: cr2, pad[5])
  u32 arch_pad[5];
  VcpuTimeInfo time;
};
#pragma pack(pop)
static_assert(sizeof(VcpuInfo32) == 64);
static_assert(__builtin_offsetof(VcpuInfo32, evtchn_pending_sel) == 4);
static_assert(__builtin_offsetof(VcpuInfo32, time) == 32);

/// shared_info of a 64-bit guest: 64 words of 64 pending bits and as many mask bits (4096 ports).
struct SharedInfo64 {
  VcpuInfo64 vcpu_info[legacy_max_vcpus];
  u64 evtchn_pending[64];
  u64 evtchn_mask[64];
  u32 wc_version;
  u32 wc_sec;
  u32 wc_nsec;
  u32 wc_sec_hi;
  u64 arch[6]; ///< arch_shared_info (x86_64: max_pfn, p2m frame list, nmi_reason, p2m_cr3, p2m_vaddr, p2m_generation)
};
static_assert(sizeof(SharedInfo64) == 3136);
static_assert(__builtin_offsetof(SharedInfo64, evtchn_pending) == 2048);
static_assert(__builtin_offsetof(SharedInfo64, evtchn_mask) == 2560);
static_assert(__builtin_offsetof(SharedInfo64, wc_version) == 3072);
static_assert(__builtin_offsetof(SharedInfo64, wc_sec_hi) == 3084);
static_assert(__builtin_offsetof(SharedInfo64, arch) == 3088);

#pragma pack(push, 4)
/// shared_info of a 32-bit guest: 32 words of 32 pending bits and as many mask bits (1024 ports).
struct SharedInfo32 {
  VcpuInfo32 vcpu_info[legacy_max_vcpus];
  u32 evtchn_pending[32];
  u32 evtchn_mask[32];
  u32 wc_version;
  u32 wc_sec;
  u32 wc_nsec;
  u32 arch[7]; ///< arch_shared_info (x86_32: max_pfn ... p2m_generation, then wc_sec_hi)
};
#pragma pack(pop)
static_assert(sizeof(SharedInfo32) == 2344);
static_assert(__builtin_offsetof(SharedInfo32, evtchn_pending) == 2048);
static_assert(__builtin_offsetof(SharedInfo32, evtchn_mask) == 2176);
static_assert(__builtin_offsetof(SharedInfo32, wc_version) == 2304);
static_assert(__builtin_offsetof(SharedInfo32, arch) == 2316);

/// The word size of a guest, which selects its shared_info layout and its event channel limit.
enum class GuestWidth : u8 { bits32 = 4, bits64 = 8 };

/// Ports a 2-level guest can name: (bits per word)^2.
constexpr u32 two_level_port_limit(GuestWidth w) { return w == GuestWidth::bits64 ? 64u * 64u : 32u * 32u; }

} // namespace hv::abi

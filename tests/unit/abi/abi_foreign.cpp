// SPDX-License-Identifier: Apache-2.0
// Our shared_info, vcpu_info and vcpu_time_info against the family's headers as Debian's libxen-dev
// publishes them, for 32-bit and 64-bit x86 guests at once: its foreign/x86_32.h and foreign/x86_64.h
// declare both layouts with prefixed names (packed as i386 and x86_64 lay them out) in one translation
// unit. Compiling is the test: a mismatch is a static_assert naming the structure and the field.
//
// The other records, which the foreign headers lack, are checked in abi_native.cpp, compiled once for
// each width.

// What the family's own arch header defines before these for its x86 guests: the upcall mask byte
// exists, and the time record has its flags field (interface versions after 4.6).
#define XEN_HAVE_PV_UPCALL_MASK 1
#define __XEN_INTERFACE_VERSION__ 0x00040e00

#include <stdint.h>

#include <xen/foreign/x86_32.h>
#include <xen/foreign/x86_64.h>

#include <hv/abi/shared_info.hpp>

#include "abi_check.hpp"

namespace {

using hv::abi::GuestWidth;

using OurTime = hv::abi::VcpuTimeInfo;
using OurVcpuInfo32 = hv::abi::VcpuInfo<GuestWidth::bits32>;
using OurVcpuInfo64 = hv::abi::VcpuInfo<GuestWidth::bits64>;
using OurSharedInfo32 = hv::abi::SharedInfo<GuestWidth::bits32>;
using OurSharedInfo64 = hv::abi::SharedInfo<GuestWidth::bits64>;

// vcpu_time_info: one layout for both widths (every member is naturally aligned even under pack(4)).
#define TIME_FIELDS(Theirs)                                                                                            \
  ABI_SAME_SIZE(OurTime, Theirs);                                                                                      \
  ABI_FIELD(OurTime, Theirs, version);                                                                                 \
  ABI_FIELD(OurTime, Theirs, pad0);                                                                                    \
  ABI_FIELD(OurTime, Theirs, tsc_timestamp);                                                                           \
  ABI_FIELD(OurTime, Theirs, system_time);                                                                             \
  ABI_FIELD(OurTime, Theirs, tsc_to_system_mul);                                                                       \
  ABI_FIELD(OurTime, Theirs, tsc_shift);                                                                               \
  ABI_FIELD(OurTime, Theirs, flags);                                                                                   \
  ABI_FIELD(OurTime, Theirs, pad1)
TIME_FIELDS(vcpu_time_info_x86_32);
TIME_FIELDS(vcpu_time_info_x86_64);

// vcpu_info, with arch_vcpu_info (cr2 and padding) inline in ours.
#define VCPU_INFO_FIELDS(Ours, Theirs)                                                                                 \
  ABI_SAME_SIZE(Ours, Theirs);                                                                                         \
  ABI_FIELD(Ours, Theirs, evtchn_upcall_pending);                                                                      \
  ABI_FIELD(Ours, Theirs, evtchn_upcall_mask);                                                                         \
  ABI_FIELD(Ours, Theirs, evtchn_pending_sel);                                                                         \
  ABI_SAME_FIELD(Ours, arch_cr2, Theirs, arch.cr2);                                                                    \
  ABI_SAME_FIELD(Ours, arch_pad, Theirs, arch.pad);                                                                    \
  ABI_FIELD(Ours, Theirs, time)
VCPU_INFO_FIELDS(OurVcpuInfo32, vcpu_info_x86_32);
VCPU_INFO_FIELDS(OurVcpuInfo64, vcpu_info_x86_64);

// shared_info: the vcpu_info array, the event bitmaps, the wall clock and arch_shared_info.
#define SHARED_INFO_FIELDS(Ours, Theirs)                                                                               \
  ABI_SAME_SIZE(Ours, Theirs);                                                                                         \
  ABI_FIELD(Ours, Theirs, vcpu_info);                                                                                  \
  ABI_FIELD(Ours, Theirs, evtchn_pending);                                                                             \
  ABI_FIELD(Ours, Theirs, evtchn_mask);                                                                                \
  ABI_SAME_FIELD(Ours, clock_and_arch.wc_version, Theirs, wc_version);                                                 \
  ABI_SAME_FIELD(Ours, clock_and_arch.wc_sec, Theirs, wc_sec);                                                         \
  ABI_SAME_FIELD(Ours, clock_and_arch.wc_nsec, Theirs, wc_nsec);                                                       \
  ABI_SAME_FIELD(Ours, clock_and_arch.arch[0], Theirs, arch.max_pfn);                                                  \
  ABI_SAME_FIELD(Ours, clock_and_arch.arch[1], Theirs, arch.pfn_to_mfn_frame_list_list);                               \
  ABI_SAME_FIELD(Ours, clock_and_arch.arch[2], Theirs, arch.nmi_reason);                                               \
  ABI_SAME_FIELD(Ours, clock_and_arch.arch[3], Theirs, arch.p2m_cr3);                                                  \
  ABI_SAME_FIELD(Ours, clock_and_arch.arch[4], Theirs, arch.p2m_vaddr);                                                \
  ABI_SAME_FIELD(Ours, clock_and_arch.arch[5], Theirs, arch.p2m_generation)
SHARED_INFO_FIELDS(OurSharedInfo32, shared_info_x86_32);
SHARED_INFO_FIELDS(OurSharedInfo64, shared_info_x86_64);
// wc_sec_hi: beside the clock on x86_64; i386 had no room there and put it at the end of arch_shared_info.
ABI_SAME_FIELD(OurSharedInfo64, clock_and_arch.wc_sec_hi, shared_info_x86_64, wc_sec_hi);
ABI_SAME_FIELD(OurSharedInfo32, clock_and_arch.wc_sec_hi, shared_info_x86_32, arch.wc_sec_hi);

ABI_SAME_VALUE(hv::abi::legacy_max_vcpus, XEN_LEGACY_MAX_VCPUS_X86_32);
ABI_SAME_VALUE(hv::abi::legacy_max_vcpus, XEN_LEGACY_MAX_VCPUS_X86_64);

} // namespace

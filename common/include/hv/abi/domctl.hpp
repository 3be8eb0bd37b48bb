// SPDX-License-Identifier: Apache-2.0
// domctl of the guest ABI: the control domain's domain management, written from the family's documented
// numbers and layouts. Every member is fixed-width and 64-bit members are 8-aligned, so the layout is the
// same for 32- and 64-bit guests. Only the operations the core implements are defined; of each record,
// the fields we honour are named and the rest of the 128-byte union is left as padding.
#pragma once

#include <hv/abi/xen.hpp>

namespace hv::abi {

/// The domctl interface version we speak (that of the family's 4.17 release); any other is -EACCES.
inline constexpr u32 domctl_interface_version = 0x15;

/// XEN_DOMCTL_* command numbers.
namespace domctl {
inline constexpr u32 createdomain = 1;
inline constexpr u32 destroydomain = 2;
inline constexpr u32 pausedomain = 3;
inline constexpr u32 unpausedomain = 4;
inline constexpr u32 getdomaininfo = 5;
inline constexpr u32 shadow_op = 10;
inline constexpr u32 max_mem = 11;
inline constexpr u32 setvcpucontext = 12;
inline constexpr u32 max_vcpus = 15;
inline constexpr u32 resumedomain = 27;
inline constexpr u32 get_paging_mempool_size = 85;
/// This hypervisor's own, outside the family's numbers (docs/lifecycle.md): a paused domain's save
/// stream read into the caller's memory in pieces, a domain made from a stream in its memory, and the
/// ports that wait for a migrated domain's old ID handed to the domain it became.
inline constexpr u32 hv_save_stream = 0x4856'0001;
inline constexpr u32 hv_restore_stream = 0x4856'0002;
inline constexpr u32 hv_adopt_peers = 0x4856'0003;
} // namespace domctl

/// XEN_DOMCTL_createdomain's record (IN). The new domain's ID is returned in Domctl::domain.
struct DomctlCreateDomain {
  u32 ssidref;
  u8 handle[16];
  u32 flags; ///< XEN_DOMCTL_CDF_*: accepted, not interpreted yet
  u32 iommu_opts;
  u32 max_vcpus;        ///< 1..the vCPU limit
  u32 max_evtchn_port;  ///< the highest port the domain may use (clamped to the 2-level limit)
  i32 max_grant_frames; ///< <= 0: the default (limits::default_grant_frames)
  i32 max_maptrack_frames;
  u32 grant_opts;
  u32 vmtrace_size;
  u32 cpupool_id;
};
static_assert(__builtin_offsetof(DomctlCreateDomain, flags) == 20);
static_assert(__builtin_offsetof(DomctlCreateDomain, max_vcpus) == 28);
static_assert(__builtin_offsetof(DomctlCreateDomain, max_evtchn_port) == 32);
static_assert(__builtin_offsetof(DomctlCreateDomain, max_grant_frames) == 36);

/// XEN_DOMINF_* flags of DomctlGetDomainInfo::flags; the shutdown reason sits in bits 16..23.
namespace dominf {
inline constexpr u32 dying = 1u << 0;
inline constexpr u32 hvm_guest = 1u << 1;
inline constexpr u32 shutdown = 1u << 2;
inline constexpr u32 paused = 1u << 3;
inline constexpr u32 blocked = 1u << 4;
inline constexpr u32 running = 1u << 5;
inline constexpr u32 shutdown_shift = 16;
} // namespace dominf

/// XEN_DOMCTL_getdomaininfo's record (OUT).
struct DomctlGetDomainInfo {
  domid_t domain;
  u16 pad0;
  u32 flags;
  u64 tot_pages;
  u64 max_pages;
  u64 outstanding_pages;
  u64 shr_pages;
  u64 paged_pages;
  u64 shared_info_frame; ///< guest frame of shared_info, for translated guests
  u64 cpu_time;          ///< ns the domain ran
  u32 nr_online_vcpus;
  u32 max_vcpu_id;
  u32 ssidref;
  u8 handle[16];
  u32 cpupool;
};
static_assert(__builtin_offsetof(DomctlGetDomainInfo, flags) == 4);
static_assert(__builtin_offsetof(DomctlGetDomainInfo, tot_pages) == 8);
static_assert(__builtin_offsetof(DomctlGetDomainInfo, shared_info_frame) == 48);
static_assert(__builtin_offsetof(DomctlGetDomainInfo, nr_online_vcpus) == 64);
static_assert(__builtin_offsetof(DomctlGetDomainInfo, max_vcpu_id) == 68);
static_assert(__builtin_offsetof(DomctlGetDomainInfo, handle) == 76);
static_assert(__builtin_offsetof(DomctlGetDomainInfo, cpupool) == 92);

/// XEN_DOMCTL_max_mem: the domain's allowance in KiB.
struct DomctlMaxMem {
  u64 max_memkb;
};
/// XEN_DOMCTL_setvcpucontext (IN): which vCPU, and where the architecture's context record is (a guest
/// handle widened to 64 bits in every layout: x86's vcpu_guest_context; POWER's, docs/lifecycle.md).
struct DomctlVcpuContext {
  u32 vcpu;
  u32 pad;
  u64 ctxt;
};
static_assert(__builtin_offsetof(DomctlVcpuContext, ctxt) == 8);

/// XEN_DOMCTL_max_vcpus.
struct DomctlMaxVcpus {
  u32 max;
};
/// XEN_DOMCTL_get_paging_mempool_size (OUT): the memory the hypervisor spends managing the domain.
struct DomctlPagingMempool {
  u64 size; ///< bytes
};

/// hv_save_stream (IN: buffer, offset, length; OUT: size) and hv_restore_stream (IN: buffer, size; the
/// new domain's ID comes back in Domctl::domain). `buffer` is the caller's address, as every pointer a
/// hypercall passes (a guest handle widened to 64 bits in every layout).
struct DomctlSaveStream {
  u64 buffer;
  u64 offset; ///< save: where in the stream this piece starts
  u64 length; ///< save: the piece's bytes at most (0: only the size)
  u64 size;   ///< save, OUT: the whole stream's bytes; restore, IN: the stream's bytes at `buffer`
  u64 flags;  ///< save_stream_flags (0: the whole domain, as a new one)
};
static_assert(sizeof(DomctlSaveStream) == 40);

/// DomctlSaveStream::flags (docs/migration.md).
namespace save_stream_flags {
/// hv_save_stream: no memory records (live migration's last stream: its pages went before it).
inline constexpr u64 no_memory = 1u << 0;
/// hv_restore_stream: into the existing domain `domain`, which the caller created and gave memory and
/// which has not run (live migration's destination), instead of a new one.
inline constexpr u64 into = 1u << 1;
} // namespace save_stream_flags

/// hv_adopt_peers (IN): the ID of the destroyed domain whose waiting peers `domain` takes over.
struct DomctlAdoptPeers {
  domid_t predecessor;
  u16 pad[3];
};
static_assert(sizeof(DomctlAdoptPeers) == 8);

/// XEN_DOMCTL_SHADOW_OP_*: of the family's shadow operations, those of dirty-page logging.
namespace shadow_op {
inline constexpr u32 off = 0;
inline constexpr u32 enable_logdirty = 2; ///< the legacy name of enable with mode log_dirty
inline constexpr u32 clean = 11;          ///< the bitmap, and the log cleared for the next round
inline constexpr u32 peek = 12;           ///< the bitmap, the log kept
inline constexpr u32 enable = 32;         ///< with `mode` flags
/// XEN_DOMCTL_SHADOW_ENABLE_LOG_DIRTY, the one mode flag of enable honoured.
inline constexpr u32 mode_log_dirty = 1u << 2;
} // namespace shadow_op

/// struct xen_domctl_shadow_op: `op`, enable's `mode`; clean and peek write the dirty bitmap (one bit a
/// guest frame, bit i of byte j for gfn 8j + i) for `pages` frames at `dirty_bitmap`, and write back in
/// `pages` the frames the log covers and in `stats` the write faults and dirty frames since the last clean.
struct DomctlShadowOp {
  u32 op;
  u32 mode;
  u32 mb; ///< the family's broken allocation calls: not honoured
  u32 pad;
  u64 dirty_bitmap;
  u64 pages;
  u32 fault_count;
  u32 dirty_count;
};
static_assert(sizeof(DomctlShadowOp) == 40);
static_assert(__builtin_offsetof(DomctlShadowOp, dirty_bitmap) == 16);
static_assert(__builtin_offsetof(DomctlShadowOp, pages) == 24);
static_assert(__builtin_offsetof(DomctlShadowOp, fault_count) == 32);

/// struct xen_domctl: a command, the interface version, the target domain (IN/OUT) and the command's record.
struct Domctl {
  u32 cmd;
  u32 interface_version;
  domid_t domain;
  u16 pad[3];
  union alignas(8) {
    DomctlCreateDomain createdomain;
    DomctlGetDomainInfo getdomaininfo;
    DomctlMaxMem max_mem;
    DomctlMaxVcpus max_vcpus;
    DomctlVcpuContext vcpucontext;
    DomctlPagingMempool paging_mempool;
    DomctlSaveStream save_stream;
    DomctlShadowOp shadow;
    DomctlAdoptPeers adopt_peers;
    u8 raw[128];
  } u;
};
static_assert(sizeof(Domctl) == 144);
static_assert(__builtin_offsetof(Domctl, domain) == 8);
static_assert(__builtin_offsetof(Domctl, u) == 16);

} // namespace hv::abi

// SPDX-License-Identifier: Apache-2.0
// A domain: a guest's memory, vCPUs, event channels, and the accounts that hold its frames.
//
// A Domain lives in frames of its own overhead account (DomainTable::create places it there), so that
// every byte the hypervisor keeps for a domain is charged to it and comes back when it is destroyed.
// Its members are public data: the DomainTable and the subsystems (event channels, scheduler) keep the
// invariants, and each states them where it changes them.
#pragma once

#include <hv/abi/hvm.hpp>
#include <hv/abi/xen.hpp>
#include <hv/core/console_ring.hpp>
#include <hv/core/dirty_log.hpp>
#include <hv/core/event_channel.hpp>
#include <hv/core/frame_allocator.hpp>
#include <hv/core/grant_table.hpp>
#include <hv/core/guest_phys_map.hpp>
#include <hv/core/limits.hpp>
#include <hv/core/shared_info_page.hpp>
#include <hv/core/vcpu.hpp>
#include <hv/guest/uart16550.hpp>

namespace hv {

/// What a domain is created with (from the board's /chosen or, later, the control domain's domctl).
struct DomainConfig {
  u32 vcpus = 1;               ///< 1..limits::max_vcpus
  u64 max_pages = 0;           ///< guest memory allowance in frames (the guest account's limit)
  u32 max_evtchn_ports = 1024; ///< 1..the 2-level limit of the guest's word size
  u16 weight = 256;            ///< scheduler weight, 1..65535
  u16 cap = 0;                 ///< scheduler cap in % of one CPU, 0 = none
  bool privileged = false;     ///< the control domain (there is one; it gets domain ID 0)
  abi::GuestWidth width = abi::GuestWidth::bits64;
  u32 grant_frames = limits::default_grant_frames; ///< the most its grant table grows to: 1..max_grant_frames
  /// The ID it is to have (a restore that keeps the saved domain's, so that its peers find it again);
  /// 0: the next free one. Ignored for the control domain, which is 0.
  abi::domid_t id = 0;
};

enum class DomainState : u8 {
  created,   ///< being built, paused; start() makes it running
  running,   ///< may run (unless paused)
  shut_down, ///< stopped by SCHEDOP_shutdown with a reason; the control domain destroys or resumes it
  dying,     ///< crashed: torn down by DomainTable::reap() without anyone's help
};

struct Domain {
  /// Longest name a domain can have, with its terminating NUL.
  static constexpr usize name_capacity = 32;

  abi::domid_t id = abi::domid_invalid;
  /// Which domain this is among all the machine has had (1, 2, ... in order of creation): unlike its ID
  /// and its address, never the same for two, so that a CPU that let go of a domain while it waited for a
  /// lock can tell whether it is still the same one (Hypervisor's run loop).
  u64 generation = 0;
  char name[name_capacity] = {}; ///< for messages: the description's node name, "" when it has none
  DomainState state = DomainState::created;
  /// The state destroy() found it in (running or created: the control domain destroyed it), for facts.
  DomainState destroyed_from = DomainState::created;
  /// Why the hypervisor crashed it ("touched memory it does not own"); null when it crashed itself.
  const char* crash_cause = nullptr;
  abi::ShutdownReason shutdown_reason = abi::ShutdownReason::poweroff;
  bool privileged = false;
  bool built = false; ///< it has memory (populate): it may be started
  /// The run time reported it built (a fact line), so its end is reported too; a domain whose building
  /// failed was never reported.
  bool announced = false;
  /// One of the boot's domains, which no toolstack made: destroyed (by reap()) once it powers off, and
  /// at any other shutdown too when no control domain is there to decide
  /// (DomainTable::ends_at_shutdown); a control domain's own keep their shut-down state for it.
  bool destroy_when_shut_down = false;
  u32 pause_count = 1; ///< created paused; runs only at 0
  /// How far its system time (PV clock, timer deadlines) runs ahead of the hypervisor's: 0, but for a
  /// domain restored from a stream saved at a later system time than this boot's (suspended to disk in
  /// an earlier boot, or moved from another machine), so that its clock never goes backwards.
  u64 time_offset_ns = 0;
  abi::GuestWidth width = abi::GuestWidth::bits64;
  bool console_mid_line = false; ///< its console output so far ends inside a line (no "(dN) " prefix due)

  FrameAccount memory;   ///< guest RAM: frames mapped in p2m as Kind::ram; limit = max_pages
  FrameAccount overhead; ///< the Domain object itself, shared_info, p2m tables, grant frames
  PhysAddr self = 0;     ///< where this object lives
  u32 self_order = 0;

  /// HVM_PARAM_CALLBACK_IRQ as the guest set it (0: no upcall registered). With the vector type, the
  /// port delivers upcalls with that vector (hv/abi/hvm.hpp).
  u64 callback_param = 0;
  bool upcall_registered() const {
    return callback_param >> abi::hvm_param::callback_type_shift == abi::hvm_param::callback_type_vector;
  }
  u32 upcall_vector() const { return static_cast<u32>(callback_param & 0xff); }

  PhysAddr shared_info_frame = 0;
  u64 shared_info_gfn = ~u64{0}; ///< where the guest mapped it (XENMEM_add_to_physmap), ~0 when nowhere
  SharedInfoPage shared_info;
  GuestPhysMap p2m;

  /// Frames of its RAM that a control domain maps (XENMAPSPACE_gmfn_foreign; hv/core/foreign_map.hpp):
  /// while non-zero, giving back one of them is Err::busy, and destroying it unmaps them first.
  u64 foreign_mapped = 0;

  u32 vcpu_count = 0;
  Vcpu vcpus[limits::max_vcpus];

  SchedDomain sched;
  EventChannels events;
  GrantTable grants;

  /// The backend's second-stage translation of this domain (Virtualization::Space), made when the domain
  /// is built and kept in step with `p2m`; its tables are charged to `overhead`.
  port::Virtualization::Space arch{};
  /// `arch` was made (the boot's builder made it; for a domain the control domain builds, its first
  /// setvcpucontext does).
  bool space_made = false;
  /// Its dirty-page log, while the control domain has one kept (XEN_DOMCTL_shadow_op).
  DirtyLog dirty;

  /// The emulated 16550 where the backend says guests find one (Virtualization::uart_port), and the
  /// line it prints to, prefixed "(dN) " like console_io's.
  ConsoleLine serial{0};
  Uart16550 uart{serial};
  /// The line the debug console port (Virtualization::debug_port) prints to, prefixed the same way.
  ConsoleLine debug_console{0};
  /// The other HVM parameters as set (hvm_op; hvm_hypercalls.cpp says which, and by whom). Index 0, the
  /// callback, is callback_param above.
  u64 hvm_params[abi::hvm_param::count] = {};
  /// Its console ring, with the hypervisor as the backend (absent for the control domain).
  ConsoleRing console;

  /// Exits of all its vCPUs by kind, counted only in an image built with probes (the figures of a guest's
  /// boot, tests/bench/linux): the release image's exit path does without the increment.
  u64 exits_by_kind[guest_exit_kinds] = {};

  Vcpu* vcpu(u32 n) { return n < vcpu_count ? &vcpus[n] : nullptr; }
  /// Exits of all its vCPUs so far (statistics, for the facts the hypervisor reports).
  u64 exit_count() const {
    u64 n = 0;
    for (u32 i = 0; i < vcpu_count; ++i) n += vcpus[i].exits;
    return n;
  }
  /// Whether `v` may run now: online, not blocked, its domain running and not paused.
  /// `state` as another CPU may be changing it (an atomic load, relaxed: a CPU that must see a change
  /// before it acts fences first, as the run loop does; u8 is the enum's own type).
  DomainState state_now() const {
    return static_cast<DomainState>(__atomic_load_n(reinterpret_cast<const u8*>(&state), __ATOMIC_RELAXED));
  }
  /// Sets `state` for other CPUs' state_now(), before the change is acted on (sequentially consistent).
  void set_state(DomainState s) {
    __atomic_store_n(reinterpret_cast<u8*>(&state), static_cast<u8>(s), __ATOMIC_SEQ_CST);
  }
  /// Read by the scheduler and by other CPUs while the control paths change them: each field is loaded
  /// once, atomically, and whoever changed one tells the scheduler after (DomainTable::run_state_changed).
  bool runnable(const Vcpu& v) const {
    return state_now() == DomainState::running && __atomic_load_n(&pause_count, __ATOMIC_RELAXED) == 0 &&
           __atomic_load_n(&v.online, __ATOMIC_RELAXED) && !__atomic_load_n(&v.blocked, __ATOMIC_RELAXED);
  }
};

} // namespace hv

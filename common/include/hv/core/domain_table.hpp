// SPDX-License-Identifier: Apache-2.0
// All domains, and their lifecycle: create, build, start, pause, unpause, shut down, destroy.
//
//   created --start--> running --shutdown(reason)--> shut_down --destroy--> (gone)
//                         |                                         ^
//                         +--shutdown(crash)--> dying --reap()------+
//
// Any state may be destroyed. Destruction gives back every frame the domain held: its guest memory, its
// p2m tables, its shared_info, its grant frames and the Domain object, and checks both accounts end at
// zero; its event channels are closed (peers see their ports unbound again), its grant mappings are
// undone on both sides (hv/core/grant_table.hpp), and its vCPUs leave the scheduler.
// A crash tears down the crashed domain alone: the others keep running; the control domain is told
// through VIRQ_DOM_EXC, as it is of every shutdown.
//
// Domain IDs: the control domain is 0; others get the next unused ID from 1 up, wrapping below
// DOMID_FIRST_RESERVED, so that a just-destroyed domain's ID is not reused at once.
//
// Who calls: boot (building the board's domains), hypercalls (sched_op, domctl) and the idle loop
// (reap). Its callers serialize what changes the table or a domain's state (on several CPUs, under the
// run time's core lock: hv/domains/hypervisor.hpp, docs/smp.md), but for vcpu_block and vcpu_kick, which
// any CPU calls at any time (a vCPU blocking on its own CPU, an event sent from another), and reap(),
// whose check is one atomic load.
#pragma once

#include <hv/core/domain.hpp>
#include <hv/core/result.hpp>

namespace hv {

/// Told whenever a vCPU's runnability may have changed; the scheduler installs it. A plain function and
/// a context rather than a virtual call: one indirect call, and the domain layer does not depend on the
/// scheduler.
struct RunStateHook {
  void (*changed)(void* context, Vcpu& vcpu) = nullptr;
  /// The domain is being destroyed (its vCPUs were reported not runnable just before): forget it.
  void (*domain_gone)(void* context, Domain& domain) = nullptr;
  /// The domain was paused (its vCPUs reported not runnable): return once none of them runs on any CPU
  /// (on several CPUs, one may still be in its guest). Optional. Context: gone_context.
  void (*paused)(void* context, Domain& domain) = nullptr;
  /// The domain shut down and is left so for the control domain to decide (destroy or resume it); not
  /// called for a shutdown that ends the domain (DomainTable::ends_at_shutdown). Context: gone_context.
  void (*shut_down)(void* context, Domain& domain) = nullptr;
  /// An event arrived for `vcpu`, which is not blocked: if it runs on another CPU now, that CPU must leave
  /// the guest so that the upcall is raised before its next entry. Optional (null: one CPU).
  void (*event)(void* context, Vcpu& vcpu) = nullptr;
  void* context = nullptr;
  /// domain_gone's context when it is another object than changed's (nullptr: `context`), so that each
  /// may go straight to its own object without a trampoline (changed runs on every wake and block).
  void* gone_context = nullptr;
};

class DomainTable {
public:
  explicit DomainTable(FrameAllocator& frames) : frames_(&frames) {}

  void set_run_state_hook(RunStateHook hook) { hook_ = hook; }
  FrameAllocator& frames() { return *frames_; }
  const FrameAllocator& frames() const { return *frames_; }

  /// A new domain, paused, with its vCPU 0 online and no guest memory yet. Err::inval for a config out
  /// of range; Err::exist for a second control domain or an ID asked for (config.id) that is taken; Err::nomem when the
  /// table is full or frames run out (nothing is left behind).
  Result<Domain*> create(const DomainConfig& config);
  /// Sets `d`'s RAM allowance to `pages` and, with it, what its overhead account may hold: the Domain
  /// object, shared_info, its grant table at full size, the backend's per-vCPU state, and the p2m's and
  /// the backend's translation tables for that much RAM with room to spare (a guest also maps pages
  /// elsewhere). Beyond that a table allocation is Err::nomem, which the domain alone pays for: no guest
  /// can grow its tables into the hypervisor's free memory. Called by create() and domctl max_mem.
  void set_max_pages(Domain& d, u64 pages);
  /// Builds guest memory: `count` zeroed frames mapped at gfn `first_gfn` on. Err::nomem past the
  /// domain's allowance or the machine's memory (what was populated stays, and is freed by destroy);
  /// Err::inval when the range is already partly mapped or out of range, or the domain is not created.
  Err populate(Domain& d, u64 first_gfn, u64 count);
  /// Gives back guest frame `gfn` (XENMEM_decrease_reservation). Err::inval when it is not the domain's
  /// RAM; Err::busy while another domain maps it through a grant, or the hypervisor writes a vcpu_info
  /// there. A frame the control domain maps (foreign) leaves the domain at once but is freed only when
  /// that mapping goes (foreign::orphan). The frame leaves the domain's account at once and is retired
  /// (FrameAllocator::retire): free once the caller's caller has waited for readers (Hypervisor).
  Err depopulate(Domain& d, u64 gfn);
  /// created -> running, and drops the pause it was created with. Err::inval in any other state.
  Err start(Domain& d);
  /// Nested pause and unpause. Err::inval when unpausing an unpaused domain or one being torn down.
  /// pause() returns once no vCPU of the domain runs (RunStateHook::paused): its state may be read.
  Err pause(Domain& d);
  Err unpause(Domain& d);
  /// SCHEDOP_shutdown: stops every vCPU and records why. Shutting down twice keeps the first reason.
  /// A crash marks the domain dying, for reap(). Any other reason leaves it shut down with that reason,
  /// which getdomaininfo reports; whether reap() then destroys it is ends_at_shutdown's rule. Err::inval
  /// for an unknown reason.
  Err shutdown(Domain& d, abi::ShutdownReason reason);
  /// Whether `d`'s shutdown ends it (reap() destroys it) rather than leaving it for the control domain:
  /// a crash always ends it; a domain the control domain made is always left to it; a domain of the
  /// boot's (Domain::destroy_when_shut_down) ends at poweroff, and at reboot, suspend, watchdog or soft
  /// reset only when no running control domain other than itself is there to decide, as the family's
  /// toolstack decides those. False for a domain that has not stopped.
  bool ends_at_shutdown(const Domain& d) const;
  /// XEN_DOMCTL_resumedomain: a shut-down domain runs on where it stopped (a vCPU that called
  /// SCHEDOP_shutdown returns from it with 0). Err::inval for a domain that is not shut down.
  Err resume(Domain& d);
  /// Destroys every domain whose shutdown ends it (ends_at_shutdown). Called from the idle loop, never on
  /// such a domain's own stack; costs nothing when no domain stopped since the last call, so the loop may
  /// call it at every reschedule.
  void reap() {
    if (reap_due()) reap_dying();
  }
  /// Whether reap() has work: a domain stopped since its last call (one relaxed atomic load, for a caller
  /// that then takes the lock under which the domain was stopped, and so sees the rest).
  bool reap_due() const { return __atomic_load_n(&reap_due_, __ATOMIC_RELAXED); }
  /// Tears the domain down and frees everything it held; its guest RAM and the Domain object are retired
  /// (FrameAllocator::retire) rather than freed, as another domain may have mapped the one and a timer
  /// walk on another CPU may be reading the other (VcpuTimers::expire). `d` is invalid afterwards.
  void destroy(Domain& d);

  /// The domain with this ID, or nullptr (reserved IDs included).
  Domain* find(abi::domid_t id) const;
  /// `id` resolved relative to `caller` (DOMID_SELF is the caller), or nullptr.
  Domain* resolve(Domain& caller, abi::domid_t id) const { return id == abi::domid_self ? &caller : find(id); }
  Domain* control() const { return find(0); }
  usize count() const { return count_; }
  /// Domains in table order, for iteration: slot 0..max_domains-1, nullptr for empty slots. A domain is
  /// published whole (acquire: VcpuTimers::expire reads the slots without the core lock).
  Domain* slot(usize i) const {
    return i < limits::max_domains ? __atomic_load_n(&slots_[i], __ATOMIC_ACQUIRE) : nullptr;
  }

  /// VCPUOP_up: brings an offline vCPU online. Err::inval when it already is, or when the backend holds
  /// no state for it (Vcpu::context_made: nothing gave it one), as the family refuses a vCPU never
  /// initialised: the hypervisor never enters a vCPU it has no state for.
  Err vcpu_up(Vcpu& v);
  /// VCPUOP_down: takes an online vCPU offline. Err::inval when it is offline already or is the domain's
  /// last online vCPU (a domain stops through SCHEDOP_shutdown, not by losing its vCPUs).
  Err vcpu_down(Vcpu& v);
  /// A vCPU that can never run again (it halted with interrupts off) goes offline, even the last one; a
  /// domain left with no vCPU online shuts down with poweroff, as the family powers such a domain off.
  void vcpu_take_down(Vcpu& v);
  /// XEN_DOMCTL_max_vcpus: lets a domain that is still being built have `count` vCPUs (new ones offline).
  /// Err::inval for a count out of range, below the current one, or a domain no longer being built.
  Err set_max_vcpus(Domain& d, u32 count);
  /// SCHEDOP_block: re-enables the vCPU's event delivery (clears evtchn_upcall_mask, as the family's
  /// ABI says, so that "mask, check, block" has no lost wake-up), then blocks until an event arrives,
  /// unless one is already waiting (upcall pending), in which case it does not block at all. Returns
  /// whether it blocked. Safe against a vcpu_kick on another CPU at the same time: no wake-up is lost.
  bool vcpu_block(Vcpu& v);
  /// An event arrived for `v` (its upcall_pending, or for a poller its port's pending bit, was just set):
  /// a blocked vCPU wakes; a running one on another CPU is told (RunStateHook::event). Any CPU, any time.
  void vcpu_kick(Vcpu& v);
  /// Tells the scheduler, if any, that `v`'s runnability may have changed.
  void run_state_changed(Vcpu& v) {
    if (hook_.changed != nullptr) hook_.changed(hook_.context, v);
  }

private:
  void reap_dying();

  FrameAllocator* frames_;
  RunStateHook hook_;
  Domain* slots_[limits::max_domains] = {};
  usize count_ = 0;
  u64 created_ = 0; ///< domains created so far: the next one's Domain::generation
  abi::domid_t next_id_ = 1;
  bool reap_due_ = false; ///< a domain stopped since the last reap()
};

} // namespace hv

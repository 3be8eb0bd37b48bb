// SPDX-License-Identifier: Apache-2.0
// Hypercall dispatch: the architecture-neutral entry every port's hypercall trap calls.
//
// The port decodes its register convention (rax/rdi/rsi/rdx/r10/r8 after VMMCALL, r3..r8 after `sc 1`,
// ...), passes them to dispatch() on the calling vCPU, and writes the result into the guest's
// return register. Numbers and records are the family's public ABI (hv/abi/hypercall.hpp, memory.hpp,
// domctl.hpp, event_channel.hpp, grant_table.hpp, hvm.hpp). Results: >= 0 on success (an operation's
// value, or 0), else a negated errno: -ENOSYS for an unknown hypercall or sub-operation, -EFAULT for a
// guest pointer that cannot be copied (every guest pointer goes through GuestMemory, never a
// dereference), -EPERM for a control operation from a domain that is not the control domain.
//
// 32-bit guests: every argument is truncated to 32 bits (the upper halves of 64-bit registers are not
// theirs), and records holding guest handles or `unsigned long`s are read in their 32-bit layout.
//
// Each family of hypercalls has its handler beside the subsystem it exposes, in
// common/core/<subsystem>_hypercalls.cpp, which documents what each sub-operation does and which errors
// it returns. The run loop calls the hot ones (Hypervisor::needs_core_lock) without the core lock, the
// others with it; each handler takes the locks of what it touches (docs/smp.md, "Stage 2d").
#pragma once

#include <hv/abi/domctl.hpp>
#include <hv/abi/hypercall.hpp>
#include <hv/core/credit_scheduler.hpp>
#include <hv/core/domain_table.hpp>
#include <hv/core/vcpu_timers.hpp>
#include <hv/string.hpp>

namespace hv {

/// A hypercall as the guest made it: its number and up to five arguments, zero-extended to 64 bits.
struct HypercallArgs {
  u64 nr = 0;
  u64 a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0;
};

/// What xen_version tells guests about the hypervisor itself beyond the ABI's constants, from the run
/// time (which guests its backend runs, its command line).
struct HypervisorFacts {
  StrView capabilities; ///< XENVER_capabilities: the kinds of guest it runs, in the family's words
  StrView command_line; ///< XENVER_commandline, for the control domain alone
};

/// What the run time does for domctl where the core cannot: a vCPU's first state is the backend's, and so
/// is the vCPUs' part of a save stream.
struct BuilderHook {
  /// XEN_DOMCTL_setvcpucontext: gives `target`, a vCPU of a domain being built, the state in the
  /// architecture's context record at `record` in `caller`'s memory, and brings it online; 0 or a
  /// negative errno (hv/domains/hypervisor.hpp, Hypervisor::set_vcpu_context, says which).
  i64 (*set_vcpu_context)(void* context, Vcpu& target, const Vcpu& caller, u64 record) = nullptr;
  void* context = nullptr;
  /// hv_save_stream: the bytes [offset, offset + length) of `target`'s save stream into the caller's
  /// memory at `buffer`, the whole stream's size into `size`; the bytes copied, or a negative errno
  /// (Hypervisor::save_stream_to says which).
  i64 (*save_stream)(void* context, Domain& target, const Vcpu& caller, const abi::DomctlSaveStream& piece,
                     u64& size) = nullptr;
  /// hv_restore_stream: a new domain from the `size`-byte stream at `buffer` in the caller's memory, as
  /// domain `id` unless that is 0; its ID into `id`; 0 or a negative errno (Hypervisor::restore_stream_from).
  i64 (*restore_stream)(void* context, const Vcpu& caller, const abi::DomctlSaveStream& stream,
                        abi::domid_t& id) = nullptr;
  /// XEN_DOMCTL_shadow_op's dirty-page logging on `target` (the record in and out); 0 or a negative errno
  /// (Hypervisor::shadow_op says which).
  i64 (*shadow_op)(void* context, Domain& target, const Vcpu& caller, abi::DomctlShadowOp& op) = nullptr;
  /// Whether another CPU holds an exit of one of `d`'s vCPUs that it has not handled yet (it waits for the
  /// core lock, which the caller holds): a domctl on `d` then returns hypercall_again rather than see
  /// `d` before that exit is done (a save would catch its vCPU in the middle of an instruction). None:
  /// never (one CPU).
  bool (*exit_in_flight)(void* context, const Domain& d) = nullptr;
};

/// Not a result for the guest: the call could not be made without waiting for another CPU that needs the
/// core lock the caller holds. The run loop lets go of the lock, takes it again and makes the same call
/// again; nothing of the call was done.
inline constexpr i64 hypercall_again = -0x7fff'ffff'ffff'ffff;

/// What hypercalls act on: the domains, the scheduler of this physical CPU (may be null in tests, where
/// SCHEDOP_yield then does nothing), the vCPU timers (null in tests that need none: the timer operations
/// are then -ENOSYS, SCHEDOP_poll's timeout is ignored), the hypervisor's facts (null: empty strings) and
/// the run time's builder (none: setvcpucontext is -ENOSYS).
/// The run time keeps one for the whole run, so that a hypercall builds none.
struct HypercallEnv {
  DomainTable& domains;
  CreditScheduler* scheduler = nullptr;
  VcpuTimers* timers = nullptr;
  const HypervisorFacts* facts = nullptr;
  BuilderHook builder = {};
};

namespace hypercalls {
/// A family's handler: dispatch()'s parameters less the number. a0..a2 are the guest's first three
/// arguments, already cut to 32 bits for a 32-bit guest; a handler leaves unnamed those it does not use.
using Handler = i64(HypercallEnv& env, Domain& caller, Vcpu& vcpu, u64 a0, u64 a1, u64 a2);
Handler memory_op;        // common/core/memory_hypercalls.cpp
Handler set_timer_op;     // vcpu_hypercalls.cpp
Handler xen_version;      // version_hypercalls.cpp
Handler console_io;       // console_hypercalls.cpp
Handler grant_table_op;   // grant_table_hypercalls.cpp
Handler vcpu_op;          // vcpu_hypercalls.cpp
Handler sched_op;         // scheduler_hypercalls.cpp
Handler event_channel_op; // event_channel_hypercalls.cpp
Handler hvm_op;           // hvm_hypercalls.cpp
Handler domctl;           // domain_table_hypercalls.cpp
} // namespace hypercalls

/// Performs the hypercall `nr` (a0, a1, a2) made by `vcpu` of `caller`; returns the value for the
/// guest's return register. Never panics on anything the guest controls. The arguments in registers: a
/// port's exit hands them over without building a HypercallArgs in memory first. No hypercall uses a
/// fourth or fifth argument yet.
///
/// Inline, so that the exit handler calls the family's handler itself: out of line, dispatch() would be
/// one more frame on every hypercall, since a port's ABI may not let it merely jump to another file's
/// function (ppc64's TOC, x86_64's seventh argument on the stack).
[[gnu::always_inline]] inline i64 dispatch(HypercallEnv& env, Domain& caller, Vcpu& vcpu, u64 nr, u64 a0, u64 a1,
                                           u64 a2) {
  if (caller.width != abi::GuestWidth::bits64) {
    constexpr u64 low = 0xffff'ffff;
    nr &= low;
    a0 &= low;
    a1 &= low;
    a2 &= low;
  }
  switch (nr) {
  case abi::hypercall::xen_version: return hypercalls::xen_version(env, caller, vcpu, a0, a1, a2);
  case abi::hypercall::console_io: return hypercalls::console_io(env, caller, vcpu, a0, a1, a2);
  case abi::hypercall::sched_op: return hypercalls::sched_op(env, caller, vcpu, a0, a1, a2);
  case abi::hypercall::event_channel_op: return hypercalls::event_channel_op(env, caller, vcpu, a0, a1, a2);
  case abi::hypercall::grant_table_op: return hypercalls::grant_table_op(env, caller, vcpu, a0, a1, a2);
  case abi::hypercall::memory_op: return hypercalls::memory_op(env, caller, vcpu, a0, a1, a2);
  case abi::hypercall::vcpu_op: return hypercalls::vcpu_op(env, caller, vcpu, a0, a1, a2);
  case abi::hypercall::hvm_op: return hypercalls::hvm_op(env, caller, vcpu, a0, a1, a2);
  case abi::hypercall::domctl: return hypercalls::domctl(env, caller, vcpu, a0, a1, a2);
  case abi::hypercall::set_timer_op: return hypercalls::set_timer_op(env, caller, vcpu, a0, a1, a2);
  default: return to_return(Err::nosys);
  }
}
/// The same for `args`.
inline i64 dispatch(HypercallEnv& env, Domain& caller, Vcpu& vcpu, const HypercallArgs& args) {
  return dispatch(env, caller, vcpu, args.nr, args.a0, args.a1, args.a2);
}

} // namespace hv

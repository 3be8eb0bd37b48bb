// Hypercall dispatch: the architecture-neutral entry every port's hypercall trap calls.
//
// The port decodes its register convention (rax/rdi/rsi/rdx/r10/r8 after VMMCALL, r3..r8 after `sc 1`,
// ...), passes them to dispatch() on the calling vCPU, and writes the result into the guest's
// return register. Numbers and records are the family's public ABI (hv/abi/hypercall.hpp, memory.hpp,
// domctl.hpp, event_channel.hpp, grant_table.hpp). Results: >= 0 on success (an operation's value, or 0),
// else a negated errno: -ENOSYS for an unknown hypercall or sub-operation, -EFAULT for a guest pointer
// that cannot be copied (every guest pointer goes through GuestMemory, never a dereference), -EPERM
// for a control operation from a domain that is not the control domain.
//
// 32-bit guests: every argument is truncated to 32 bits (the upper halves of 64-bit registers are not
// theirs), and records holding guest handles or `unsigned long`s are read in their 32-bit layout.
//
// What each hypercall does is documented at its handler in common/core/hypercall_dispatch.cpp.
// Not yet SMP-safe: one physical CPU, callers serialize.
#pragma once

#include <hv/core/credit_scheduler.hpp>
#include <hv/core/domain_table.hpp>

namespace hv {

/// A hypercall as the guest made it: its number and up to five arguments, zero-extended to 64 bits.
struct HypercallArgs {
  u64 nr = 0;
  u64 a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0;
};

/// What hypercalls act on: the domains, and the scheduler of this physical CPU (may be null in tests,
/// where SCHEDOP_yield then does nothing).
struct HypercallEnv {
  DomainTable& domains;
  CreditScheduler* scheduler = nullptr;
};

/// Performs the hypercall `nr` (a0, a1, a2) made by `vcpu` of `caller`; returns the value for the
/// guest's return register. Never panics on anything the guest controls. The arguments in registers: a
/// port's exit hands them over without building a HypercallArgs in memory first. No hypercall uses a
/// fourth or fifth argument yet.
i64 dispatch(HypercallEnv& env, Domain& caller, Vcpu& vcpu, u64 nr, u64 a0, u64 a1, u64 a2);
/// The same for `args`.
inline i64 dispatch(HypercallEnv& env, Domain& caller, Vcpu& vcpu, const HypercallArgs& args) {
  return dispatch(env, caller, vcpu, args.nr, args.a0, args.a1, args.a2);
}

} // namespace hv

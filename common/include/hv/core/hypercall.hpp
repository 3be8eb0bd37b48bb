// Hypercall dispatch: the architecture-neutral entry every port's hypercall trap calls.
//
// The port decodes its register convention (rax/rdi/rsi/rdx/r10/r8 after VMMCALL, r3..r8 after `sc 1`,
// ...) into HypercallArgs, calls dispatch() on the calling vCPU, and writes the result into the guest's
// return register. Numbers and records are the family's public ABI (hv/abi/hypercall.hpp, memory.hpp,
// domctl.hpp, event_channel.hpp, grant_table.hpp). Results: >= 0 on success (an operation's value, or 0),
// else a negated errno: -ENOSYS for an unknown hypercall or sub-operation, -EFAULT for a guest pointer
// that cannot be copied (every guest pointer goes through P2mGuestMemory, never a dereference), -EPERM
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
  u64 nr;
  u64 a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0;
};

/// What hypercalls act on: the domains, and the scheduler of this physical CPU (may be null in tests,
/// where SCHEDOP_yield then does nothing).
struct HypercallEnv {
  DomainTable& domains;
  CreditScheduler* scheduler = nullptr;
};

/// Performs the hypercall `args` made by `vcpu` of `caller`; returns the value for the guest's return
/// register. Never panics on anything the guest controls.
i64 dispatch(HypercallEnv& env, Domain& caller, Vcpu& vcpu, const HypercallArgs& args);

} // namespace hv

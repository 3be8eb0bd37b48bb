// SPDX-License-Identifier: Apache-2.0
// What the hypercall families' handlers share (hv/core/hypercall.hpp declares them and dispatches to
// them): the ABI's error returns, resolving a target domain, reading a record laid out by the guest's
// word size. Each family lives beside the subsystem it exposes (event_channel_hypercalls.cpp beside
// event_channel.cpp, ...) and says there what each of its sub-operations does and which errors it returns.
#pragma once

#include <hv/core/guest_memory.hpp>
#include <hv/core/hypercall.hpp>

namespace hv::hypercalls {

constexpr i64 ret(Err e) { return to_return(e); }
inline constexpr i64 efault = to_return(Err::fault);
inline constexpr i64 einval = to_return(Err::inval);
inline constexpr i64 enosys = to_return(Err::nosys);

/// The domain `id` names for an operation of `caller` on it (DOMID_SELF is the caller): Err::srch when
/// there is none, Err::perm when it is another domain and the caller is not the control domain.
inline Result<Domain*> target_domain(DomainTable& table, Domain& caller, abi::domid_t id) {
  Domain* d = table.resolve(caller, id);
  if (d == nullptr) return Err::srch;
  if (d != &caller && !caller.privileged) return Err::perm;
  return d;
}

/// Reads the record at `arg`, an argument of the hypercall `caller` is making, in the layout of its
/// domain's word size, Record<bits32> or Record<bits64> (hv/abi/guest_width.hpp), and calls
/// `use(record)` with it: a generic lambda, which takes what it needs out of either layout. False, without
/// calling `use`, when it cannot be read.
template <template <abi::GuestWidth> class Record, class Use> bool read_sized(const Vcpu& caller, u64 arg, Use use) {
  if (caller.domain->width == abi::GuestWidth::bits64) {
    Record<abi::GuestWidth::bits64> r{};
    if (!GuestMemory(caller).read(arg, r)) return false;
    use(r);
  } else {
    Record<abi::GuestWidth::bits32> r{};
    if (!GuestMemory(caller).read(arg, r)) return false;
    use(r);
  }
  return true;
}

} // namespace hv::hypercalls

// SPDX-License-Identifier: Apache-2.0
// event_channel_op (32): (cmd, arg), the 2-level event channels of event_channel.cpp.
// Each sub-operation reads its record, performs it (hv/core/event_channel.hpp has the semantics and error
// codes) and, on success, writes the record back when it has OUT fields. bind_pirq and the FIFO ABI's
// operations (reset, init_control, expand_array, set_priority): -ENOSYS, so guests stay on the 2-level ABI.
#include "hypercall_family.hpp"

namespace hv::hypercalls {
namespace {

template <class Op, class F> i64 call_inline(const Vcpu& vcpu, u64 arg, bool has_out, F f) {
  const GuestMemory guest(vcpu);
  Op op{};
  if (!guest.read(arg, op)) return efault;
  const Err e = f(op);
  if (e == Err::ok && has_out && !guest.write(arg, op)) return efault;
  return ret(e);
}
// Every sub-operation but the hot one (send) out of line, so that a send's path saves no register for
// the others' records.
template <class Op, class F> [[gnu::noinline]] i64 call(const Vcpu& vcpu, u64 arg, bool has_out, F f) {
  return call_inline<Op>(vcpu, arg, has_out, f);
}

} // namespace

i64 event_channel_op(HypercallEnv& env, Domain& caller, Vcpu& vcpu, u64 cmd, u64 arg, u64) {
  namespace op = abi::evtchnop;
  DomainTable& table = env.domains;
  switch (cmd) {
  case op::alloc_unbound:
    return call<abi::EvtchnAllocUnbound>(vcpu, arg, true,
                                         [&](auto& o) { return evtchn::alloc_unbound(table, caller, o); });
  case op::bind_interdomain:
    return call<abi::EvtchnBindInterdomain>(vcpu, arg, true,
                                            [&](auto& o) { return evtchn::bind_interdomain(table, caller, o); });
  case op::bind_virq:
    return call<abi::EvtchnBindVirq>(vcpu, arg, true, [&](auto& o) { return evtchn::bind_virq(caller, o); });
  case op::bind_ipi:
    return call<abi::EvtchnBindIpi>(vcpu, arg, true, [&](auto& o) { return evtchn::bind_ipi(caller, o); });
  case op::close:
    return call<abi::EvtchnClose>(vcpu, arg, false, [&](auto& o) { return evtchn::close(table, caller, o.port); });
  case op::send:
    return call_inline<abi::EvtchnSend>(vcpu, arg, false, [&](auto& o) { return evtchn::send(table, caller, o.port); });
  case op::status:
    return call<abi::EvtchnStatus>(vcpu, arg, true, [&](auto& o) { return evtchn::status(table, caller, o); });
  case op::unmask:
    return call<abi::EvtchnUnmask>(vcpu, arg, false, [&](auto& o) { return evtchn::unmask(table, caller, o.port); });
  case op::bind_vcpu:
    return call<abi::EvtchnBindVcpu>(vcpu, arg, false, [&](auto& o) { return evtchn::bind_vcpu(caller, o); });
  default: return enosys;
  }
}

} // namespace hv::hypercalls

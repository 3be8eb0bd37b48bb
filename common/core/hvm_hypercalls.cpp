// hvm_op (34): (op, arg), the HVM parameters; of them, how the domain's event upcall is delivered.
// HVMOP_set_param / get_param of HVM_PARAM_CALLBACK_IRQ. Only the vector type (2) is supported: setting
// another type, or 0, unregisters the upcall (events are then only seen by polling). -ESRCH, -EPERM for
// the target domain as everywhere; other parameter indexes below HVM_NR_PARAMS: -ENOSYS; at or above it:
// -EINVAL; other operations: -ENOSYS.
#include <hv/abi/hvm.hpp>

#include "hypercall_family.hpp"

namespace hv::hypercalls {

i64 hvm_op(HypercallEnv& env, Domain& caller, Vcpu& vcpu, u64 op, u64 arg, u64) {
  if (op != abi::hvmop::set_param && op != abi::hvmop::get_param) return enosys;
  const GuestMemory guest(vcpu);
  abi::HvmParam p{};
  if (!guest.read(arg, p)) return efault;
  auto target = target_domain(env.domains, caller, p.domid);
  if (!target.ok()) return ret(target.error());
  if (p.index >= abi::hvm_param::count) return einval;
  if (p.index != abi::hvm_param::callback_irq) return enosys;
  Domain& d = *target.value();
  if (op == abi::hvmop::get_param) {
    p.value = d.callback_param;
    return guest.write(arg, p) ? 0 : efault;
  }
  d.callback_param = p.value;
  return 0;
}

} // namespace hv::hypercalls

// vcpu_op (24): (cmd, vcpuid, arg), on the caller's own vCPUs.
// VCPUOP_up brings a vCPU online (0 if it already is); VCPUOP_down takes one offline (-EINVAL for the last
// online one); VCPUOP_is_up returns 1 or 0. -ENOENT for no such vCPU. VCPUOP_initialise and others:
// -ENOSYS (a vCPU's register state is the port's, and not settable by hypercall yet).
#include <hv/abi/hypercall.hpp>

#include "hypercall_family.hpp"

namespace hv::hypercalls {

i64 vcpu_op(HypercallEnv& env, Domain& caller, Vcpu&, u64 cmd, u64 vcpuid, u64) {
  Vcpu* v = vcpuid < caller.vcpu_count ? caller.vcpu(static_cast<u32>(vcpuid)) : nullptr;
  if (v == nullptr) return ret(Err::noent);
  switch (cmd) {
  case abi::vcpuop::up: return v->online ? 0 : ret(env.domains.vcpu_up(*v));
  case abi::vcpuop::down: return ret(env.domains.vcpu_down(*v));
  case abi::vcpuop::is_up: return v->online ? 1 : 0;
  default: return enosys;
  }
}

} // namespace hv::hypercalls

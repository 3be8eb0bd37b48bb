// SPDX-License-Identifier: Apache-2.0
// XEN_DOMCTL_setvcpucontext's record on POWER: our own, ppc64/vcpu_context.hpp.
#include <lpar.hpp>
#include <ppc64/vcpu_context.hpp>

namespace hv::port {

i32 Virtualization::start_from_context(const GuestRecord& record, GuestStart& start) {
  constexpr i32 efault = -14, einval = -22;
  u64 pc = 0, r3 = 0;
  if (!record.get(ppc64::vcpu_context::pc, &pc, 8) || !record.get(ppc64::vcpu_context::r3, &r3, 8)) return efault;
  if (pc % 4 != 0) return einval;
  start.entry = pc;
  start.argument = r3;
  return 0;
}

} // namespace hv::port

// SPDX-License-Identifier: Apache-2.0
// The records that give a POWER vCPU its first state, both our own: XEN_DOMCTL_setvcpucontext's
// (ppc64/vcpu_context.hpp, a control domain building another) and VCPUOP_initialise's
// (hv/abi/ppc64_vcpu.hpp, a guest starting its own secondaries).
#include <lpar.hpp>
#include <ppc64/byte_order.hpp>
#include <ppc64/vcpu_context.hpp>

#include <hv/abi/ppc64_vcpu.hpp>
#include <hv/string.hpp>

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

static_assert(Virtualization::vcpu_context_bytes == sizeof(abi::VcpuPpc64Context));

bool Virtualization::initialise_vcpu(Vcpu& vcpu, const u8* context) {
  if (vcpu.vector_state == 0) return false; // create_vcpu never made it (a domain still being built by domctl)
  abi::VcpuPpc64Context c;
  memcpy(&c, context, sizeof c);
  if (!abi::ppc64_vcpu_startable(c, ppc64::little_endian_image)) return false;
  // The rest stays as create_vcpu left it (the entry state): an offline vCPU that was never initialised
  // has not run.
  ppc64::GuestState& s = vcpu.state;
  for (u64& r : s.gpr) r = 0;
  s.pc = c.pc;
  s.msr = c.msr;
  s.gpr[1] = c.r1;
  s.gpr[2] = c.r2;
  s.gpr[3] = c.r3;
  s.gpr[4] = c.r4;
  s.gpr[12] = c.r12;
  s.gpr[13] = c.r13;
  return true;
}

} // namespace hv::port

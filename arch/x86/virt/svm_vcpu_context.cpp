// SPDX-License-Identifier: Apache-2.0
// XEN_DOMCTL_setvcpucontext's record on x86: the family's vcpu_guest_context, read as x86/vcpu_context.hpp
// says (the entry and boot argument of a vCPU that starts as PVH does).
#include <svm.hpp>
#include <x86/vcpu_context.hpp>

namespace hv::port {

i32 Virtualization::start_from_context(const GuestRecord& record, GuestStart& start) {
  constexpr i32 efault = -14, einval = -22;
  u64 entry = 0, argument = 0;
  if (record.word_bytes == 8) {
    if (!record.get(x86::vcpu_context::bits64::rip, &entry, 8) ||
        !record.get(x86::vcpu_context::bits64::rbx, &argument, 8))
      return efault;
  } else {
    u32 eip = 0, ebx = 0;
    if (!record.get(x86::vcpu_context::bits32::eip, &eip, 4) || !record.get(x86::vcpu_context::bits32::ebx, &ebx, 4))
      return efault;
    entry = eip;
    argument = ebx;
  }
  if (entry >> 32 != 0 || argument >> 32 != 0) return einval; // out of a 32-bit entry's reach
  start.entry = entry;
  start.argument = argument;
  return 0;
}

} // namespace hv::port

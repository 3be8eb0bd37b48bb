// SPDX-License-Identifier: Apache-2.0
// The move of the floating-point and vector registers from their owner to another vCPU. See
// hv/domains/lazy_fpu.hpp. Out of line: it runs only when the owner changes, and the check before each
// entry stays one comparison.
#include <hv/domains/lazy_fpu.hpp>

namespace hv {

void LazyFpu::take(ArchVcpu& vcpu) {
  using V = port::Virtualization;
  // The new owner is published only after the previous one's values are stored: another CPU that waits
  // for this one to stop holding the previous owner (holds()) then finds its stored values.
  ArchVcpu* const previous = owner_;
  if (previous != nullptr) {
    V::save_fpu(*previous);
    if (V::fpu_first_use_trap) V::set_fpu_trap(*previous, true);
  }
  __atomic_store_n(&owner_, &vcpu, __ATOMIC_RELEASE);
  V::load_fpu(vcpu);
  if (V::fpu_first_use_trap) V::set_fpu_trap(vcpu, false);
}

} // namespace hv

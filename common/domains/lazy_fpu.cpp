// SPDX-License-Identifier: Apache-2.0
// The move of the floating-point and vector registers from their owner to another vCPU. See
// hv/domains/lazy_fpu.hpp. Out of line: it runs only when the owner changes, and the check before each
// entry stays one comparison.
#include <hv/domains/lazy_fpu.hpp>

namespace hv {

void LazyFpu::take(ArchVcpu& vcpu) {
  using V = port::Virtualization;
  // The new owner is recorded first: nothing looks at it before this returns, and the object is then not
  // needed across the backend's calls.
  ArchVcpu* const previous = owner_;
  owner_ = &vcpu;
  if (previous != nullptr) {
    V::save_fpu(*previous);
    if (V::fpu_first_use_trap) V::set_fpu_trap(*previous, true);
  }
  V::load_fpu(vcpu);
  if (V::fpu_first_use_trap) V::set_fpu_trap(vcpu, false);
}

} // namespace hv

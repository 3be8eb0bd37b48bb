// The move of the floating-point and vector registers from their owner to another vCPU. See
// hv/domains/lazy_fpu.hpp. Out of line: it runs only when the owner changes, and the check before each
// entry stays one comparison.
#include <hv/domains/lazy_fpu.hpp>

namespace hv {

void LazyFpu::take(ArchVcpu& vcpu) {
  using V = port::Virtualization;
  if (owner_ != nullptr) {
    V::save_fpu(*owner_);
    if (V::fpu_first_use_trap) V::set_fpu_trap(*owner_, true);
  }
  V::load_fpu(vcpu);
  if (V::fpu_first_use_trap) V::set_fpu_trap(vcpu, false);
  owner_ = &vcpu;
}

} // namespace hv

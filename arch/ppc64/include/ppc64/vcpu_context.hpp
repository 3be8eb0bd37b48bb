// SPDX-License-Identifier: Apache-2.0
// XEN_DOMCTL_setvcpucontext's record on POWER. The family defines none for a POWER9 LPAR guest, so this
// is our own (docs/lifecycle.md): two doublewords in the hypervisor's (and so the guest's) byte order,
//   0: pc  the guest-physical address the vCPU starts at (4-byte aligned)
//   8: r3  its first argument (the boot device tree's address in the guest ABI's entry state, or 0)
// The vCPU starts in the entry state of docs/guest-abi.md ("Entry state") with those two.
#pragma once

#include <hv/types.hpp>

namespace hv::ppc64::vcpu_context {
inline constexpr u64 pc = 0;
inline constexpr u64 r3 = 8;
inline constexpr u64 size = 16;
} // namespace hv::ppc64::vcpu_context

// SPDX-License-Identifier: Apache-2.0
// The error codes of the guest ABI. Hypercalls return them negated (-EINVAL is -22), as the public ABI of
// the hypervisor family defines them; their values coincide with Linux's x86 errno numbers.
//
// Written as an enum class with lower-case names, not as E* constants, so that it cannot collide with the
// C library's errno macros on the host port.
#pragma once

#include <hv/types.hpp>

namespace hv {

/// A hypercall's result code: 0 or a negated ABI errno. Core functions return it directly.
enum class Err : i32 {
  ok = 0,
  perm = -1,       ///< EPERM: not allowed for this caller (an unprivileged control call)
  noent = -2,      ///< ENOENT: no such object (vCPU, grant reference)
  srch = -3,       ///< ESRCH: no such domain
  nxio = -6,       ///< ENXIO: no such address (a vcpu_info that would not fit in its frame)
  again = -11,     ///< EAGAIN
  nomem = -12,     ///< ENOMEM: out of frames, or over the domain's allowance
  acces = -13,     ///< EACCES: a control interface version this hypervisor does not speak
  fault = -14,     ///< EFAULT: a guest pointer that cannot be read or written
  busy = -16,      ///< EBUSY: the object is in use (a grant still mapped)
  exist = -17,     ///< EEXIST: already there (a VIRQ already bound)
  inval = -22,     ///< EINVAL: bad argument or wrong state
  nospc = -28,     ///< ENOSPC: no free slot (event channel ports)
  nosys = -38,     ///< ENOSYS: unknown hypercall or sub-operation
  nodata = -61,    ///< ENODATA: nothing to report (a build ID the hypervisor was built without)
  time = -62,      ///< ETIME: a deadline that has passed (VCPU_SSHOTTMR_future)
  opnotsupp = -95, ///< EOPNOTSUPP: an operation this port does not offer (dirty-page logging)
};

constexpr i64 to_return(Err e) { return static_cast<i64>(e); }

} // namespace hv

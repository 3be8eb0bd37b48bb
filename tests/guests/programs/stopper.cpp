// SPDX-License-Identifier: Apache-2.0
// stopper: shuts itself down once with SCHEDOP_shutdown(`reason=N`, the family's SHUTDOWN_* number:
// 1 reboot, 2 suspend, 4 watchdog, ...) after saying so. If the control domain resumes it
// (XEN_DOMCTL_resumedomain), the call returns here: it says so with what the call returned, and powers off.
#include "../lib/guest.hpp"

#include <hv/abi/hypercall.hpp>

namespace guest {

void guest_main() {
  const auto reason = static_cast<u32>(option("reason", 1));
  Line() << "stopper: shutting down with reason " << reason;
  hv::abi::SchedShutdown argument{reason};
  const long r = hypercall(hv::abi::hypercall::sched_op, hv::abi::schedop::shutdown, address(&argument));
  Line() << "stopper: resumed after shutdown reason " << reason << ", the call returned " << r;
}

} // namespace guest

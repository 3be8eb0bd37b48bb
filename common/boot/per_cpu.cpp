// SPDX-License-Identifier: Apache-2.0
// See hv/per_cpu.hpp.
#include <hv/per_cpu.hpp>

namespace hv {

PerCpu per_cpu[max_cpus];

void ask_cpu(u32 target, u32 bits) {
  // Release: what the asking CPU wrote before (a vCPU made runnable on the target's queue) is seen by the
  // target once it sees the bit; the port orders this store before its interrupt.
  __atomic_fetch_or(&per_cpu[target].requests, bits, __ATOMIC_RELEASE);
  port::Machine::send_ipi(target);
}

} // namespace hv

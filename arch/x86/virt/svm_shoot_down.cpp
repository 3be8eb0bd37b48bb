// SPDX-License-Identifier: Apache-2.0
// The remote half of a nested-mapping change (x86::svm::shoot_down): a CPU that runs a vCPU of the Space
// keeps the old translation in its TLB until it leaves the guest, so it is interrupted and waited for.
// Without flush-by-ASID (QEMU has none), its next VMRUN flushes because the Space's generation moved.
#include "svm_state.hpp"

namespace hv::x86::svm {

void shoot_down(port::Virtualization::Space& space) {
  __atomic_store_n(&space.generation, space.generation + 1, __ATOMIC_RELAXED);
  // The generation before the marks: either a CPU entering sees it, or this sees that CPU's mark.
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
  const u32 self = port::Cpu::index();
  u32 seen[max_cpus];
  bool waiting[max_cpus];
  bool any = false;
  for (u32 cpu = 0; cpu < max_cpus; ++cpu) {
    waiting[cpu] = cpu != self && __atomic_load_n(&cpus[cpu].entered, __ATOMIC_ACQUIRE) == &space;
    if (!waiting[cpu]) continue;
    seen[cpu] = __atomic_load_n(&cpus[cpu].exits, __ATOMIC_ACQUIRE);
    port::Machine::send_ipi(cpu);
    any = true;
  }
  if (!any) [[likely]]
    return;
  for (u32 cpu = 0; cpu < max_cpus; ++cpu)
    while (waiting[cpu] && __atomic_load_n(&cpus[cpu].entered, __ATOMIC_ACQUIRE) == &space &&
           __atomic_load_n(&cpus[cpu].exits, __ATOMIC_ACQUIRE) == seen[cpu])
      __builtin_ia32_pause();
}

void widened(port::Virtualization::Space& space) {
  __atomic_store_n(&space.generation, space.generation + 1, __ATOMIC_RELAXED);
}

} // namespace hv::x86::svm

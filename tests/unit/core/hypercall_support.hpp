// SPDX-License-Identifier: Apache-2.0
// A simulated machine for hypercall tests: the core's machine (core_support.hpp) with the environment
// hypercalls act on (vCPU timers on a clock the test sets, the hypervisor's facts), a call as a guest makes
// one, and records put into and read from guest memory.
#pragma once

#include <hv/core/guest_memory.hpp>
#include <hv/core/hypercall.hpp>
#include <hv/core/pv_time.hpp>

#include "core_support.hpp"

namespace hv::test {

struct HypercallMachine : CoreMachine {
  using CoreMachine::CoreMachine;
  u64 clock_ns = 1'000'000'000; ///< system time as the timers see it; a test moves it
  /// The timers, whose time hook writes a vCPU's record as the run time would: a counter in ns.
  VcpuTimers timers{
      *domains,
      SystemClock{[](const void* self) { return static_cast<const HypercallMachine*>(self)->clock_ns; }, this},
      GuestTimeHook{[](void* self, Vcpu& v) {
                      const u64 now = static_cast<HypercallMachine*>(self)->clock_ns;
                      pv_time::write_vcpu_time(v.domain->shared_info, v.id, now, now,
                                               pv_time::scale_for(1'000'000'000));
                    },
                    this}};
  HypervisorFacts facts{"hvm-3.0-x86_64", "console=com1 idle=0"};
  HypercallEnv env{*domains, nullptr, &timers, &facts};

  i64 call(Domain& d, u64 nr, u64 a0 = 0, u64 a1 = 0, u64 a2 = 0) { return call_on(d.vcpus[0], nr, a0, a1, a2); }
  i64 call_on(Vcpu& v, u64 nr, u64 a0 = 0, u64 a1 = 0, u64 a2 = 0) {
    return dispatch(env, *v.domain, v, HypercallArgs{nr, a0, a1, a2, 0, 0});
  }
  Domain& control() {
    DomainConfig c;
    c.privileged = true;
    return running(c);
  }
};

template <class T> void put(Domain& d, u64 gpa, const T& value) {
  REQUIRE(GuestMemory(d.p2m).copy_to(gpa, &value, sizeof value));
}
template <class T> T get(Domain& d, u64 gpa) {
  T value{};
  REQUIRE(GuestMemory(d.p2m).copy_from(gpa, &value, sizeof value));
  return value;
}

} // namespace hv::test

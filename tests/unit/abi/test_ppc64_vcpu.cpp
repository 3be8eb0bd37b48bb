// SPDX-License-Identifier: Apache-2.0
// VCPUOP_initialise's record on POWER (hv/abi/ppc64_vcpu.hpp): which starts the LPAR backend honours and
// which it refuses with -EINVAL, for either byte order.
#include <hv/abi/ppc64_vcpu.hpp>

#include <catch2/catch_test_macros.hpp>

namespace {

using hv::abi::ppc64_vcpu_startable;
using hv::abi::VcpuPpc64Context;
namespace m = hv::abi::ppc64_vcpu_msr;

constexpr VcpuPpc64Context start(hv::u64 msr, hv::u64 pc = 0x1000) { return {pc, msr, 0x8000, 0x9000, 5, 0, pc, 0}; }

} // namespace

TEST_CASE("ppc64 VCPUOP_initialise: a 64-bit privileged real-mode start in the guest's byte order is honoured") {
  CHECK(ppc64_vcpu_startable(start(m::sf | m::le | m::me | m::ri), true));
  CHECK(ppc64_vcpu_startable(start(m::sf | m::me | m::ri), false));
  CHECK(ppc64_vcpu_startable(start(m::sf | m::le), true));
  // Interrupts on, the floating-point and vector units available, any exception mode.
  CHECK(ppc64_vcpu_startable(start(m::sf | m::le | m::optional), true));
}

TEST_CASE("ppc64 VCPUOP_initialise: a start the partition cannot run is refused") {
  const hv::u64 good = m::sf | m::le | m::me | m::ri;
  SECTION("the other byte order") {
    CHECK_FALSE(ppc64_vcpu_startable(start(good), false));
    CHECK_FALSE(ppc64_vcpu_startable(start(m::sf | m::me), true));
  }
  SECTION("32-bit mode") { CHECK_FALSE(ppc64_vcpu_startable(start(good & ~m::sf), true)); }
  SECTION("hypervisor state, problem state, translation on") {
    for (const hv::u64 bit : {m::hv, m::pr, m::ir, m::dr}) CHECK_FALSE(ppc64_vcpu_startable(start(good | bit), true));
  }
  SECTION("any bit outside the documented ones (transactional memory, single step, ...)") {
    for (unsigned ibm = 0; ibm < 64; ++ibm) {
      const hv::u64 bit = hv::u64{1} << (63 - ibm);
      if ((bit & (m::sf | m::le | m::optional)) != 0) continue;
      CHECK_FALSE(ppc64_vcpu_startable(start(good | bit), true));
    }
  }
  SECTION("an entry address that is not a whole instruction's") {
    for (const hv::u64 pc : {0x1001, 0x1002, 0x1003}) CHECK_FALSE(ppc64_vcpu_startable(start(good, pc), true));
  }
}

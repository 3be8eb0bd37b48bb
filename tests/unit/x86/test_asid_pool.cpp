// SPDX-License-Identifier: Apache-2.0
// The SVM backend's ASIDs: as many as CPUID says, reused with one flush of the whole TLB when they run out.
#include <x86/asid_pool.hpp>

#include <catch2/catch_test_macros.hpp>

#include <memory>
#include <vector>

namespace {
struct FakeVcpu {
  hv::u32 asid = 0;
};
using Pool = hv::x86::AsidPool<FakeVcpu>;
} // namespace

TEST_CASE("ASIDs 1 to CPUID's count less one, then a new generation: every holder forgets, one flush") {
  auto pool = std::make_unique<Pool>();
  REQUIRE(pool->init(16)); // QEMU's count
  CHECK(pool->usable() == 15);
  std::vector<FakeVcpu> vcpus(40);
  auto forget = [](FakeVcpu& v) { v.asid = 0; };
  for (int i = 0; i < 15; ++i) {
    bool flush = false;
    vcpus[i].asid = pool->take(vcpus[i], flush, forget);
    CHECK(vcpus[i].asid == static_cast<hv::u32>(i + 1));
    CHECK_FALSE(flush); // never used since boot: nothing of it in the TLB
  }
  bool flush = false;
  vcpus[15].asid = pool->take(vcpus[15], flush, forget);
  CHECK(flush);
  CHECK(vcpus[15].asid == 1);
  CHECK(pool->generations() == 2);
  for (int i = 0; i < 15; ++i) CHECK(vcpus[i].asid == 0);
  // The forgotten take fresh ones in the new generation, with no flush of their own.
  flush = false;
  vcpus[0].asid = pool->take(vcpus[0], flush, forget);
  CHECK(vcpus[0].asid == 2);
  CHECK_FALSE(flush);
}

TEST_CASE("a released owner is not forgotten later; a CPU with fewer than 2 ASIDs is refused") {
  auto pool = std::make_unique<Pool>();
  REQUIRE(pool->init(3));
  auto forget = [](FakeVcpu& v) { v.asid = 0xdead; };
  FakeVcpu a, b, c;
  bool flush = false;
  a.asid = pool->take(a, flush, forget);
  b.asid = pool->take(b, flush, forget);
  pool->release(a.asid, a);
  pool->release(b.asid, a); // not its holder: ignored
  c.asid = pool->take(c, flush, forget);
  CHECK(flush);
  CHECK(a.asid == 1);      // released: never touched again
  CHECK(b.asid == 0xdead); // still held at the new generation: forgotten
  CHECK(c.asid == 1);

  CHECK_FALSE(pool->init(1));
  auto huge = std::make_unique<Pool>();
  REQUIRE(huge->init(65536));
  CHECK(huge->usable() == Pool::max_tracked);
}

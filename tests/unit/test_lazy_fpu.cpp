// SPDX-License-Identifier: Apache-2.0
// The floating-point and vector register policy (hv/domains/lazy_fpu.hpp) on the host port's scripted CPU,
// whose register file is one u64: which vCPU owns it, when it is saved and loaded, and what a vCPU that
// goes away leaves behind, with and without the backend's first-use trap.
#include <hv/domains/lazy_fpu.hpp>

#include <catch2/catch_test_macros.hpp>

#include <cstdint>

namespace {

using hv::LazyFpu;
using Cpu = hv::port::Virtualization::Vcpu;

/// The scripted CPU's first-use trap, on for one test.
struct FirstUseTrap {
  FirstUseTrap() { hv::host::set_fpu_first_use_trap(true); }
  ~FirstUseTrap() { hv::host::set_fpu_first_use_trap(false); }
  FirstUseTrap(const FirstUseTrap&) = delete;
  FirstUseTrap& operator=(const FirstUseTrap&) = delete;
};

/// Two fresh vCPUs as the run time makes them, and the registers holding something of nobody's.
struct TwoVcpus {
  LazyFpu fpu;
  Cpu a, b;
  TwoVcpus() {
    fpu.created(a);
    fpu.created(b);
    hv::host::fpu_register() = 0xdead'beef;
  }
};

/// One entry of `cpu` as the run loop makes it, whose guest reads its register and writes `value`: the
/// policy's check before the entry, and the first-use exit and the entry again when the trap is armed.
/// Returns what the guest read.
std::uint64_t use(LazyFpu& fpu, Cpu& cpu, std::uint64_t value) {
  fpu.entering(cpu);
  hv::GuestExit exit;
  std::uint64_t* reg = hv::host::guest_fpu(cpu, exit);
  if (reg == nullptr) {
    REQUIRE(exit.kind == hv::GuestExitKind::fpu_unavailable);
    fpu.first_use(cpu);
    fpu.entering(cpu);
    reg = hv::host::guest_fpu(cpu, exit);
    REQUIRE(reg != nullptr);
  }
  const std::uint64_t found = *reg;
  *reg = value;
  return found;
}

} // namespace

TEST_CASE("without a first-use trap, two vCPUs that alternate each find their own values") {
  TwoVcpus t;
  CHECK(use(t.fpu, t.a, 1) == 0); // the reset state, not what the registers held
  CHECK(t.a.fpu_loads == 1);
  CHECK(t.a.fpu_saves == 0); // nobody owned the registers: nothing to save

  CHECK(use(t.fpu, t.b, 10) == 0);
  CHECK(t.a.fpu_saves == 1);
  CHECK(t.a.fpu == 1);
  CHECK(use(t.fpu, t.a, 2) == 1);
  CHECK(use(t.fpu, t.b, 11) == 10);
  CHECK(use(t.fpu, t.a, 3) == 2);
  CHECK(t.a.fpu_loads == 3);
  CHECK(t.b.fpu_loads == 2);
  CHECK(t.fpu.owner() == &t.a);
  CHECK(t.a.fpu_traps == 0);
}

TEST_CASE("without a first-use trap, a vCPU that runs again after its own exit is neither saved nor loaded") {
  TwoVcpus t;
  CHECK(use(t.fpu, t.a, 1) == 0);
  for (std::uint64_t i = 2; i < 10; ++i) CHECK(use(t.fpu, t.a, i) == i - 1);
  CHECK(t.a.fpu_loads == 1);
  CHECK(t.a.fpu_saves == 0);
}

TEST_CASE("without a first-use trap, an owner that goes away is never saved, and nothing of it is seen") {
  TwoVcpus t;
  CHECK(use(t.fpu, t.a, 7) == 0);
  t.fpu.forget(t.b); // not the owner: changes nothing
  CHECK(t.fpu.owner() == &t.a);
  t.fpu.forget(t.a);
  CHECK(t.fpu.owner() == nullptr);
  t.a = Cpu{}; // its storage becomes a new vCPU
  t.fpu.created(t.a);
  CHECK(use(t.fpu, t.b, 1) == 0);
  CHECK(t.a.fpu_saves == 0);
  CHECK(use(t.fpu, t.a, 2) == 0); // the new vCPU starts at the reset state, not at the old one's 7
}

TEST_CASE("with a first-use trap, the registers move at a vCPU's first use, and never for one that does not use "
          "them") {
  const FirstUseTrap trap;
  TwoVcpus t;
  CHECK(t.a.fpu_trap);
  CHECK(t.b.fpu_trap);
  t.fpu.entering(t.a); // an entry that does not use them costs nothing
  CHECK(t.a.fpu_loads == 0);

  CHECK(use(t.fpu, t.a, 1) == 0);
  CHECK(t.a.fpu_traps == 1);
  CHECK(t.a.fpu_loads == 1);
  CHECK_FALSE(t.a.fpu_trap);
  CHECK(use(t.fpu, t.a, 2) == 1); // the owner again: no trap, no load
  CHECK(t.a.fpu_traps == 1);

  t.fpu.entering(t.b); // b runs without using them
  CHECK(t.a.fpu_saves == 0);
  CHECK(t.b.fpu_loads == 0);
  CHECK(use(t.fpu, t.a, 3) == 2); // still the owner after b's run
  CHECK(t.a.fpu_traps == 1);

  CHECK(use(t.fpu, t.b, 10) == 0);
  CHECK(t.b.fpu_traps == 1);
  CHECK(t.a.fpu_saves == 1);
  CHECK(t.a.fpu_trap); // no longer the owner: armed again
  CHECK(use(t.fpu, t.a, 4) == 3);
  CHECK(t.a.fpu_traps == 2);
  CHECK(t.b.fpu == 10);
  CHECK(t.fpu.owner() == &t.a);
}

TEST_CASE("with a first-use trap, an owner that goes away is never saved, and the next vCPU traps first") {
  const FirstUseTrap trap;
  TwoVcpus t;
  CHECK(use(t.fpu, t.a, 9) == 0);
  t.fpu.forget(t.a);
  CHECK(use(t.fpu, t.b, 1) == 0);
  CHECK(t.b.fpu_traps == 1);
  CHECK(t.a.fpu_saves == 0);
}

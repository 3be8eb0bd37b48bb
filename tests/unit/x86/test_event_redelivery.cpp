// SPDX-License-Identifier: Apache-2.0
// What the SVM backend injects after an exit that interrupted an event on its way into the guest: the
// event again, in a form VMRUN takes, and never a second copy of an interrupt the line still holds.
#include <x86/vmcb.hpp>

#include <catch2/catch_test_macros.hpp>

namespace {

using namespace hv::x86;

constexpr std::uint64_t upcall = 0xf3;
constexpr std::uint64_t line_holding(std::uint64_t vector) {
  return virtual_interrupt_request | vector << virtual_interrupt_vector_shift | virtual_interrupt_masking;
}

} // namespace

TEST_CASE("redelivery: an interrupt QEMU reports as an exception of its vector is not injected as one") {
  // As seen: the upcall's delivery faulted on a stack page the dirty log kept read-only, EXITINTINFO
  // said 0x800003f3 (an exception, vector 0xf3), and injecting that made VMRUN fail (VMEXIT_INVALID).
  const std::uint64_t reported = event_valid | event_type_exception | upcall;
  CHECK(redelivery(reported, line_holding(upcall)) == 0); // V_IRQ still holds it: the line delivers it
  CHECK(redelivery(reported, 0) == (event_valid | event_type_interrupt | upcall));
  CHECK(redelivery(reported, line_holding(0x30)) == (event_valid | event_type_interrupt | upcall));
}

TEST_CASE("redelivery: an interrupt reported as one (hardware's way) is injected once") {
  const std::uint64_t reported = event_valid | event_type_interrupt | 0xec;
  CHECK(redelivery(reported, line_holding(0xec)) == 0);
  CHECK(redelivery(reported, 0) == reported);
}

TEST_CASE("redelivery: exceptions and software interrupts go back as reported, error code and all") {
  const std::uint64_t page_fault = event_valid | event_type_exception | event_error_code_valid | 14;
  CHECK(redelivery(page_fault, line_holding(upcall)) == page_fault);
  const std::uint64_t software = event_valid | 4ull << 8 | 0x80;
  CHECK(redelivery(software, 0) == software);
  const std::uint64_t nmi = event_valid | 2ull << 8 | 2;
  CHECK(redelivery(nmi, 0) == nmi);
}

// SPDX-License-Identifier: Apache-2.0
// A vCPU's local APIC as its guest programs it through x2APIC MSRs: the timer in its three modes counting
// on the guest's TSC, interrupts requested, offered by priority, taken and ended by EOI.
#include <x86/guest_msrs.hpp>

#include <catch2/catch_test_macros.hpp>

#include <memory>

namespace {

using namespace hv::x86;

constexpr std::uint32_t tpr = 0x808, ppr = 0x80a, eoi = 0x80b, svr = 0x80f, isr = 0x810, irr = 0x820;
constexpr std::uint32_t esr = 0x828, icr = 0x830, lvt_timer = 0x832, initial = 0x838, current = 0x839;
constexpr std::uint32_t divide = 0x83e, self_ipi = 0x83f;
constexpr std::uint32_t periodic = 1u << 17, tsc_deadline_mode = 2u << 17, masked = 1u << 16;

struct Guest {
  std::unique_ptr<Vmcb> vmcb = std::make_unique<Vmcb>();
  GuestMsrs msrs;
  std::uint64_t tsc = 1'000'000; ///< the host's; the guest's is 500 more (its TSC offset)
  Guest() {
    vmcb->control.tsc_offset = 500;
    REQUIRE(write(svr, 0x1ff)); // software-enabled, spurious vector 0xff
  }
  MsrAccess access() { return {*vmcb, msrs, true, tsc}; }
  std::uint64_t now() const { return tsc + 500; }
  std::uint64_t read(std::uint32_t msr) {
    std::uint64_t value = 0xdead;
    REQUIRE(read_guest_msr(access(), msr, value));
    return value;
  }
  bool write(std::uint32_t msr, std::uint64_t value) { return write_guest_msr(access(), msr, value); }
  /// What the backend does before an entry: fire what expired, say what the guest would take.
  int advance_to(std::uint64_t host_tsc) {
    tsc = host_tsc;
    expire_timer(msrs.apic, now());
    return deliverable_vector(msrs.apic);
  }
};

} // namespace

TEST_CASE("One-shot timer: counts down at the TSC's rate over the divisor, fires once, then reads zero") {
  Guest g;
  REQUIRE(g.write(divide, 3)); // divide by 16
  REQUIRE(g.write(lvt_timer, 0x40));
  REQUIRE(g.write(initial, 100)); // 1,600 TSC ticks
  CHECK(g.read(initial) == 100);
  CHECK(g.read(current) == 100);
  CHECK(g.msrs.apic.next_event == g.now() + 1600);
  CHECK(g.advance_to(1'000'160) == -1);
  CHECK(g.read(current) == 90);
  CHECK(g.advance_to(1'001'599) == -1);
  CHECK(g.advance_to(1'001'600) == 0x40);
  CHECK(g.read(irr + 2) == 1u); // vector 0x40: word 2, bit 0
  CHECK(g.read(current) == 0);
  CHECK(g.msrs.apic.next_event == LocalApic::never);
  accept(g.msrs.apic, 0x40);
  CHECK(g.advance_to(1'100'000) == -1); // never again
}

TEST_CASE("Periodic timer: restarts at each expiry, a late look fires once and keeps the phase") {
  Guest g;
  REQUIRE(g.write(divide, 0xb)); // divide by 1
  REQUIRE(g.write(lvt_timer, 0x41 | periodic));
  REQUIRE(g.write(initial, 1000));
  CHECK(g.advance_to(1'002'500) == 0x41); // two and a half periods late: one interrupt
  CHECK(g.msrs.apic.next_event == 1'000'500 + 3000);
  CHECK(g.read(current) == 500);
  accept(g.msrs.apic, 0x41);
  REQUIRE(g.write(eoi, 0));
  CHECK(g.advance_to(1'003'000) == 0x41);
  REQUIRE(g.write(initial, 0)); // a zero count stops it
  CHECK(g.msrs.apic.next_event == LocalApic::never);
  CHECK(g.read(current) == 0);
}

TEST_CASE("TSC-deadline timer: fires when the guest's TSC reaches the deadline, then reads zero") {
  Guest g;
  REQUIRE(g.write(lvt_timer, 0x42 | tsc_deadline_mode));
  REQUIRE(g.write(initial, 1000)); // ignored in this mode
  CHECK(g.msrs.apic.next_event == LocalApic::never);
  REQUIRE(g.write(msr_tsc_deadline, g.now() + 5000));
  CHECK(g.read(msr_tsc_deadline) == g.now() + 5000);
  CHECK(g.advance_to(1'004'999) == -1);
  CHECK(g.advance_to(1'005'000) == 0x42);
  CHECK(g.read(msr_tsc_deadline) == 0);
  // Leaving the mode disarms; outside it the MSR ignores writes.
  REQUIRE(g.write(msr_tsc_deadline, g.now() + 100));
  REQUIRE(g.write(lvt_timer, 0x42));
  CHECK(g.read(msr_tsc_deadline) == 0);
  REQUIRE(g.write(msr_tsc_deadline, g.now() + 100));
  CHECK(g.read(msr_tsc_deadline) == 0);
}

TEST_CASE("A masked timer counts down without interrupting; a disabled APIC delivers nothing") {
  Guest g;
  REQUIRE(g.write(lvt_timer, 0x43 | masked));
  REQUIRE(g.write(initial, 10));
  CHECK(g.advance_to(1'010'000) == -1);
  CHECK(g.read(irr + 2) == 0);
  REQUIRE(g.write(self_ipi, 0x44));
  CHECK(deliverable_vector(g.msrs.apic) == 0x44);
  REQUIRE(g.write(svr, 0xff)); // software-disabled
  CHECK(deliverable_vector(g.msrs.apic) == -1);
  CHECK((g.read(lvt_timer) & masked) != 0);
}

TEST_CASE("Priorities: TPR and the vector in service hold off lower classes; EOI ends the highest") {
  Guest g;
  REQUIRE(g.write(tpr, 0x50));
  REQUIRE(g.write(self_ipi, 0x40));
  REQUIRE(g.write(self_ipi, 0x55));
  CHECK(deliverable_vector(g.msrs.apic) == -1); // both at or below the TPR's class
  REQUIRE(g.write(self_ipi, 0x60));
  CHECK(deliverable_vector(g.msrs.apic) == 0x60);
  accept(g.msrs.apic, 0x60);
  CHECK(g.read(isr + 3) == 1u);
  CHECK(g.read(ppr) == 0x60);
  REQUIRE(g.write(self_ipi, 0x61));
  CHECK(deliverable_vector(g.msrs.apic) == -1); // same class as the one in service
  REQUIRE(g.write(self_ipi, 0x70));
  CHECK(deliverable_vector(g.msrs.apic) == 0x70);
  accept(g.msrs.apic, 0x70);
  REQUIRE(g.write(eoi, 0)); // ends 0x70
  CHECK(g.read(isr + 3) == 1u);
  REQUIRE(g.write(eoi, 0)); // ends 0x60
  CHECK(g.read(isr + 3) == 0);
  CHECK(deliverable_vector(g.msrs.apic) == 0x61);
  REQUIRE(g.write(tpr, 0));
  CHECK(g.read(ppr) == 0);
}

TEST_CASE("ICR: fixed interrupts to itself are requested, others leave a message, illegal vectors are errors") {
  Guest g;
  REQUIRE(g.write(icr, 0x30 | 1u << 18)); // shorthand: self
  CHECK(deliverable_vector(g.msrs.apic) == 0x30);
  CHECK_FALSE(g.msrs.apic.message_waiting);
  accept(g.msrs.apic, 0x30);
  REQUIRE(g.write(eoi, 0));
  REQUIRE(g.write(icr, 0x0000'0007'0000'0031ull)); // to x2APIC ID 7: not this one
  CHECK(deliverable_vector(g.msrs.apic) == -1);
  CHECK(g.msrs.apic.message_waiting);
  const IcrMessage m = message_to_others(g.msrs.apic, g.msrs.apic.interrupt_command);
  CHECK(m.kind == IcrMessage::Kind::fixed);
  CHECK(m.targets == 1u << 7);
  CHECK(m.vector == 0x31);
  g.msrs.apic.message_waiting = false;
  REQUIRE(g.write(icr, 0x0000'0000'0000'0032ull)); // to ID 0: this one
  CHECK(deliverable_vector(g.msrs.apic) == 0x32);
  CHECK_FALSE(g.msrs.apic.message_waiting);
  REQUIRE(g.write(self_ipi, 5));
  CHECK(g.read(esr) == 1u << 6); // received an illegal vector
  CHECK_FALSE(g.write(self_ipi, 0x100));
  CHECK_FALSE(g.write(tpr, 0x100));
}

TEST_CASE("ICR messages: shorthands, physical and logical destinations, INIT and startup IPIs") {
  LocalApic apic;
  apic.id = 2;
  const auto message = [&](std::uint64_t command) { return message_to_others(apic, command); };
  constexpr std::uint64_t all_but_self = 3ull << 18, all = 2ull << 18, logical = 1u << 11;
  SECTION("all but itself, and all: every other ID below 32") {
    CHECK(message(0x40 | all_but_self).targets == ~(1u << 2));
    CHECK(message(0x40 | all).targets == ~(1u << 2));
    CHECK(message(0x40 | 0xffff'ffffull << 32).targets == ~(1u << 2)); // physical broadcast
  }
  SECTION("physical: one ID; its own or one past 31 reach no other vCPU") {
    CHECK(message(0x40 | 5ull << 32).targets == 1u << 5);
    CHECK(message(0x40 | 2ull << 32).kind == IcrMessage::Kind::none);
    CHECK(message(0x40 | 40ull << 32).kind == IcrMessage::Kind::none);
  }
  SECTION("logical: a cluster of 16 and a bit for each member, as the LDR reads") {
    CHECK(message(0x40 | logical | 0x0000'0013ull << 32).targets == (1u << 0 | 1u << 1 | 1u << 4));
    CHECK(message(0x40 | logical | 0x0001'0003ull << 32).targets == (1u << 16 | 1u << 17));
  }
  SECTION("lowest priority goes to one of them") { CHECK(message(0x40 | 1u << 8 | all_but_self).targets == 1u << 0); }
  SECTION("INIT asserted resets, its de-assert does nothing; a startup IPI carries its page") {
    const IcrMessage init = message(5u << 8 | 1u << 14 | 1u << 15 | 3ull << 32);
    CHECK(init.kind == IcrMessage::Kind::init);
    CHECK(init.targets == 1u << 3);
    CHECK(message(5u << 8 | 1u << 15 | 3ull << 32).kind == IcrMessage::Kind::none);
    const IcrMessage start = message(6u << 8 | 0x9a | 3ull << 32);
    CHECK(start.kind == IcrMessage::Kind::startup);
    CHECK(start.vector == 0x9a);
  }
  SECTION("NMI, SMI and illegal vectors send nothing") {
    CHECK(message(4u << 8 | 3ull << 32).kind == IcrMessage::Kind::none);
    CHECK(message(2u << 8 | 3ull << 32).kind == IcrMessage::Kind::none);
    CHECK(message(0x05 | 3ull << 32).kind == IcrMessage::Kind::none);
  }
}

TEST_CASE("INIT leaves the APIC at its reset state with its ID") {
  Guest g;
  g.msrs.apic.id = 3;
  REQUIRE(g.write(tpr, 0x20));
  REQUIRE(g.write(icr, 0x30 | 1u << 18));
  reset_after_init(g.msrs.apic);
  CHECK(g.msrs.apic.id == 3);
  CHECK(g.msrs.apic.tpr == 0);
  CHECK(g.msrs.apic.spurious == 0xff); // software-disabled
  CHECK(g.msrs.apic.requested_words == 0);
}

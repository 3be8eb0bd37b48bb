// SPDX-License-Identifier: Apache-2.0
// What a guest's RDMSR and WRMSR see under the SVM backend: the MSRs a PC kernel touches answered as a PC
// answers them, the values the CPU would refuse refused with #GP (false), and nothing else reachable.
#include <x86/guest_msrs.hpp>

#include <catch2/catch_test_macros.hpp>

#include <memory>

namespace {

using namespace hv::x86;

struct Guest {
  std::unique_ptr<Vmcb> vmcb = std::make_unique<Vmcb>();
  GuestMsrs msrs;
  std::uint64_t tsc = 1'000'000;
  MsrAccess access() { return {*vmcb, msrs, true, tsc}; }
  Guest() { vmcb->state.efer = efer_svme; }
  std::uint64_t read(std::uint32_t msr) {
    std::uint64_t value = 0xdead;
    REQUIRE(read_guest_msr(access(), msr, value));
    return value;
  }
  bool write(std::uint32_t msr, std::uint64_t value) { return write_guest_msr(access(), msr, value); }
};

constexpr std::uint64_t cr0_paging = 1ull << 31;
constexpr std::uint64_t cr4_pae = 1ull << 5;

} // namespace

TEST_CASE("EFER: the guest's own bits, never the hypervisor's SVME, and long mode switched only with paging off") {
  Guest g;
  g.vmcb->state.cr4 = cr4_pae; // as a kernel sets it before LME
  CHECK(g.read(msr_efer) == 0);
  CHECK(g.write(msr_efer, efer_lme | efer_sce | efer_nxe));
  CHECK(g.read(msr_efer) == (efer_lme | efer_sce | efer_nxe));
  CHECK((g.vmcb->state.efer & efer_svme) != 0); // VMRUN needs it; the guest does not see it

  CHECK_FALSE(g.write(msr_efer, efer_svme));  // CPUID offers no SVM
  CHECK_FALSE(g.write(msr_efer, 1ull << 20)); // reserved

  g.vmcb->state.cr0 = cr0_paging;
  g.vmcb->state.efer |= efer_lma;                           // the CPU set it when paging came on
  CHECK_FALSE(g.write(msr_efer, efer_sce | efer_nxe));      // LME off with paging on: #GP, as on hardware
  CHECK(g.write(msr_efer, efer_lme | efer_lma | efer_nxe)); // written back as read: fine
  CHECK(g.read(msr_efer) == (efer_lme | efer_lma | efer_nxe));
}

TEST_CASE("EFER: LME while CR4.PAE is clear is refused, which keeps QEMU's #VMEXIT from leaving the host unpaged") {
  // At #VMEXIT QEMU loads the host's CR0 while EFER and CR4 are still the guest's; with the guest's LME set
  // and its PAE clear, that load gives up and the hypervisor runs on with the guest's CR0, paging off
  // (found by the registers mode of the misbehave guest). Hardware would fault only at the CR0 write that
  // turns paging on, so only a kernel that sets LME before PAE sees a difference.
  Guest g;
  CHECK_FALSE(g.write(msr_efer, efer_lme));
  CHECK_FALSE(g.write(msr_efer, efer_lme | efer_sce));
  CHECK(g.read(msr_efer) == 0);
  CHECK((g.vmcb->state.efer & efer_lme) == 0);
  CHECK(g.write(msr_efer, efer_sce | efer_nxe)); // the other bits as before
  g.vmcb->state.cr4 = cr4_pae;
  CHECK(g.write(msr_efer, efer_lme));
}

TEST_CASE("EFER: a guest in 32-bit paged mode cannot turn on long mode under itself") {
  Guest g;
  g.vmcb->state.cr0 = cr0_paging;
  CHECK_FALSE(g.write(msr_efer, efer_lme));
  CHECK(g.read(msr_efer) == 0);
}

TEST_CASE("PAT: any valid memory type per entry, anything else refused") {
  Guest g;
  g.vmcb->state.guest_pat = 0x0007'0406'0007'0406ull;
  CHECK(g.read(msr_pat) == 0x0007'0406'0007'0406ull);
  CHECK(g.write(msr_pat, 0x0007'0501'0007'0406ull)); // Linux's: WB, WC, UC-, UC, WT, WP
  CHECK(g.vmcb->state.guest_pat == 0x0007'0501'0007'0406ull);
  CHECK_FALSE(g.write(msr_pat, 0x0000'0000'0000'0002ull)); // type 2 is reserved
  CHECK_FALSE(g.write(msr_pat, 0x0800'0000'0000'0000ull));
  CHECK(g.vmcb->state.guest_pat == 0x0007'0501'0007'0406ull);
}

TEST_CASE("TSC: the guest's clock is the host's plus an offset, which a write sets") {
  Guest g;
  CHECK(g.read(msr_tsc) == 1'000'000);
  CHECK(g.write(msr_tsc, 500));
  CHECK(g.read(msr_tsc) == 500);
  g.tsc += 100;
  CHECK(g.read(msr_tsc) == 600);
}

TEST_CASE("APIC base: at 0xfee00000, enabled in x2APIC mode, the bootstrap processor; it stays so") {
  Guest g;
  CHECK(g.read(msr_apic_base) == 0xfee0'0d00);
  CHECK(g.write(msr_apic_base, 0xfee0'0d00));       // written back as read
  CHECK_FALSE(g.write(msr_apic_base, 0xfee0'0900)); // back to xAPIC mode: no MMIO page behind it
  CHECK_FALSE(g.write(msr_apic_base, 0xfee0'0100)); // disabled
  CHECK_FALSE(g.write(msr_apic_base, 0xfec0'0d00)); // moved
}

TEST_CASE("x2APIC: ID and logical ID from the vCPU, writable registers kept, read-only ones refused") {
  Guest g;
  g.msrs.apic.id = 0x13;
  CHECK(g.read(0x802) == 0x13);
  CHECK(g.read(0x80d) == (1u << 16 | 1u << 3)); // cluster 1, bit 3
  CHECK((g.read(0x803) & 0xff) == 0x14);        // an integrated APIC
  CHECK(g.read(0x80f) == 0xff);                 // software-disabled at reset
  CHECK(g.write(0x80f, 0x1ff));                 // enabled, spurious vector 0xff
  CHECK(g.read(0x80f) == 0x1ff);
  CHECK(g.write(0x808, 0x20));
  CHECK(g.read(0x808) == 0x20);
  CHECK(g.read(0x80a) == 0x20);
  CHECK(g.read(0x832) == 0x1'0000); // the timer's LVT, masked
  CHECK(g.write(0x832, 0xef));
  CHECK(g.read(0x832) == 0xef);
  CHECK(g.write(0x80b, 0));                        // EOI
  CHECK(g.write(0x830, 0x0000'0001'0000'00f0ull)); // ICR: 64 bits in x2APIC mode
  CHECK(g.read(0x830) == 0x0000'0001'0000'00f0ull);

  std::uint64_t value = 0;
  CHECK_FALSE(write_guest_msr(g.access(), 0x802, 5));    // ID: read-only
  CHECK_FALSE(write_guest_msr(g.access(), 0x80b, 1));    // EOI takes only 0
  CHECK_FALSE(read_guest_msr(g.access(), 0x80b, value)); // and cannot be read
  CHECK_FALSE(write_guest_msr(g.access(), 0x808, 0x1'0000'0000ull));
  CHECK_FALSE(read_guest_msr(g.access(), 0x8ff, value)); // no such register
}

TEST_CASE("MTRRs: eight variable ranges and the fixed ones, kept as written, with types checked") {
  Guest g;
  CHECK(g.read(msr_mtrr_capabilities) == 0x508);
  CHECK(g.read(msr_mtrr_default_type) == 0xc06);
  CHECK(g.read(msr_mtrr_fixed_64k) == 0x0606'0606'0606'0606ull);
  CHECK(g.write(msr_mtrr_fixed_4k_first + 7, 0x0000'0000'0000'0001ull));
  CHECK(g.read(msr_mtrr_fixed_4k_first + 7) == 1);
  CHECK(g.write(msr_mtrr_variable_first + 2, 0x8000'0000ull | 6)); // base of range 1, write-back
  CHECK(g.write(msr_mtrr_variable_first + 3, 0xf'c000'0800ull));   // its mask, valid
  CHECK(g.read(msr_mtrr_variable_first + 3) == 0xf'c000'0800ull);
  CHECK_FALSE(g.write(msr_mtrr_variable_first, 3)); // type 3 is reserved
  CHECK_FALSE(g.write(msr_mtrr_capabilities, 0));   // read-only
  CHECK_FALSE(g.write(msr_mtrr_default_type, 0x1000));
}

TEST_CASE("Any other MSR raises #GP, read or written") {
  Guest g;
  std::uint64_t value = 0;
  for (std::uint32_t msr : {0x0u, 0x8bu, 0x1a0u, 0xc001'0015u, 0xc001'0114u, 0xc001'0117u, 0x4000'0001u}) {
    CAPTURE(msr);
    CHECK_FALSE(read_guest_msr(g.access(), msr, value));
    CHECK_FALSE(write_guest_msr(g.access(), msr, 0));
  }
}

TEST_CASE("The MSRs passed through are exactly those the world switch swaps") {
  for (std::uint32_t msr : passthrough_msrs) {
    CAPTURE(msr);
    CHECK(msr != msr_efer);
    CHECK(msr != msr_pat);
    CHECK(msr != msr_tsc);
  }
}

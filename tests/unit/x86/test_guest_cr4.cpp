// SPDX-License-Identifier: Apache-2.0
// What a guest's MOV to CR4 does under the SVM backend: the features its CPU has, the CPU's own rules,
// and the one legal write refused because QEMU's #VMEXIT would take the hypervisor down with it.
#include <x86/guest_cr4.hpp>
#include <x86/guest_msrs.hpp>

#include <catch2/catch_test_macros.hpp>

namespace {

using namespace hv::x86;

constexpr std::uint64_t osfxsr = 1ull << 9;
constexpr std::uint64_t la57 = 1ull << 12;
constexpr std::uint64_t vmxe = 1ull << 13;
constexpr std::uint64_t osxsave = 1ull << 18;

} // namespace

TEST_CASE("CR4: the bits a guest may set follow the CPU's features") {
  CHECK(guest_cr4_bits(0, 0, 0) == cr4_always);
  const std::uint64_t all = guest_cr4_bits(1u << 17, 1u << 0 | 1u << 7 | 1u << 20, 1u << 2 | 1u << 3);
  CHECK(all == (cr4_always | cr4_pcide | cr4_fsgsbase | cr4_smep | cr4_smap | cr4_umip | cr4_pke));
  for (const std::uint64_t never : {la57, vmxe, osxsave, std::uint64_t{1} << 32}) CHECK((all & never) == 0);
}

TEST_CASE("CR4: a kernel's writes on its way to long mode are taken") {
  const std::uint64_t bits = guest_cr4_bits(0, 1u << 7, 0);
  Cr4Write w = judge_cr4_write(0, cr4_pae_bit, 0, 0, bits);
  CHECK(w.allowed);
  CHECK(w.flush_tlb);
  w = judge_cr4_write(cr4_pae_bit, cr4_pae_bit | osfxsr, efer_lme, 0, bits);
  CHECK(w.allowed);
  CHECK_FALSE(w.flush_tlb); // OSFXSR changes nothing about translation
  CHECK(judge_cr4_write(cr4_pae_bit, cr4_pae_bit | cr4_pge | cr4_smep, efer_lme | efer_lma, 0x1000, bits).flush_tlb);
}

TEST_CASE("CR4: bits the CPU lacks or the guest was not offered fault") {
  const std::uint64_t bits = guest_cr4_bits(0, 0, 0);
  CHECK_FALSE(judge_cr4_write(0, cr4_smep, 0, 0, bits).allowed);
  CHECK_FALSE(judge_cr4_write(0, osxsave, 0, 0, bits).allowed);
  CHECK_FALSE(judge_cr4_write(0, vmxe, 0, 0, bits).allowed);
  CHECK_FALSE(judge_cr4_write(0, la57, 0, 0, bits).allowed);
  CHECK_FALSE(judge_cr4_write(0, 1ull << 40, 0, 0, bits).allowed);
}

TEST_CASE("CR4: PAE stays set once EFER.LME is, even with paging off") {
  const std::uint64_t bits = guest_cr4_bits(0, 0, 0);
  CHECK_FALSE(judge_cr4_write(cr4_pae_bit, 0, efer_lme, 0, bits).allowed);            // QEMU's #VMEXIT hazard
  CHECK_FALSE(judge_cr4_write(cr4_pae_bit, 0, efer_lme | efer_lma, 0, bits).allowed); // the CPU's own rule
  CHECK(judge_cr4_write(cr4_pae_bit, 0, 0, 0, bits).allowed);                         // legacy mode: free
}

TEST_CASE("CR4: PCIDE only in long mode, with CR3's PCID zero") {
  const std::uint64_t bits = guest_cr4_bits(1u << 17, 0, 0);
  const std::uint64_t base = cr4_pae_bit;
  CHECK_FALSE(judge_cr4_write(base, base | cr4_pcide, efer_lme, 0, bits).allowed);
  CHECK_FALSE(judge_cr4_write(base, base | cr4_pcide, efer_lme | efer_lma, 0x1005, bits).allowed);
  CHECK(judge_cr4_write(base, base | cr4_pcide, efer_lme | efer_lma, 0x1000, bits).allowed);
  CHECK(judge_cr4_write(base | cr4_pcide, base | cr4_pcide, efer_lme | efer_lma, 0x1005, bits).allowed);
}

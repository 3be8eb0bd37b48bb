// SPDX-License-Identifier: Apache-2.0
// POWER9 special-purpose registers and the bits of them the port uses (Power ISA 3.0B numbering:
// bit 0 is the most significant, so "bit n" is 1 << (63 - n)).
#pragma once

#include <hv/types.hpp>

namespace hv::ppc64 {

constexpr u64 ibm_bit(unsigned n) { return 1ull << (63 - n); }

namespace spr {
constexpr u32 dsisr = 18;
constexpr u32 dar = 19;
constexpr u32 dec = 22;
constexpr u32 srr0 = 26;
constexpr u32 srr1 = 27;
constexpr u32 pidr = 48;
constexpr u32 hfscr = 190;
constexpr u32 sprg2 = 274;
constexpr u32 tb = 268; // read-only alias for mftb
constexpr u32 pvr = 287;
constexpr u32 hsprg0 = 304;
constexpr u32 hsprg1 = 305;
constexpr u32 hdsisr = 306;
constexpr u32 hdar = 307;
constexpr u32 hdec = 310;
constexpr u32 hsrr0 = 314;
constexpr u32 hsrr1 = 315;
constexpr u32 lpcr = 318;
constexpr u32 lpidr = 319;
constexpr u32 heir = 339;
constexpr u32 amor = 349;
constexpr u32 ptcr = 464;
constexpr u32 asdr = 816;
constexpr u32 ppr = 896;
constexpr u32 psscr = 855;
constexpr u32 hid0 = 1008;
constexpr u32 pir = 1023; // this thread's interrupt server number, read-only
} // namespace spr

namespace msr {
constexpr u64 sf = ibm_bit(0);
constexpr u64 hv = ibm_bit(3);
constexpr u64 ee = ibm_bit(48);
constexpr u64 pr = ibm_bit(49);
constexpr u64 me = ibm_bit(51);
constexpr u64 ir = ibm_bit(58);
constexpr u64 dr = ibm_bit(59);
constexpr u64 ri = ibm_bit(62);
constexpr u64 le = ibm_bit(63);
} // namespace msr

namespace lpcr {
constexpr u64 ile = ibm_bit(38);   // the partition's own interrupts are taken little-endian
constexpr u64 ail_shift = 63 - 40; // bits 39:40
constexpr u64 ail_mask = 3ull << ail_shift;
constexpr u64 ail_c000 = 3ull << ail_shift; // vectors at 0xC000'0000'0000'4000 with IR/DR on
constexpr u64 uprt = ibm_bit(41);           // use the process table
constexpr u64 hr = ibm_bit(43);             // the host translates radix
constexpr u64 ld = ibm_bit(46);             // large (56-bit) decrementer
constexpr u64 mer = ibm_bit(52);            // mediated external exception request
constexpr u64 gtse = ibm_bit(53);           // the guest may tlbie
constexpr u64 lpes = ibm_bit(60);           // external interrupts go to the partition, not the hypervisor
constexpr u64 hdice = ibm_bit(63);          // hypervisor decrementer interrupts on
} // namespace lpcr

namespace hid0 {
constexpr u64 power9_enable_attn = ibm_bit(2) | ibm_bit(3); // and POWER10's
constexpr u64 power8_enable_attn = ibm_bit(31);
} // namespace hid0

namespace srr1 {
// Why a program interrupt (0x700) was taken.
constexpr u64 program_illegal = ibm_bit(44);
constexpr u64 program_privileged = ibm_bit(45);
constexpr u64 program_trap = ibm_bit(46);
} // namespace srr1

namespace dsisr {
// Why a (hypervisor) data storage interrupt was taken; HSRR1 uses the same bits for HISI.
constexpr u64 no_translation = ibm_bit(33);
constexpr u64 protection = ibm_bit(36);
constexpr u64 store = ibm_bit(38);
constexpr u64 bad_configuration = ibm_bit(44); // a malformed table or table entry
} // namespace dsisr

template <u32 Spr> inline u64 read_spr() {
  u64 value;
  asm volatile("mfspr %0, %1" : "=r"(value) : "i"(Spr));
  return value;
}

/// Followed by isync: the ISA requires context synchronization after most of the SPRs written here
/// (LPCR, PTCR, PIDR, HID0) before the new value is relied upon.
template <u32 Spr> inline void write_spr(u64 value) {
  asm volatile("mtspr %0, %1\n\tisync" : : "i"(Spr), "r"(value) : "memory");
}

inline u64 read_msr() {
  u64 value;
  asm volatile("mfmsr %0" : "=r"(value));
  return value;
}

inline u64 read_timebase() {
  u64 value;
  asm volatile("mftb %0" : "=r"(value));
  return value;
}

/// Replaces LPCR bits `clear` by `set`.
inline void update_lpcr(u64 clear, u64 set) { write_spr<spr::lpcr>((read_spr<spr::lpcr>() & ~clear) | set); }

} // namespace hv::ppc64

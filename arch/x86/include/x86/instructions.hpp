// SPDX-License-Identifier: Apache-2.0
// The privileged x86 instructions both modes use, as inline functions. Control registers are as wide as
// the mode's general registers (uptr); MSRs and the TSC are 64-bit in both modes.
#pragma once

#include <hv/types.hpp>

namespace hv::x86 {

inline u64 rdtsc() {
  u32 low, high;
  asm volatile("rdtsc" : "=a"(low), "=d"(high));
  return (static_cast<u64>(high) << 32) | low;
}

inline u64 rdmsr(u32 msr) {
  u32 low, high;
  asm volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
  return (static_cast<u64>(high) << 32) | low;
}

inline void wrmsr(u32 msr, u64 value) {
  asm volatile("wrmsr" : : "c"(msr), "a"(static_cast<u32>(value)), "d"(static_cast<u32>(value >> 32)) : "memory");
}

struct CpuidResult {
  u32 eax, ebx, ecx, edx;
};

inline CpuidResult cpuid(u32 leaf, u32 subleaf = 0) {
  CpuidResult r;
  asm volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(subleaf));
  return r;
}

inline uptr read_cr0() {
  uptr value;
  asm volatile("mov %%cr0, %0" : "=r"(value));
  return value;
}
inline void write_cr0(uptr value) { asm volatile("mov %0, %%cr0" : : "r"(value) : "memory"); }

inline uptr read_cr2() {
  uptr value;
  asm volatile("mov %%cr2, %0" : "=r"(value));
  return value;
}

inline uptr read_cr3() {
  uptr value;
  asm volatile("mov %%cr3, %0" : "=r"(value));
  return value;
}
/// Also flushes every non-global TLB entry (and, under PAE, reloads the four PDPTEs).
inline void write_cr3(uptr value) { asm volatile("mov %0, %%cr3" : : "r"(value) : "memory"); }

inline uptr read_cr4() {
  uptr value;
  asm volatile("mov %%cr4, %0" : "=r"(value));
  return value;
}
inline void write_cr4(uptr value) { asm volatile("mov %0, %%cr4" : : "r"(value) : "memory"); }

inline void invlpg(uptr va) { asm volatile("invlpg (%0)" : : "r"(va) : "memory"); }
inline void flush_tlb() { write_cr3(read_cr3()); }

inline void cli() { asm volatile("cli" : : : "memory"); }
inline void sti() { asm volatile("sti" : : : "memory"); }

inline constexpr uptr cr0_paging = uptr{1} << 31;
inline constexpr uptr cr4_pae = uptr{1} << 5;
inline constexpr u32 cpuid_1_edx_apic = 1u << 9;

} // namespace hv::x86

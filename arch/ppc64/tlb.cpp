// SPDX-License-Identifier: Apache-2.0
// tlbiel and tlbie in their Power ISA 3.0 form (RIC, PRS and R fields), which Clang 19's assembler does
// not accept: the instruction is emitted as a word, with its operands pinned to r4 (RB) and r5 (RS).
#include <ppc64/tlb.hpp>

namespace hv::ppc64::tlb {
namespace {

enum class What : u32 { tlb = 0, page_walk_cache = 1, all = 2 }; // RIC
enum class Scope : u32 { partition = 0, process = 1 };           // PRS

constexpr u32 rb_register = 4;
constexpr u32 rs_register = 5;

// X-form, primary opcode 31: tlbiel is extended opcode 274 (this thread), tlbie 306 (every thread).
enum class Reach : u32 { this_thread = 274, every_thread = 306 };

constexpr u32 tlbi_word(Reach reach, What ric, Scope prs) {
  constexpr u32 radix = 1; // R: the entries are radix ones
  return (31u << 26) | (rs_register << 21) | (static_cast<u32>(ric) << 18) | (static_cast<u32>(prs) << 17) |
         (radix << 16) | (rb_register << 11) | (static_cast<u32>(reach) << 1);
}

template <What Ric, Scope Prs, Reach R = Reach::this_thread> void tlbiel(u64 rb_value, u64 rs_value) {
  register u64 rb asm("r4") = rb_value;
  register u64 rs asm("r5") = rs_value;
  asm volatile(".long %2" : : "r"(rb), "r"(rs), "n"(tlbi_word(R, Ric, Prs)) : "memory");
}

// RB: the invalidation selector IS in bits 52:53, the TLB set in bits 40:51.
constexpr u64 is_one_page = 0ull << 10;
constexpr u64 is_partition = 2ull << 10; // every entry of the LPID in RS bits 32:63
constexpr u64 is_everything = 3ull << 10;
constexpr u64 page_mask = ~0xfffull; // with AP (bits 56:58) = 0: a 4 KiB page
constexpr unsigned set_shift = 12;
// POWER9 keeps radix translations in 128 TLB sets; a set-wide tlbiel covers one of them.
constexpr u64 radix_tlb_sets = 128;

} // namespace

void flush_all_local() {
  asm volatile("ptesync" : : : "memory");
  // Set 0 with RIC=2 also drops the page-walk and table-entry caches; the other sets only hold TLB.
  tlbiel<What::all, Scope::partition>(is_everything, 0);
  tlbiel<What::all, Scope::process>(is_everything, 0);
  for (u64 set = 1; set < radix_tlb_sets; ++set) {
    tlbiel<What::tlb, Scope::partition>(is_everything | (set << set_shift), 0);
    tlbiel<What::tlb, Scope::process>(is_everything | (set << set_shift), 0);
  }
  asm volatile("ptesync" : : : "memory");
}

void flush_partition(u32 lpid) {
  asm volatile("ptesync" : : : "memory");
  tlbiel<What::all, Scope::partition, Reach::every_thread>(is_partition, lpid);
  tlbiel<What::all, Scope::process, Reach::every_thread>(is_partition, lpid);
  // Every thread has dropped them once tlbsync and the ptesync after it complete (Power ISA 3.0, "TLB
  // Management Instructions").
  asm volatile("eieio\n\ttlbsync\n\tptesync" : : : "memory");
}

void flush_page_local(u64 va, u32 pid) {
  asm volatile("ptesync" : : : "memory");
  tlbiel<What::tlb, Scope::process>((va & page_mask) | is_one_page, static_cast<u64>(pid) << 32);
  asm volatile("ptesync" : : : "memory");
}

void flush_guest_page_local(u64 gpa, u32 lpid) {
  asm volatile("ptesync" : : : "memory");
  tlbiel<What::tlb, Scope::partition>((gpa & page_mask) | is_one_page, lpid);
  asm volatile("ptesync" : : : "memory");
}

} // namespace hv::ppc64::tlb

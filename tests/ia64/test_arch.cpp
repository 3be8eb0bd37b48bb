// SPDX-License-Identifier: Apache-2.0
// Host tests of the IA-64 port's pure architecture logic (arch/ia64/include/ia64/arch.hpp): register
// encoders, the IVT layout table, the page-table indexing and the choice of the page a TLB miss inserts.
// Standalone (no test framework) so that tests/ia64/check-layout can build and run it with any host C++20
// compiler:  c++ -std=c++20 -Iarch/ia64/include -Iarch -Icommon/include tests/ia64/test_arch.cpp
#include <ia64/arch.hpp>

#include <cstdio>
#include <cstdlib>
#include <initializer_list>

using namespace hv;
using namespace hv::ia64;

namespace {

int failures = 0;

void expect(bool ok, const char* what, unsigned long long detail = 0) {
  if (!ok) {
    ++failures;
    std::printf("FAIL %s (%#llx)\n", what, detail);
  }
}

u64 state = 0x9e3779b97f4a7c15ull;
u64 next_random() {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

void region_registers() {
  for (int i = 0; i < 10000; ++i) {
    const u64 r = next_random();
    const RegionRegister rr{static_cast<u32>(r & 0xff'ffff), static_cast<unsigned>((r >> 24) & 0x3f),
                            ((r >> 30) & 1) != 0};
    const u64 v = encode_rr(rr);
    const RegionRegister back = decode_rr(v);
    expect(back.rid == rr.rid && back.page_shift == rr.page_shift && back.walker == rr.walker, "rr round trip", v);
    expect((v & 0x2) == 0 && (v >> 32) == 0, "rr reserved bits clear", v);
  }
}

void page_table_address() {
  for (unsigned size = pta_min_size_shift; size < 30; ++size) {
    const u64 base = (next_random() & ((1ull << 50) - 1)) & ~((1ull << size) - 1);
    const u64 v = encode_pta({base, size, true, true});
    expect((v & ~((1ull << 15) - 1)) == base, "pta base", v);
    expect(((v >> 2) & 0x3f) == size && (v & 0x100) != 0 && (v & 1) != 0, "pta size, vf, ve", v);
    expect((v & 0x7e02) == 0, "pta reserved bits clear", v);
    expect(pta_valid({base, size, true, true}), "pta valid when aligned", base);
  }
}

void ptes() {
  expect((make_pte(0x1000, MapAttr::read) >> pte::ar_shift & 7) == 0, "read-only is ar 0");
  expect((make_pte(0x1000, MapAttr::read | MapAttr::execute) >> pte::ar_shift & 7) == 1, "read-execute is ar 1");
  expect((make_pte(0x1000, MapAttr::read | MapAttr::write) >> pte::ar_shift & 7) == 2, "read-write is ar 2");
  expect((make_pte(0x1000, MapAttr::read | MapAttr::write | MapAttr::execute) >> pte::ar_shift & 7) == 3,
         "rwx is ar 3");
  expect((make_pte(0x1000, MapAttr::read | MapAttr::device) >> pte::ma_shift & 7) == 4,
         "devices are uncacheable (ma 4)");
  expect((make_pte(0x1000, MapAttr::read) >> pte::ma_shift & 7) == 0, "memory is write-back (ma 0)");
  for (int i = 0; i < 1000; ++i) {
    const u64 pa = next_random() & pte::ppn_mask;
    const u64 e = make_pte(pa, MapAttr::read | MapAttr::write);
    expect(pte_address(e) == pa && pte_present(e) && pt::is_leaf(e) && !pt::is_table(e), "pte round trip", e);
    expect(pt::is_table(pt::table_entry(pa)) && pte_address(pt::table_entry(pa)) == pa, "table entry round trip", pa);
  }
}

void vector_table() {
  u64 expected = 0;
  for (unsigned i = 0; i < ivt_entries; ++i) {
    expect(ivt_offset(i) == expected, "ivt entries are contiguous", i);
    expected += ivt_entry_size(i);
  }
  expect(expected == ivt_size, "the entries fill the 32 KiB table", expected);
  expect(ivt_kind(vector::break_instruction) == TrapKind::breakpoint, "break is a breakpoint");
  expect(ivt_kind(vector::external_interrupt) == TrapKind::external, "external interrupt");
  expect(ivt_kind(vector::general_exception) == TrapKind::illegal_instruction, "general exception");
  expect(ivt_kind(vector::page_not_present) == TrapKind::page_fault, "page not present");
  expect(ivt_kind(0x7f00) == TrapKind::other, "reserved vectors are other");
  for (u64 v : {vector::vhpt_translation, vector::instruction_tlb, vector::data_tlb, vector::alternate_instruction_tlb,
                vector::alternate_data_tlb})
    expect(ivt_is_tlb_miss(v), "tlb miss vectors", v);
  expect(!ivt_is_tlb_miss(vector::data_nested_tlb), "the nested miss is not refilled");
}

void indexing() {
  for (int i = 0; i < 10000; ++i) {
    const u64 va = (next_random() & 0xe000'0000'0000'0000ull) | (next_random() & ((1ull << pt::va_bits) - 1));
    u64 rebuilt = region_base(region_of(va)) | (va & (pt::page_size - 1));
    for (unsigned level = 1; level <= pt::levels; ++level)
      rebuilt |= static_cast<u64>(pt::index(va, level)) << pt::level_shift(level);
    expect(rebuilt == va && pt::va_supported(va), "indices rebuild the address", va);
  }
  expect(!pt::va_supported(1ull << 48), "offsets past 48 bits are not described");
}

void misses() {
  for (int i = 0; i < 20000; ++i) {
    const unsigned leaf_shift = (next_random() % 3) * 9 + 12; // 12, 21 or 30
    const u64 va = next_random() & ((1ull << 40) - 1);
    const u64 leaf_pa = (next_random() & ((1ull << 44) - 1)) & ~((1ull << leaf_shift) - 1);
    const u64 leaf = make_pte(leaf_pa, MapAttr::read | MapAttr::write);
    const u64 pin_base = (va & ~((1ull << 26) - 1)) + ((next_random() % 5) << 24) - (2ull << 24);
    const MemoryRange pins[] = {{pin_base, 1ull << 24}};
    const bool va_pinned = pins[0].contains(va);
    const Insertion ins = page_for_miss(va, leaf, leaf_shift, pins, 1);
    if (va_pinned) {
      expect(ins.page_shift == 0, "no insertion inside a pinned range", va);
      continue;
    }
    const u64 size = 1ull << ins.page_shift;
    expect(page_shift_supported(ins.page_shift) && ins.page_shift <= leaf_shift, "an architected size within the leaf",
           ins.page_shift);
    expect(ins.va <= va && va - ins.va < size && is_aligned(ins.va, size), "the page holds the address", va);
    expect(!(ins.va < pins[0].end() && pins[0].base < ins.va + size), "the page never overlaps a pin", va);
    const u64 leaf_va = va & ~((1ull << leaf_shift) - 1);
    expect(pte_address(ins.pte) == leaf_pa + (ins.va - leaf_va), "physical address follows", va);
    expect((ins.pte & ~pte::ppn_mask) == (leaf & ~pte::ppn_mask & ~pte::ignored_mask), "attributes kept", ins.pte);
    // Largest: the next larger architected size would leave the leaf or touch the pin.
    for (unsigned s : supported_page_shifts) {
      if (s <= ins.page_shift || s > leaf_shift) continue;
      const u64 base = va & ~((1ull << s) - 1);
      expect(base < pins[0].end() && pins[0].base < base + (1ull << s), "no larger page would have fit", va);
      break;
    }
  }
}

void slots() {
  const u64 ri1 = 1ull << psr::ri_shift;
  expect(next_slot(0x1000, 0).iip == 0x1000 && next_slot(0x1000, 0).ipsr == ri1, "slot 0 -> 1");
  expect(next_slot(0x1000, ri1).ipsr == 2 * ri1, "slot 1 -> 2");
  expect(next_slot(0x1000, 2 * ri1 | psr::ic).iip == 0x1010 && next_slot(0x1000, 2 * ri1 | psr::ic).ipsr == psr::ic,
         "slot 2 -> next bundle");
  expect(slot_address(0x1000, 2 * ri1) == 0x1002, "slot address");
  expect((hypervisor_psr & psr::i) == 0 && (hypervisor_psr & psr::dfh) != 0 && (hypervisor_psr & psr::bn) != 0,
         "hypervisor psr");
}

} // namespace

int main() {
  region_registers();
  page_table_address();
  ptes();
  vector_table();
  indexing();
  misses();
  slots();
  std::printf("%s: ia64 arch logic, %d failures\n", failures == 0 ? "ok" : "FAIL", failures);
  return failures == 0 ? 0 : 1;
}

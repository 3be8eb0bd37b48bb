// SPDX-License-Identifier: Apache-2.0
// IA-64 architecture facts as pure, constexpr C++: register encodings, the interruption vector table's
// layout, the long-format VHPT entry and the hypervisor's own page-table format. Nothing here touches the
// CPU, so the same header compiles on the host (tests) and for the target (the port).
//
// Sources of the facts: Intel Itanium Architecture Software Developer's Manual, volume 2 (system
// architecture): region registers (RR), the page table address register (PTA), the translation insertion
// format (PTE and ITIR), the long-format VHPT entry, the processor status register (PSR), the external
// interrupt control registers (ITV, TPR) and the interruption vector table. The code is this project's.
#pragma once

#include <contract/types.hpp>

namespace hv::ia64 {

// ---------------------------------------------------------------------------------------------------
// Processor status register bits (PSR).
namespace psr {
inline constexpr u64 be = 1ull << 1;     ///< big-endian data
inline constexpr u64 ic = 1ull << 13;    ///< interruption collection
inline constexpr u64 i = 1ull << 14;     ///< external interrupts unmasked
inline constexpr u64 dt = 1ull << 17;    ///< data address translation
inline constexpr u64 dfl = 1ull << 18;   ///< f2-f31 disabled
inline constexpr u64 dfh = 1ull << 19;   ///< f32-f127 disabled
inline constexpr u64 rt = 1ull << 27;    ///< register stack translation
inline constexpr u64 it = 1ull << 36;    ///< instruction address translation
inline constexpr u64 bn = 1ull << 44;    ///< register bank 1 (r16-r31)
inline constexpr unsigned ri_shift = 41; ///< restart instruction: slot 0-2 within the bundle at IIP
inline constexpr u64 ri_mask = 3ull << ri_shift;
} // namespace psr

/// The PSR the hypervisor runs with once its tables are live: translation on for instructions, data and
/// the register stack, interruption collection on, bank 1, privilege level 0, little-endian, interrupts
/// masked (Cpu::interrupts_enable sets psr.i) and the high floating-point partition disabled: the build
/// keeps the compiler away from f32-f127 (-mfixed-range) and psr.dfh turns a slip into a fault.
inline constexpr u64 hypervisor_psr = psr::ic | psr::dt | psr::rt | psr::it | psr::bn | psr::dfh;

/// The restart slot and the bundle after a trap: the address of the instruction after (iip, ri).
struct Resume {
  u64 iip;
  u64 ipsr;
};
constexpr Resume next_slot(u64 iip, u64 ipsr) {
  const u64 ri = (ipsr & psr::ri_mask) >> psr::ri_shift;
  if (ri >= 2) return {iip + 16, ipsr & ~psr::ri_mask};
  return {iip, (ipsr & ~psr::ri_mask) | ((ri + 1) << psr::ri_shift)};
}
/// How diagnostics name an instruction: the bundle address with the slot in the low bits.
constexpr u64 slot_address(u64 iip, u64 ipsr) { return iip | ((ipsr & psr::ri_mask) >> psr::ri_shift); }

// ---------------------------------------------------------------------------------------------------
// Virtual addresses: bits 63:61 select one of eight regions, each with its own region register.
inline constexpr unsigned region_shift = 61;
constexpr unsigned region_of(u64 va) { return static_cast<unsigned>(va >> region_shift); }
constexpr u64 region_offset(u64 va) { return va & ((1ull << region_shift) - 1); }
constexpr u64 region_base(unsigned vrn) { return static_cast<u64>(vrn) << region_shift; }

/// Region register: ve (bit 0) enables the VHPT walker for the region, ps (bits 7:2) is the preferred
/// page size as log2, rid (bits 31:8) the region identifier that tags the region's translations.
struct RegionRegister {
  u32 rid;
  unsigned page_shift;
  bool walker;
};
constexpr u64 encode_rr(RegionRegister r) {
  return (r.walker ? 1ull : 0ull) | (static_cast<u64>(r.page_shift & 0x3f) << 2) |
         (static_cast<u64>(r.rid & 0xff'ffff) << 8);
}
constexpr RegionRegister decode_rr(u64 v) {
  return {static_cast<u32>((v >> 8) & 0xff'ffff), static_cast<unsigned>((v >> 2) & 0x3f), (v & 1) != 0};
}

/// Page table address register (cr.pta): ve (bit 0) enables the walker, size (bits 7:2) is log2 of the
/// VHPT's size (15 at least), vf (bit 8) selects the long format, base (bits 63:15) is the VHPT's virtual
/// address, aligned to its size.
struct PageTableAddress {
  u64 base;
  unsigned size_shift;
  bool long_format;
  bool walker;
};
inline constexpr unsigned pta_min_size_shift = 15;
constexpr u64 encode_pta(PageTableAddress p) {
  return (p.base & ~((1ull << 15) - 1)) | (p.long_format ? 1ull << 8 : 0) |
         (static_cast<u64>(p.size_shift & 0x3f) << 2) | (p.walker ? 1ull : 0ull);
}
constexpr bool pta_valid(PageTableAddress p) {
  return p.size_shift >= pta_min_size_shift && p.size_shift < 64 && is_aligned(p.base, 1ull << p.size_shift);
}

// ---------------------------------------------------------------------------------------------------
// Translations: the insertion format of a PTE (what itc/itr and the VHPT take) and of ITIR.
namespace pte {
inline constexpr u64 present = 1ull << 0;
inline constexpr unsigned ma_shift = 2; ///< memory attribute, bits 4:2
inline constexpr u64 ma_wb = 0ull << ma_shift;
inline constexpr u64 ma_uc = 4ull << ma_shift;
inline constexpr u64 accessed = 1ull << 5;
inline constexpr u64 dirty = 1ull << 6;
inline constexpr unsigned pl_shift = 7; ///< privilege level, bits 8:7 (0 = most privileged)
inline constexpr unsigned ar_shift = 9; ///< access rights, bits 11:9
inline constexpr u64 ar_r = 0ull << ar_shift;
inline constexpr u64 ar_rx = 1ull << ar_shift;
inline constexpr u64 ar_rw = 2ull << ar_shift;
inline constexpr u64 ar_rwx = 3ull << ar_shift;
inline constexpr u64 ppn_mask = ((1ull << 50) - 1) & ~((1ull << 12) - 1); ///< physical page number, bits 49:12
inline constexpr u64 exception_deferral = 1ull << 52;
/// Bits 63:53 are ignored by the hardware; the hypervisor's tables use bit 63 to mark a pointer to the
/// next level (never a translation).
inline constexpr u64 sw_table = 1ull << 63;
inline constexpr u64 ignored_mask = ~((1ull << 53) - 1);
} // namespace pte

/// The PTE for a page of the hypervisor's own at privilege level 0. Accessed and dirty are preset: the
/// hypervisor does no page aging, so access-bit and dirty-bit faults never happen on its pages.
constexpr u64 make_pte(PhysAddr pa, MapAttr attr) {
  u64 ar = pte::ar_r;
  const bool w = has(attr, MapAttr::write);
  const bool x = has(attr, MapAttr::execute);
  if (w && x)
    ar = pte::ar_rwx;
  else if (w)
    ar = pte::ar_rw;
  else if (x)
    ar = pte::ar_rx;
  return pte::present | (has(attr, MapAttr::device) ? pte::ma_uc : pte::ma_wb) | pte::accessed | pte::dirty | ar |
         (pa & pte::ppn_mask);
}
constexpr PhysAddr pte_address(u64 e) { return e & pte::ppn_mask; }
constexpr bool pte_present(u64 e) { return (e & pte::present) != 0; }

/// ITIR: ps (bits 7:2) the page size as log2, key (bits 31:8) the protection key.
constexpr u64 encode_itir(unsigned page_shift, u32 key = 0) {
  return (static_cast<u64>(page_shift & 0x3f) << 2) | (static_cast<u64>(key & 0xff'ffff) << 8);
}
constexpr unsigned itir_page_shift(u64 itir) { return static_cast<unsigned>((itir >> 2) & 0x3f); }

/// Page sizes every implementation supports (log2): 4K 8K 16K 64K 256K 1M 4M 16M 64M 256M.
inline constexpr unsigned supported_page_shifts[] = {12, 13, 14, 16, 18, 20, 22, 24, 26, 28};
constexpr bool page_shift_supported(unsigned s) {
  for (unsigned p : supported_page_shifts)
    if (p == s) return true;
  return false;
}

/// One long-format VHPT entry (32 bytes): the PTE in insertion format, the ITIR, the tag (bit 63 "ti"
/// set means invalid) and a doubleword the hardware ignores, left to software.
struct VhptEntry {
  u64 pte;
  u64 itir;
  u64 tag;
  u64 software;
};
static_assert(sizeof(VhptEntry) == 32);
inline constexpr u64 vhpt_tag_invalid = 1ull << 63;
/// Whether `entry` holds the translation whose tag (ttag of the address) is `tag`.
constexpr bool vhpt_matches(const VhptEntry& entry, u64 tag) {
  return (entry.tag & vhpt_tag_invalid) == 0 && entry.tag == tag;
}

// ---------------------------------------------------------------------------------------------------
// External interrupts: ITV (the interval timer's vector) and TPR.
inline constexpr u64 itv_masked = 1ull << 16;
constexpr u64 encode_itv(u8 vector, bool masked) { return vector | (masked ? itv_masked : 0); }
inline constexpr u8 spurious_vector = 15;

// ---------------------------------------------------------------------------------------------------
// The interruption vector table: 32 KiB, aligned to 32 KiB; entries 0-19 are 64 bundles (0x400 bytes),
// entries 20-67 are 16 bundles (0x100 bytes).
inline constexpr u64 ivt_size = 0x8000;
inline constexpr u64 ivt_alignment = 0x8000;
inline constexpr unsigned ivt_entries = 68;
constexpr u64 ivt_offset(unsigned index) { return index < 20 ? index * 0x400ull : 0x5000ull + (index - 20) * 0x100ull; }
constexpr u64 ivt_entry_size(unsigned index) { return index < 20 ? 0x400 : 0x100; }

namespace vector {
inline constexpr u64 vhpt_translation = 0x0000;
inline constexpr u64 instruction_tlb = 0x0400;
inline constexpr u64 data_tlb = 0x0800;
inline constexpr u64 alternate_instruction_tlb = 0x0c00;
inline constexpr u64 alternate_data_tlb = 0x1000;
inline constexpr u64 data_nested_tlb = 0x1400;
inline constexpr u64 break_instruction = 0x2c00;
inline constexpr u64 external_interrupt = 0x3000;
inline constexpr u64 page_not_present = 0x5000;
inline constexpr u64 general_exception = 0x5400;
} // namespace vector

/// What common code is told a vector is (TrapKind), for the vectors that do not need the port to look
/// further (the external interrupt vector is the timer or another device depending on cr.ivr).
constexpr TrapKind ivt_kind(u64 offset) {
  switch (offset) {
  case 0x0000: // VHPT translation
  case 0x0400: // instruction TLB
  case 0x0800: // data TLB
  case 0x0c00: // alternate instruction TLB
  case 0x1000: // alternate data TLB
  case 0x1400: // data nested TLB
  case 0x2000: // dirty bit
  case 0x2400: // instruction access bit
  case 0x2800: // data access bit
  case 0x5000: // page not present
  case 0x5200: // instruction access rights
  case 0x5300: // data access rights
    return TrapKind::page_fault;
  case 0x2c00: return TrapKind::breakpoint;
  case 0x3000: return TrapKind::external;
  case 0x5400: // general exception (illegal or privileged operation, reserved register or field)
  case 0x5500: // disabled floating-point register
    return TrapKind::illegal_instruction;
  default: return TrapKind::other;
  }
}

/// Whether the vector is a TLB miss that the port refills from its own tables before anything else.
constexpr bool ivt_is_tlb_miss(u64 offset) {
  return offset == vector::vhpt_translation || offset == vector::instruction_tlb || offset == vector::data_tlb ||
         offset == vector::alternate_instruction_tlb || offset == vector::alternate_data_tlb;
}

// ---------------------------------------------------------------------------------------------------
// The hypervisor's page tables (software-defined; the hardware only ever sees translations inserted from
// them and the VHPT entries built from them).
//
// A root page holds eight entries, one per region; each names a four-level radix tree over the low 48
// bits of the region offset: 9 index bits per level, 4 KiB pages. Entries are 8 bytes: a translation in
// insertion format (present bit set, pte::sw_table clear), a pointer to the next level (present and
// pte::sw_table set, the rest the next table's physical address) or 0. Translations may sit at level 1
// (4 KiB), level 2 (2 MiB) or level 3 (1 GiB); a large one is inserted into the TLB as the largest
// architected page that fits within it (page_for_miss).
namespace pt {
inline constexpr unsigned page_shift = 12;
inline constexpr u64 page_size = 1ull << page_shift;
inline constexpr unsigned levels = 4;
inline constexpr unsigned index_bits = 9;
inline constexpr unsigned entries = 1u << index_bits;
inline constexpr unsigned va_bits = page_shift + levels * index_bits; // 48 bits of region offset
/// log2 of the span of one entry at `level` (1 = leaf table).
constexpr unsigned level_shift(unsigned level) { return page_shift + (level - 1) * index_bits; }
constexpr unsigned index(u64 va, unsigned level) {
  return static_cast<unsigned>((region_offset(va) >> level_shift(level)) & (entries - 1));
}
/// Whether the hypervisor's tables can describe `va` at all.
constexpr bool va_supported(u64 va) { return (region_offset(va) >> va_bits) == 0; }
constexpr u64 table_entry(PhysAddr next) { return (next & pte::ppn_mask) | pte::present | pte::sw_table; }
constexpr bool is_table(u64 e) { return (e & (pte::present | pte::sw_table)) == (pte::present | pte::sw_table); }
constexpr bool is_leaf(u64 e) { return (e & (pte::present | pte::sw_table)) == pte::present; }
} // namespace pt

/// A translation ready for itc: the page's virtual base, its PTE and its size.
struct Insertion {
  u64 va;
  u64 pte;
  unsigned page_shift;
};

/// The translation to insert for a miss at `va` found in a leaf `leaf` spanning 2^`leaf_shift` bytes:
/// the largest architected page within the leaf that contains `va` and does not overlap any of the
/// `pinned` virtual ranges (the translation registers: a TC entry overlapping a TR is a machine check).
/// page_shift 0 when even a 4 KiB page would overlap (a miss inside a TR cannot happen).
constexpr Insertion page_for_miss(u64 va, u64 leaf, unsigned leaf_shift, const MemoryRange* pinned,
                                  usize pinned_count) {
  const u64 leaf_va = va & ~((1ull << leaf_shift) - 1);
  for (usize k = array_size(supported_page_shifts); k-- > 0;) {
    const unsigned s = supported_page_shifts[k];
    if (s > leaf_shift) continue;
    const u64 base = va & ~((1ull << s) - 1);
    const u64 end = base + (1ull << s);
    bool overlaps = false;
    for (usize i = 0; i < pinned_count; ++i)
      if (base < pinned[i].end() && pinned[i].base < end) overlaps = true;
    if (overlaps) continue;
    const u64 pa = pte_address(leaf) + (base - leaf_va);
    return {base, (leaf & ~pte::ppn_mask & ~pte::ignored_mask) | (pa & pte::ppn_mask), s};
  }
  return {0, 0, 0};
}

// ---------------------------------------------------------------------------------------------------
// Compile-time checks of the encodings against values worked out by hand from the manual's layouts.
static_assert(encode_rr({0x123, 12, true}) == 0x12331);
static_assert(decode_rr(0x12331).rid == 0x123 && decode_rr(0x12331).page_shift == 12 && decode_rr(0x12331).walker);
static_assert(encode_pta({0x4010000, 16, true, true}) == 0x4010141);
static_assert(pta_valid({0x4010000, 16, true, true}) && !pta_valid({0x4018000, 16, true, true}));
static_assert(make_pte(0x1234000, MapAttr::read | MapAttr::write) == 0x1234461);
static_assert(make_pte(0xfed0'0000, MapAttr::read | MapAttr::write | MapAttr::device) == 0xfed0'0471);
static_assert(encode_itir(26) == 0x68);
static_assert(ivt_offset(0) == 0x0000 && ivt_offset(11) == 0x2c00 && ivt_offset(12) == 0x3000 &&
              ivt_offset(19) == 0x4c00);
static_assert(ivt_offset(20) == 0x5000 && ivt_offset(24) == 0x5400 && ivt_offset(67) == 0x7f00);
static_assert(ivt_offset(67) + ivt_entry_size(67) == ivt_size);
static_assert(next_slot(0x1000, 0).ipsr == 1ull << psr::ri_shift &&
              next_slot(0x1000, 2ull << psr::ri_shift).iip == 0x1010);
static_assert(pt::index(0xa000'0000'4000'1000ull, 1) == 1 && pt::index(0xa000'0000'4000'1000ull, 3) == 1);
static_assert(pt::level_shift(2) == 21 && pt::level_shift(3) == 30 && pt::va_bits == 48);
namespace detail {
inline constexpr MemoryRange example_pins[] = {{0x400'0000, 0x100'0000}};
}
// A miss at 81 MiB in a 1 GiB identity leaf, with 64-80 MiB pinned: the 256 MiB and 64 MiB pages around
// it would overlap the pin; the 16 MiB page [80, 96) MiB does not.
static_assert(page_for_miss(0x510'0000, make_pte(0, MapAttr::read), 30, detail::example_pins, 1).page_shift == 24);
static_assert(page_for_miss(0x510'0000, make_pte(0, MapAttr::read), 30, detail::example_pins, 1).va == 0x500'0000);
static_assert(
    pte_address(page_for_miss(0x4010'0000, make_pte(0x4000'0000, MapAttr::read), 30, detail::example_pins, 1).pte) ==
    0x4000'0000);

} // namespace hv::ia64

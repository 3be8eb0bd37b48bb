// SPDX-License-Identifier: Apache-2.0
// The system parts of the simulator without instructions (the directed programs of machine-programs/
// exercise them through the instructions, with binutils; these run in ./test --quick): translation and
// its faults (volume 2, chapter 4), the delivery of an interruption (section 5.5), the interrupt
// controller (section 5.8) and the backing store's addresses (chapter 6).
#include "board.hpp"
#include "system_registers.hpp"

#include <catch2/catch_test_macros.hpp>

namespace {

using namespace ia64sim;
using u64 = std::uint64_t;

constexpr u64 rw_page = (2u << 9) | (1u << 6) | (1u << 5) | 1; // ar rw, dirty, accessed, present

struct Machine {
  Memory memory;
  Board board{memory, u64{1} << 31, nullptr};
  Core core{memory};
  Machine() {
    core.bus = &board;
    core.rr[1] = (0x11 << 8) | (12 << 2); // region 1: ID 0x11, 4 KiB pages, walker off
  }
  Translation page(u64 va, u64 pa) const {
    Translation t;
    t.valid = true;
    t.rid = 0x11;
    t.va = region_offset(va);
    t.page_shift = 12;
    t.pte = pa | rw_page;
    return t;
  }
};

} // namespace

TEST_CASE("physical addressing drops bit 63, the uncacheable attribute") {
  Machine m;
  u64 pa = 0;
  Interruption why;
  REQUIRE(m.core.translate(0x8000'0000'F803'0000, Access::read, pa, why));
  CHECK(pa == 0xF803'0000);
}

TEST_CASE("a translation cache entry translates its page; a miss with the walker off is the alternate vector") {
  Machine m;
  m.core.psr = psr_bit::dt | psr_bit::ic;
  m.core.tlb.insert_cache(false, m.page(0x2000'0000'0000'1000, 0x80'0000));
  u64 pa = 0;
  Interruption why;
  REQUIRE(m.core.translate(0x2000'0000'0000'1008, Access::write, pa, why));
  CHECK(pa == 0x80'0008);
  CHECK_FALSE(m.core.translate(0x2000'0000'0000'2000, Access::read, pa, why));
  CHECK(why.vector == ivt::alternate_data_tlb);
  CHECK(why.ifa == 0x2000'0000'0000'2000);
  CHECK(why.itir == ((0x11u << 8) | (12u << 2)));
  CHECK((why.isr & isr_bit::r) != 0);
  // The instruction side does not see the data side's entries.
  m.core.psr |= psr_bit::it;
  CHECK_FALSE(m.core.translate(0x2000'0000'0000'1000, Access::execute, pa, why));
  CHECK(why.vector == ivt::alternate_instruction_tlb);
}

TEST_CASE("a data miss with collection off is the data nested TLB fault") {
  Machine m;
  m.core.psr = psr_bit::dt;
  u64 pa = 0;
  Interruption why;
  CHECK_FALSE(m.core.translate(0x2000'0000'0000'2000, Access::read, pa, why));
  CHECK(why.vector == ivt::data_nested_tlb);
}

TEST_CASE("the checks after a hit: present, rights, accessed, dirty") {
  Machine m;
  m.core.psr = psr_bit::dt | psr_bit::ic;
  Translation t = m.page(0x2000'0000'0000'1000, 0x80'0000);
  u64 pa = 0;
  Interruption why;
  t.pte &= ~u64{1};
  m.core.tlb.insert_cache(false, t);
  CHECK_FALSE(m.core.translate(0x2000'0000'0000'1000, Access::read, pa, why));
  CHECK(why.vector == ivt::page_not_present);
  t.pte = 0x80'0000 | (1u << 5) | (1u << 6) | 1; // ar 0: read only
  m.core.tlb.insert_cache(false, t);
  CHECK(m.core.translate(0x2000'0000'0000'1000, Access::read, pa, why));
  CHECK_FALSE(m.core.translate(0x2000'0000'0000'1000, Access::write, pa, why));
  CHECK(why.vector == ivt::data_access_rights);
  t.pte = 0x80'0000 | (2u << 9) | (1u << 6) | 1; // not accessed
  m.core.tlb.insert_cache(false, t);
  CHECK_FALSE(m.core.translate(0x2000'0000'0000'1000, Access::read, pa, why));
  CHECK(why.vector == ivt::data_access_bit);
  t.pte = 0x80'0000 | (2u << 9) | (1u << 5) | 1; // not dirty
  m.core.tlb.insert_cache(false, t);
  CHECK(m.core.translate(0x2000'0000'0000'1000, Access::read, pa, why));
  CHECK_FALSE(m.core.translate(0x2000'0000'0000'1000, Access::write, pa, why));
  CHECK(why.vector == ivt::dirty_bit);
}

TEST_CASE("purges remove the cache entries they overlap; ptr the registers too") {
  Machine m;
  Tlb& tlb = m.core.tlb;
  tlb.insert_cache(false, m.page(0x2000'0000'0000'1000, 0x80'0000));
  tlb.insert_cache(false, m.page(0x2000'0000'0000'3000, 0x81'0000));
  tlb.insert_register(false, 0, m.page(0x2000'0000'0000'5000, 0x82'0000));
  tlb.purge_cache(0x11, 0x1000, 12);
  CHECK(tlb.find(false, 0x11, 0x1000) == nullptr);
  CHECK(tlb.find(false, 0x11, 0x3000) != nullptr);
  tlb.purge_cache(0x11, 0, 16); // 64 KiB: the other entry, not the register
  CHECK(tlb.find(false, 0x11, 0x3000) == nullptr);
  CHECK(tlb.find(false, 0x11, 0x5000) != nullptr);
  tlb.purge_registers(false, 0x11, 0x5000, 12);
  CHECK(tlb.find(false, 0x11, 0x5000) == nullptr);
}

TEST_CASE("the walker inserts the VHPT entry that thash names when its tag is ttag's") {
  Machine m;
  m.core.psr = psr_bit::dt | psr_bit::ic;
  m.core.rr[0] = (0x10 << 8) | (12 << 2);
  m.core.rr[1] |= 1;                                                // walker on in region 1
  m.core.cr[cr_number::pta] = 0x30'0000 | (1 << 8) | (15 << 2) | 1; // long format, 32 KiB, enabled
  Translation table;
  table.valid = true;
  table.rid = 0x10;
  table.va = 0;
  table.page_shift = 22;
  table.pte = rw_page; // region 0's first 4 MiB, identity: the table is inside
  m.core.tlb.insert_register(false, 0, table);
  const u64 va = 0x2000'0000'0000'4010;
  const u64 entry = m.core.thash(va);
  CHECK(entry >= 0x30'0000);
  CHECK(entry < 0x30'8000);
  u64 pa = 0;
  Interruption why;
  CHECK_FALSE(m.core.translate(va, Access::read, pa, why));
  CHECK(why.vector == ivt::data_tlb);
  CHECK(why.iha == entry);
  m.board.write(entry, 8, 0x90'0000 | rw_page);
  m.board.write(entry + 8, 8, 12 << 2);
  m.board.write(entry + 16, 8, m.core.ttag(va));
  REQUIRE(m.core.translate(va, Access::read, pa, why));
  CHECK(pa == 0x90'0010);
  CHECK(m.core.ttag(va) != m.core.ttag(va + 0x1000));
  // The table itself unmapped: the walker's reference misses, a VHPT translation fault.
  m.core.tlb.purge_registers(false, 0x10, 0, 22);
  CHECK_FALSE(m.core.translate(0x2000'0000'0000'9000, Access::read, pa, why));
  CHECK(why.vector == ivt::vhpt_translation);
}

TEST_CASE("an interruption saves psr, ip and the slot, clears ic, i and bn, and enters the IVT") {
  Machine m;
  m.core.cr[cr_number::iva] = 0x10'8000;
  m.core.set_psr(psr_bit::ic | psr_bit::i | psr_bit::dt | psr_bit::bn);
  m.core.set_gr(16, 7); // bank 1
  Interruption why;
  why.vector = ivt::break_instruction;
  why.iim = 0x1234;
  m.core.deliver(why, 0x10'0040, 2);
  CHECK(m.core.ip == 0x10'8000 + ivt::break_instruction);
  CHECK(m.core.psr == psr_bit::dt);
  CHECK(m.core.cr[cr_number::iip] == 0x10'0040);
  CHECK(m.core.cr[cr_number::ipsr] == (psr_bit::ic | psr_bit::i | psr_bit::dt | psr_bit::bn | (u64{2} << 41)));
  CHECK(((m.core.cr[cr_number::isr] >> isr_bit::ei_shift) & 3) == 2);
  CHECK(m.core.cr[cr_number::iim] == 0x1234);
  CHECK(m.core.gr(16) == 0); // bank 0
  m.core.set_psr(m.core.psr | psr_bit::bn);
  CHECK(m.core.gr(16) == 7);
}

TEST_CASE("the interrupt controller: priority, TPR, in service, end of interrupt") {
  InterruptController c;
  CHECK(c.acknowledge(0) == InterruptController::spurious);
  c.raise(0x30);
  c.raise(0xef);
  CHECK(c.irr(3) == u64{1} << 47);
  CHECK(c.deliverable(u64{1} << 16) == -1); // tpr.mmi
  CHECK(c.deliverable(0xe0) == -1);         // tpr.mic 14: classes up to 14 masked
  CHECK(c.acknowledge(0) == 0xef);
  CHECK(c.deliverable(0) == -1); // 0x30 is of a lower class than 0xef in service
  c.end_of_interrupt();
  CHECK(c.acknowledge(0) == 0x30);
  c.end_of_interrupt();
  CHECK(c.acknowledge(0) == InterruptController::spurious);
}

TEST_CASE("the timer's vector becomes pending once ar.itc reaches cr.itm, unless itv.m masks it") {
  InterruptController c;
  c.set_itm(100, 0);
  c.tick(99, 0xef);
  CHECK_FALSE(c.any_pending());
  c.tick(100, 0xef);
  CHECK(c.irr(3) == u64{1} << 47);
  c.acknowledge(0);
  c.tick(101, 0xef); // once
  CHECK_FALSE(c.any_pending());
  c.set_itm(200, 150);
  c.tick(200, 0xef | (1u << 16));
  CHECK_FALSE(c.any_pending());
}

TEST_CASE("ar.bsp counts a doubleword a register and skips the NaT collection slots") {
  Machine m;
  m.core.set_bspstore(0x20'01e0);
  m.core.cfm = FrameMarker{6, 5, 0};
  m.core.call_frame(); // five locals become dirty: 0x1e0, 0x1e8, 0x1f0, (NaT 0x1f8), 0x200, 0x208
  CHECK(m.core.bsp() == 0x20'0210);
  Effect effect;
  m.core.cover(); // sof 1 (the output): one more
  CHECK(m.core.bsp() == 0x20'0218);
  REQUIRE(m.core.flush_register_stack(effect));
  CHECK(m.core.bspstore() == 0x20'0218);
  m.core.restore_frame(m.core.cr[cr_number::ifs]);
  m.core.return_frame(6 | (5 << 7)); // the caller: sof 6, sol 5
  CHECK(m.core.bsp() == 0x20'01e0);
}

TEST_CASE("the board: RAM reads zero until written, the UART is always ready, the exit device stops") {
  Memory memory;
  Board board(memory, u64{1} << 31, nullptr);
  u64 v = 1;
  REQUIRE(board.read(0x1000, 8, v));
  CHECK(v == 0);
  REQUIRE(board.read(Board::uart_base + 5, 1, v));
  CHECK((v & 0x60) == 0x60);
  REQUIRE(board.write(Board::uart_base, 1, 'h'));
  CHECK(board.console_output() == "h");
  CHECK_FALSE(board.read(0x1'0000'0000, 8, v)); // nothing there
  u64 status = 0;
  CHECK_FALSE(board.stopped(status));
  REQUIRE(board.write(Board::exit_base, 4, 0x103));
  CHECK(board.stopped(status));
  CHECK(status == 3);
}

// SPDX-License-Identifier: Apache-2.0
// writer: keeps writing its memory while a control domain migrates it (docs/migration.md). Its region is
// its RAM from 2 MiB to 64 KiB below its top; each of `rounds=N` rounds (default 3000) writes one word in
// each of the next `pages=P` pages of the region (default 32), going round the region, then yields. Each
// write first checks what the page's previous write left, and at the end every page of the region is
// checked against the last round that wrote it: a page the migration lost or left stale crashes it,
// naming the page. It reports the largest step of its PV clock between two rounds (its downtime, as it
// saw it, and the scheduler's gaps) and its write rate.
#include "../lib/guest.hpp"

#include <hv/abi/memory.hpp>

namespace guest {
namespace {

constexpr u64 page = 4096;
constexpr u64 region_start = 2ul << 20;

u64 ram_pages() {
  hv::abi::domid_t self = hv::abi::domid_self;
  const long pages = hypercall(hv::abi::hypercall::memory_op, hv::abi::xenmem::current_reservation, address(&self));
  if (pages <= 0) fail("current_reservation of itself", pages, 1);
  return static_cast<u64>(pages);
}

/// The word of region page `q` its writes go to (each write stores its round, plus one).
volatile u64* word_of(u64 q) {
  return reinterpret_cast<volatile u64*>(static_cast<ulong>(region_start + q * page + (q * 8) % page));
}

} // namespace

void guest_main() {
  const u64 rounds = option("rounds", 3000), per_round = option("pages", 32);
  const u64 top = ram_pages() * page - (64ul << 10);
  if (top <= region_start + per_round * page) fail("a region smaller than one round", static_cast<i64>(top), 0);
  const u64 region = (top - region_start) / page;
  events_init(); // for its PV clock
  Line() << "writer: " << rounds << " rounds of " << per_round << " pages over " << region << " pages ("
         << (region * page >> 20) << " MiB)";
  const u64 started = system_time();
  u64 last = started, largest_step = 0;
  for (u64 r = 0; r < rounds; ++r) {
    for (u64 k = 0; k < per_round; ++k) {
      const u64 w = r * per_round + k, q = w % region;
      const u64 before = w >= region ? (w - region) / per_round + 1 : 0;
      if (*word_of(q) != before) fail("a page of its region before its write", static_cast<i64>(q), 0);
      *word_of(q) = r + 1;
    }
    const u64 now = system_time();
    if (now - last > largest_step) largest_step = now - last;
    last = now;
    yield();
  }
  const u64 writes = rounds * per_round;
  for (u64 q = 0; q < region; ++q) {
    const u64 expected = q < writes ? (q + region * ((writes - 1 - q) / region)) / per_round + 1 : 0;
    if (*word_of(q) != expected) fail("a page of its region at the end", static_cast<i64>(q), 0);
  }
  const u64 elapsed_us = (last - started) / 1000;
  Line() << "writer: " << rounds << " rounds written and every page of its region checked; largest step of its "
         << "clock " << largest_step / 1000 << " us; " << (elapsed_us != 0 ? writes * 1000 / elapsed_us : 0)
         << " pages written per ms of its " << elapsed_us / 1000 << " ms";
}

} // namespace guest

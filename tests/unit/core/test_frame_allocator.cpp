// SPDX-License-Identifier: Apache-2.0
// The buddy frame allocator: alignment, merging, exhaustion as an error, ownership and accounting.
#include <hv/core/frame_allocator.hpp>

#include <catch2/catch_test_macros.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <vector>

using hv::Err;
using hv::FrameAccount;
using hv::FrameAllocator;
using hv::PhysAddr;
using hv::u64;

namespace {
constexpr u64 page = FrameAllocator::frame_size;
constexpr PhysAddr ram_base = 0x80000000;

/// An allocator over `bytes` of RAM at ram_base, metadata on the host heap.
struct Pool {
  std::vector<hv::FrameInfo> table;
  FrameAllocator frames;
  explicit Pool(u64 bytes, PhysAddr base = ram_base) {
    table.resize(FrameAllocator::metadata_bytes(base, base + bytes) / sizeof(hv::FrameInfo));
    frames.init(base, base + bytes, table.data());
    frames.add_free({base, bytes});
  }
};
} // namespace

TEST_CASE("frame allocator: blocks are aligned to their size and merge back when freed") {
  Pool pool(16u << 20);
  FrameAccount dom{1};
  CHECK(pool.frames.total_frames() == 4096);
  CHECK(pool.frames.free_frames() == 4096);
  CHECK(pool.frames.largest_free_order() == 10);

  std::vector<PhysAddr> blocks;
  for (hv::u32 order : {0u, 3u, 9u, 1u, 10u, 0u}) {
    auto r = pool.frames.alloc(order, dom);
    REQUIRE(r.ok());
    CHECK(r.value() % (page << order) == 0);
    CHECK(r.value() >= ram_base);
    CHECK(r.value() + (page << order) <= ram_base + (16u << 20));
    blocks.push_back(r.value());
  }
  CHECK(dom.frames == 1 + 8 + 512 + 2 + 1024 + 1);
  CHECK(pool.frames.free_frames() == 4096 - dom.frames);
  for (PhysAddr b : blocks) CHECK(pool.frames.free(b, dom) == Err::ok);
  CHECK(dom.frames == 0);
  CHECK(pool.frames.free_frames() == 4096);
  // Everything merged: four 4 MiB blocks again, the first of them allocatable.
  CHECK(pool.frames.largest_free_order() == 10);
  for (int i = 0; i < 4; ++i) CHECK(pool.frames.alloc(10, dom).ok());
  CHECK(pool.frames.alloc(0, dom).error() == Err::nomem);
}

TEST_CASE("frame allocator: exhaustion is Err::nomem, and memory comes back after it") {
  Pool pool(4u << 20);
  FrameAccount dom{7};
  std::vector<PhysAddr> got;
  for (;;) {
    auto r = pool.frames.alloc(0, dom);
    if (!r.ok()) {
      CHECK(r.error() == Err::nomem);
      break;
    }
    got.push_back(r.value());
  }
  CHECK(got.size() == 1024);
  std::sort(got.begin(), got.end());
  CHECK(std::adjacent_find(got.begin(), got.end()) == got.end()); // no frame handed out twice
  CHECK(pool.frames.alloc(0, dom).error() == Err::nomem);
  CHECK(pool.frames.alloc(FrameAllocator::max_order + 1, dom).error() == Err::inval);
  CHECK(pool.frames.free(got[100], dom) == Err::ok);
  auto again = pool.frames.alloc(0, dom);
  REQUIRE(again.ok());
  CHECK(again.value() == got[100]);
}

TEST_CASE("frame allocator: an account's limit stops it alone") {
  Pool pool(4u << 20);
  FrameAccount small{1, 0, 10};
  FrameAccount other{2};
  CHECK(pool.frames.alloc(3, small).ok()); // 8 frames
  CHECK(pool.frames.alloc(1, small).ok()); // 10
  CHECK(pool.frames.alloc(0, small).error() == Err::nomem);
  CHECK(small.frames == 10);
  CHECK(pool.frames.alloc(5, other).ok()); // the machine is not out of memory
  CHECK(pool.frames.count_owned_by(1) == 10);
  CHECK(pool.frames.count_owned_by(2) == 32);
}

TEST_CASE("frame allocator: freeing what the account does not hold is Err::inval and changes nothing") {
  Pool pool(4u << 20);
  FrameAccount a{1}, b{2};
  const PhysAddr block = pool.frames.alloc(2, a).value();
  const u64 free_before = pool.frames.free_frames();
  CHECK(pool.frames.free(block, b) == Err::inval);                  // someone else's
  CHECK(pool.frames.free(block + page, a) == Err::inval);           // inside the block, not its start
  CHECK(pool.frames.free(block + 1, a) == Err::inval);              // not page-aligned
  CHECK(pool.frames.free(ram_base + (64u << 20), a) == Err::inval); // outside RAM
  CHECK(pool.frames.free(0, a) == Err::inval);
  CHECK(pool.frames.free_frames() == free_before);
  CHECK(a.frames == 4);
  CHECK(pool.frames.free(block, a) == Err::ok);
  CHECK(pool.frames.free(block, a) == Err::inval); // twice
  CHECK(pool.frames.free_frames() == free_before + 4);
}

TEST_CASE("frame allocator: ownership follows transfers and is visible per frame") {
  Pool pool(4u << 20);
  FrameAccount a{1}, b{2, 0, 2};
  const PhysAddr block = pool.frames.alloc(1, a).value();
  CHECK(pool.frames.owner_of(block) == 1);
  CHECK(pool.frames.owner_of(block + page) == 1);
  CHECK(pool.frames.owner_of(block + 2 * page) == hv::abi::domid_invalid); // free
  CHECK(pool.frames.transfer(block, b, a) == Err::inval);
  CHECK(pool.frames.transfer(block, a, b) == Err::ok);
  CHECK(pool.frames.owner_of(block + page) == 2);
  CHECK((a.frames == 0 && b.frames == 2));
  CHECK(pool.frames.transfer(pool.frames.alloc(0, a).value(), a, b) == Err::nomem); // b's limit
  CHECK(pool.frames.free(block, a) == Err::inval);
  CHECK(pool.frames.free(block, b) == Err::ok);
}

TEST_CASE("frame allocator: holes in RAM and unaligned ranges are never handed out") {
  // Two banks with a hole between them, neither aligned to a 4 MiB block, one with a ragged end.
  const PhysAddr bank1 = ram_base + 0x3000, bank1_end = ram_base + 0x00250000;
  const PhysAddr bank2 = ram_base + 0x00900000, bank2_end = ram_base + 0x01000800;
  std::vector<hv::FrameInfo> table(FrameAllocator::metadata_bytes(bank1, bank2_end) / sizeof(hv::FrameInfo));
  FrameAllocator frames;
  frames.init(bank1, bank2_end, table.data());
  frames.add_free({bank1, bank1_end - bank1});
  frames.add_free({bank2, bank2_end - bank2});
  const u64 expected = (bank1_end - bank1) / page + (0x01000000 - 0x00900000) / page;
  CHECK(frames.total_frames() == expected);
  FrameAccount dom{3};
  u64 count = 0;
  for (hv::u32 order = FrameAllocator::max_order + 1; order-- > 0;) {
    for (;;) {
      auto r = frames.alloc(order, dom);
      if (!r.ok()) break;
      const PhysAddr pa = r.value(), end = pa + (page << order);
      const bool in1 = pa >= bank1 && end <= bank1_end;
      const bool in2 = pa >= bank2 && end <= hv::align_down(bank2_end, page);
      REQUIRE((in1 || in2));
      count += u64{1} << order;
    }
  }
  CHECK(count == expected);
  CHECK(frames.free_frames() == 0);
}

TEST_CASE("frame allocator: random alloc and free keep blocks disjoint and lose no frame") {
  Pool pool(32u << 20);
  FrameAccount acc[3] = {{1}, {2}, {3}};
  std::mt19937 rng(12345);
  std::map<PhysAddr, std::pair<u64, int>> live; // start -> (frames, account)
  for (int step = 0; step < 20000; ++step) {
    if (live.empty() || rng() % 3 != 0) {
      const hv::u32 order = rng() % 6;
      const int who = static_cast<int>(rng() % 3);
      auto r = pool.frames.alloc(order, acc[who]);
      if (!r.ok()) {
        REQUIRE(r.error() == Err::nomem);
        continue;
      }
      const u64 n = u64{1} << order;
      auto next = live.lower_bound(r.value());
      if (next != live.end()) REQUIRE(r.value() + n * page <= next->first);
      if (next != live.begin()) {
        auto prev = std::prev(next);
        REQUIRE(prev->first + prev->second.first * page <= r.value());
      }
      live[r.value()] = {n, who};
    } else {
      auto it = live.begin();
      std::advance(it, static_cast<long>(rng() % live.size()));
      REQUIRE(pool.frames.free(it->first, acc[it->second.second]) == Err::ok);
      live.erase(it);
    }
  }
  u64 held = 0;
  for (auto& [pa, v] : live) held += v.first;
  CHECK(acc[0].frames + acc[1].frames + acc[2].frames == held);
  CHECK(pool.frames.free_frames() + held == pool.frames.total_frames());
  for (int i = 0; i < 3; ++i) CHECK(pool.frames.count_owned_by(static_cast<hv::abi::domid_t>(i + 1)) == acc[i].frames);
  for (auto& [pa, v] : live) REQUIRE(pool.frames.free(pa, acc[v.second]) == Err::ok);
  CHECK(pool.frames.free_frames() == pool.frames.total_frames());
  CHECK(pool.frames.largest_free_order() == static_cast<hv::i32>(FrameAllocator::max_order));
}

TEST_CASE("frame allocator: a retired block leaves its account at once and the pool only when released") {
  Pool pool(16u << 20);
  FrameAccount dom{1};
  auto a = pool.frames.alloc(0, dom);
  auto b = pool.frames.alloc(3, dom);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK_FALSE(pool.frames.has_retired());

  pool.frames.keep_retired(true); // as while several CPUs run domains
  CHECK(pool.frames.retire(a.value(), dom) == Err::ok);
  CHECK(dom.frames == 8);
  CHECK(pool.frames.has_retired());
  CHECK(pool.frames.retired_frames() == 1);
  CHECK(pool.frames.free_frames() == 4096 - 9);
  CHECK(pool.frames.owner_of(a.value()) == hv::abi::domid_invalid);
  CHECK(pool.frames.count_owned_by(1) == 8);
  // Retired is not held: neither a second retire nor a free of it is accepted.
  CHECK(pool.frames.retire(a.value(), dom) == Err::inval);
  CHECK(pool.frames.free(a.value(), dom) == Err::inval);
  CHECK(dom.frames == 8);

  // A taker gets what was retired before it took; what is retired after waits for the next taker.
  const FrameAllocator::Retired first = pool.frames.take_retired();
  CHECK_FALSE(first.empty());
  CHECK_FALSE(pool.frames.has_retired());
  CHECK(pool.frames.retire(b.value(), dom) == Err::ok);
  CHECK(pool.frames.retired_frames() == 9);
  pool.frames.release_retired(first);
  CHECK(pool.frames.retired_frames() == 8);
  CHECK(pool.frames.free_frames() == 4096 - 8);
  CHECK(pool.frames.has_retired());
  pool.frames.release_retired(pool.frames.take_retired());
  CHECK(pool.frames.retired_frames() == 0);
  CHECK(dom.frames == 0);
  CHECK(pool.frames.free_frames() == 4096);
  CHECK(pool.frames.largest_free_order() == 10);           // merged back with their buddies
  pool.frames.release_retired(pool.frames.take_retired()); // nothing retired: nothing happens
  CHECK(pool.frames.free_frames() == 4096);
}

TEST_CASE("frame allocator: with nobody else to read it (one CPU), a retired block is free at once") {
  Pool pool(16u << 20);
  FrameAccount dom{1};
  auto a = pool.frames.alloc(2, dom);
  REQUIRE(a.ok());
  CHECK(pool.frames.retire(a.value(), dom) == Err::ok);
  CHECK(dom.frames == 0);
  CHECK_FALSE(pool.frames.has_retired());
  CHECK(pool.frames.retired_frames() == 0);
  CHECK(pool.frames.free_frames() == 4096);
  CHECK(pool.frames.retire(a.value(), dom) == Err::inval);
}

// SPDX-License-Identifier: Apache-2.0
// The dirty-page log's rules (hv/core/dirty_log.hpp): a frame written while logging is dirty until the
// next clean, which names each dirty frame once; frames beyond the log, and every frame while not
// logging, stay writable; the bitmap is bytes (frame 8j + i is bit i of byte j in either byte order) and
// comes from the domain's overhead account, which stop and destroy give back.
#include <hv/core/dirty_log.hpp>

#include "core_support.hpp"

#include <catch2/catch_test_macros.hpp>

#include <vector>

namespace {
using hv::u64;
using hv::u8;

std::vector<u64> cleaned(hv::Domain& d) {
  std::vector<u64> out;
  hv::dirty::clean(d, [](void* context, u64 gfn) { static_cast<std::vector<u64>*>(context)->push_back(gfn); }, &out);
  return out;
}
} // namespace

TEST_CASE("dirty log: a written frame is dirty until the clean, which names it once; the counts start again") {
  hv::test::CoreMachine m;
  hv::Domain& d = m.running({.max_pages = 64}, 40);
  CHECK(hv::dirty::writable(d, 3)); // not logging: nothing is watched
  CHECK_FALSE(hv::dirty::note_write(d, 3));
  const u64 overhead = d.overhead.frames;
  REQUIRE(hv::dirty::start(m.frames, d, 40) == hv::Err::ok);
  CHECK(d.overhead.frames == overhead + 1);
  CHECK(hv::dirty::start(m.frames, d, 40) == hv::Err::inval); // once
  CHECK_FALSE(hv::dirty::writable(d, 3));
  CHECK(hv::dirty::writable(d, 40)); // beyond the log

  CHECK(hv::dirty::note_write(d, 3));
  CHECK_FALSE(hv::dirty::note_write(d, 3)); // a second fault on it (another vCPU raced): counted, not marked twice
  CHECK(hv::dirty::note_write(d, 9));
  CHECK(hv::dirty::note_write(d, 39));
  CHECK_FALSE(hv::dirty::note_write(d, 40));
  CHECK(hv::dirty::writable(d, 3));
  CHECK(d.dirty.faults == 4);
  CHECK(d.dirty.dirtied == 3);
  const u8* bits = hv::dirty::bitmap(d);
  CHECK(bits[0] == 0x08);
  CHECK(bits[1] == 0x02);
  CHECK(bits[4] == 0x80);

  CHECK(cleaned(d) == std::vector<u64>{3, 9, 39});
  CHECK(d.dirty.faults == 0);
  CHECK(d.dirty.dirtied == 0);
  CHECK_FALSE(hv::dirty::writable(d, 3)); // watched again
  CHECK(cleaned(d).empty());

  hv::dirty::stop(m.frames, d);
  CHECK(d.overhead.frames == overhead);
  CHECK(hv::dirty::writable(d, 3));
  CHECK(hv::dirty::bitmap(d) == nullptr);
}

TEST_CASE("dirty log: a domain destroyed while logging gives its bitmap back with every other frame") {
  hv::test::CoreMachine m;
  const u64 free_before = m.frames.free_frames();
  hv::Domain& d = m.running({.max_pages = 70000}, 16);
  REQUIRE(hv::dirty::start(m.frames, d, 70000) == hv::Err::ok); // three frames of bits: a block of four
  CHECK(d.dirty.order == 2);
  CHECK(hv::dirty::note_write(d, 69999));
  m.domains->destroy(d);
  CHECK(m.frames.free_frames() == free_before);
}

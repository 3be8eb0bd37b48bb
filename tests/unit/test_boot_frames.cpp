// SPDX-License-Identifier: Apache-2.0
#include <hv/board.hpp>
#include <hv/boot_frames.hpp>
#include <hv/domains/machine_frames.hpp>

#include <port.hpp>

#include "support.hpp"

#include <catch2/catch_test_macros.hpp>

#include <vector>

TEST_CASE("boot frames come from RAM, never from reservations or the image, and run out cleanly") {
  auto blob = hv::test::board_blob("host-test");
  hv::host::reset_machine(0x80000000, 16u << 20, blob.data(), "");
  hv::Board board;
  hv::BoardError error;
  REQUIRE(hv::read_board(blob.data(), blob.size(), board, error));

  const hv::MemoryRange image{0x80200000, 0x00180000}; // 1.5 MiB "image"
  hv::BootFrames frames(board, &image, 1);

  hv::u64 total = 0;
  hv::usize count = 0;
  const hv::MemoryRange* free = frames.free_ranges(count);
  for (hv::usize i = 0; i < count; ++i) total += free[i].size;
  // 16 MiB less the 64 KiB memreserve, the 1 MiB reserved-memory node and the 1.5 MiB image.
  CHECK(total == (16u << 20) - 0x10000 - 0x100000 - 0x180000);

  hv::u64 pages = 0;
  for (;;) {
    const hv::PhysAddr pa = frames.alloc_zeroed_page();
    if (pa == 0) break;
    ++pages;
    REQUIRE(pa % 4096 == 0);
    REQUIRE(pa >= 0x80010000);
    REQUIRE(pa < 0x81000000);
    REQUIRE_FALSE((pa >= 0x80100000 && pa < 0x80200000));
    REQUIRE_FALSE((pa >= image.base && pa < image.end()));
    const auto* bytes = static_cast<const unsigned char*>(hv::port::Paging::direct_map(pa));
    REQUIRE((bytes[0] == 0 && bytes[4095] == 0));
  }
  CHECK(pages == total / 4096);
  CHECK(frames.pages_handed_out() == pages);
  CHECK(frames.alloc_zeroed_page() == 0);
}

TEST_CASE("a block of boot frames is contiguous, aligned to its size and zeroed; what lay before it stays free") {
  auto blob = hv::test::board_blob("host-test");
  hv::host::reset_machine(0x80000000, 16u << 20, blob.data(), "");
  hv::Board board;
  hv::BoardError error;
  REQUIRE(hv::read_board(blob.data(), blob.size(), board, error));
  hv::BootFrames frames(board, nullptr, 0);

  const hv::PhysAddr first = frames.alloc_zeroed_page(); // leaves the next free page unaligned
  const hv::PhysAddr block = frames.alloc_zeroed_block(2);
  REQUIRE(block != 0);
  CHECK(block % (4 * 4096) == 0);
  CHECK(block > first);
  const auto* bytes = static_cast<const unsigned char*>(hv::port::Paging::direct_map(block));
  for (int i = 0; i < 4 * 4096; ++i) REQUIRE(bytes[i] == 0);
  CHECK(frames.pages_handed_out() == 5);
  // The pages between the single one and the block are handed out later, never the block's.
  for (;;) {
    const hv::PhysAddr pa = frames.alloc_zeroed_page();
    if (pa == 0) break;
    REQUIRE_FALSE((pa >= block && pa < block + 4 * 4096));
  }
  CHECK(frames.alloc_zeroed_block(0) == 0);
}

TEST_CASE("a block from the frame allocator is contiguous where pages one at a time are not") {
  constexpr hv::PhysAddr base = 0x80000000;
  constexpr hv::u64 bytes = 4u << 20;
  hv::host::reset_machine(base, bytes, nullptr, "");
  std::vector<hv::FrameInfo> table(hv::FrameAllocator::metadata_bytes(base, base + bytes) / sizeof(hv::FrameInfo));
  hv::FrameAllocator allocator;
  allocator.init(base, base + bytes, table.data());
  // Free memory in pieces, as a boot module or a reservation in the middle of RAM leaves it.
  allocator.add_free({base, 0x3000});
  allocator.add_free({base + 0x5000, 0x1000});
  allocator.add_free({base + 0x10000, bytes - 0x10000});
  hv::FrameAccount account{};
  hv::BootFrames unused_ram(hv::Board{}, nullptr, 0);
  hv::AccountFrames frames(allocator, account, unused_ram);

  const hv::PhysAddr a = frames.alloc_zeroed_page();
  const hv::PhysAddr b = frames.alloc_zeroed_page();
  const hv::PhysAddr c = frames.alloc_zeroed_page();
  CHECK_FALSE((b == a + 4096 && c == b + 4096)); // what the permission maps once assumed

  const hv::PhysAddr block = frames.alloc_zeroed_block(2);
  REQUIRE(block != 0);
  CHECK(block % (4 * 4096) == 0);
  CHECK(allocator.owner_of(block + 3 * 4096) == hv::abi::domid_xen);
  CHECK(account.frames == 3 + 4);
  frames.free_block(block, 2);
  CHECK(account.frames == 3);
}

#include <hv/board.hpp>
#include <hv/boot_frames.hpp>

#include <port.hpp>

#include "support.hpp"

#include <catch2/catch_test_macros.hpp>

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

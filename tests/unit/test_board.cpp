// SPDX-License-Identifier: Apache-2.0
#include <hv/board.hpp>

#include "support.hpp"

#include <catch2/catch_test_macros.hpp>

#include <cstring>
#include <random>
#include <string>

using hv::test::board_blob;

namespace {
bool read(const std::vector<unsigned char>& blob, hv::Board& board, hv::BoardError& error) {
  return hv::read_board(blob.data(), blob.size(), board, error);
}
} // namespace

TEST_CASE("every board file in boards/ reads cleanly, with memory and CPUs") {
  for (const auto& name : hv::test::board_names()) {
    INFO("board " << name);
    auto blob = board_blob(name);
    hv::Board board;
    hv::BoardError error;
    REQUIRE(read(blob, board, error));
    CHECK_FALSE(error.failed());
    CHECK(board.memory_count > 0);
    CHECK(board.total_memory() >= (16u << 20));
    CHECK(board.cpu_count >= 1);
    CHECK(board.model != hv::StrView("unknown"));
  }
}

TEST_CASE("the PC board describes what QEMU's -m 256M gives") {
  auto blob = board_blob("qemu-pc");
  hv::Board board;
  hv::BoardError error;
  REQUIRE(read(blob, board, error));
  REQUIRE(board.memory_count == 2);
  CHECK(board.memory[0].base == 0);
  CHECK(board.memory[1].base == 0x100000);
  CHECK(board.memory[1].end() == 0x10000000);
  CHECK(board.cpu_count == 1);
  CHECK(board.reserved_count == 2);
}

TEST_CASE("the host test board's fields are read exactly") {
  auto blob = board_blob("host-test");
  hv::Board board;
  hv::BoardError error;
  REQUIRE(read(blob, board, error));
  CHECK(board.model == hv::StrView("host test machine"));
  CHECK(board.compatible == hv::StrView("hv,host-test"));
  CHECK(board.cpu_count == 2);
  REQUIRE(board.memory_count == 1);
  CHECK(board.memory[0].base == 0x80000000);
  CHECK(board.memory[0].size == 0x01000000);
  REQUIRE(board.reserved_count == 2); // one /memreserve/, one /reserved-memory child
  CHECK(board.reserved[0].base == 0x80000000);
  CHECK(board.reserved[1].base == 0x80100000);
  CHECK(board.bootargs == hv::StrView("scenario=boot"));
  CHECK(hv::device_tree_size(blob.data()) == blob.size());
}

TEST_CASE("a corrupted header is reported by name, not read") {
  auto blob = board_blob("qemu-pc");
  blob[0] ^= 0xff;
  hv::Board board;
  hv::BoardError error;
  CHECK_FALSE(read(blob, board, error));
  CHECK(std::string(error.message) == "device tree: bad header: FDT_ERR_BADMAGIC");
  CHECK(hv::device_tree_size(blob.data()) == 0);
}

TEST_CASE("a truncated tree says how much is missing") {
  auto blob = board_blob("qemu-pc");
  const auto full = blob.size();
  blob.resize(full / 2);
  hv::Board board;
  hv::BoardError error;
  CHECK_FALSE(read(blob, board, error));
  CHECK(std::string(error.message) == "device tree: truncated: the header says " + std::to_string(full) +
                                          " bytes but only " + std::to_string(full / 2) + " are there");

  hv::BoardError tiny;
  CHECK_FALSE(hv::read_board(blob.data(), 8, board, tiny));
  CHECK(std::string(tiny.message).find("smaller than a header") != std::string::npos);

  hv::BoardError none;
  CHECK_FALSE(hv::read_board(nullptr, 100, board, none));
  CHECK(std::string(none.message) == "device tree: none was handed over");
}

TEST_CASE("random corruption of a board never crashes the reader") {
  const auto original = board_blob("host-test");
  std::mt19937 rng(2026);
  int rejected = 0;
  for (int round = 0; round < 3000; ++round) {
    auto blob = original;
    const int flips = 1 + static_cast<int>(rng() % 8);
    for (int i = 0; i < flips; ++i) blob[rng() % blob.size()] ^= static_cast<unsigned char>(1u << (rng() % 8));
    hv::Board board;
    hv::BoardError error;
    if (!read(blob, board, error)) {
      ++rejected;
      CHECK(std::strncmp(error.message, "device tree: ", 13) == 0);
    } else {
      CHECK(board.memory_count > 0);
      CHECK(board.cpu_count > 0);
    }
  }
  CHECK(rejected > 0);
}

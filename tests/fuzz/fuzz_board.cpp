// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness for the device-tree reader (hv::read_board, common/fdt/board.cpp): the blob is
// untrusted input (firmware may hand over anything). The input is copied into a buffer of exactly its
// size, so that ASan reports any read past what the reader was told is there. When the reader accepts a
// tree, what it returns must be consistent: memory and CPUs present, every string inside the blob, the
// error message empty; when it rejects one, the message says why.
#include <hv/board.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

void fail(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

bool inside(hv::StrView s, const unsigned char* blob, size_t size) {
  if (s.empty()) return true;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  return p >= blob && p + s.size() <= blob + size;
}

bool from_literal(hv::StrView s) { return s == hv::StrView("unknown") || s.empty(); }

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, size_t size) {
  // malloc's alignment (16 on the host) is what a device tree gets from firmware and boot loaders.
  auto* blob = static_cast<unsigned char*>(std::malloc(size == 0 ? 1 : size));
  if (blob == nullptr) return 0;
  if (size != 0) std::memcpy(blob, data, size);

  hv::Board board;
  hv::BoardError error;
  const bool ok = hv::read_board(blob, size, board, error);
  if (ok) {
    if (error.failed()) fail("accepted with an error message");
    if (board.memory_count == 0 || board.memory_count > hv::Board::max_ranges) fail("accepted without memory");
    if (board.reserved_count > hv::Board::max_ranges) fail("too many reserved ranges");
    if (board.cpu_count == 0) fail("accepted without CPUs");
    if (!(inside(board.model, blob, size) || from_literal(board.model)) ||
        !(inside(board.compatible, blob, size) || from_literal(board.compatible)) ||
        !inside(board.bootargs, blob, size))
      fail("a string points outside the blob");
    if (hv::device_tree_size(blob) > size) fail("accepted a tree larger than its buffer");
  } else {
    if (!error.failed()) fail("rejected without a message");
    if (std::memchr(error.message, '\0', sizeof error.message) == nullptr) fail("unterminated message");
  }
  std::free(blob);
  return 0;
}

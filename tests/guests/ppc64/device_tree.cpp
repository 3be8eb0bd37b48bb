// SPDX-License-Identifier: Apache-2.0
// A minimal walk of a flattened device tree's structure block (the format's tokens, big-endian cells):
// enough for a guest to find its command line without a device-tree library.
#include "device_tree.hpp"

#include "../lib/guest.hpp"

namespace guest::ppc64 {
namespace {

constexpr u32 magic = 0xd00d'feed;
constexpr u32 begin_node = 1, end_node = 2, property = 3, nop = 4;

u32 cell(const u8* at) { return u32{at[0]} << 24 | u32{at[1]} << 16 | u32{at[2]} << 8 | at[3]; }
usize padded(usize bytes) { return (bytes + 3) & ~usize{3}; }
usize length(const char* text, usize limit) {
  usize n = 0;
  while (n < limit && text[n] != '\0') ++n;
  return n;
}
bool same(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) ++a, ++b;
  return *a == *b;
}

} // namespace

const char* boot_arguments(const void* tree) {
  const auto* base = static_cast<const u8*>(tree);
  if (base == nullptr || cell(base) != magic) return "";
  const usize total = cell(base + 4);
  const usize structure = cell(base + 8), strings = cell(base + 12);
  if (structure >= total || strings >= total) return "";
  const auto* names = reinterpret_cast<const char*>(base + strings);
  usize at = structure;
  int depth = 0; // the root node is depth 1, /chosen depth 2
  bool in_chosen = false;
  while (at + 4 <= total) {
    const u32 token = cell(base + at);
    at += 4;
    if (token == begin_node) {
      const auto* name = reinterpret_cast<const char*>(base + at);
      const usize n = length(name, total - at);
      ++depth;
      if (depth == 2) in_chosen = same(name, "chosen");
      at += padded(n + 1);
    } else if (token == end_node) {
      if (depth == 2) in_chosen = false;
      --depth;
    } else if (token == property && at + 8 <= total) {
      const usize size = cell(base + at);
      const usize name = cell(base + at + 4);
      at += 8;
      if (in_chosen && depth == 2 && strings + name < total && same(names + name, "bootargs") && size > 0 &&
          at + size <= total && base[at + size - 1] == '\0')
        return reinterpret_cast<const char*>(base + at);
      at += padded(size);
    } else if (token != nop) {
      return ""; // the end token, or something malformed
    }
  }
  return "";
}

} // namespace guest::ppc64

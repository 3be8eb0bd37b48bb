// SPDX-License-Identifier: Apache-2.0
// A minimal walk of a flattened device tree's structure block (the format's tokens, big-endian cells):
// enough for a guest to find its command line and its transfer window without a device-tree library.
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

const u8* node_property(const void* tree, const char* node, const char* name, usize& size) {
  const auto* base = static_cast<const u8*>(tree);
  if (base == nullptr || cell(base) != magic) return nullptr;
  const usize total = cell(base + 4);
  const usize structure = cell(base + 8), strings = cell(base + 12);
  if (structure >= total || strings >= total) return nullptr;
  const auto* names = reinterpret_cast<const char*>(base + strings);
  usize at = structure;
  int depth = 0; // the root node is depth 1, its children depth 2
  bool in_node = false;
  while (at + 4 <= total) {
    const u32 token = cell(base + at);
    at += 4;
    if (token == begin_node) {
      const auto* here = reinterpret_cast<const char*>(base + at);
      const usize n = length(here, total - at);
      ++depth;
      if (depth == 2) in_node = same(here, node);
      at += padded(n + 1);
    } else if (token == end_node) {
      if (depth == 2) in_node = false;
      --depth;
    } else if (token == property && at + 8 <= total) {
      const usize bytes = cell(base + at);
      const usize name_at = cell(base + at + 4);
      at += 8;
      if (in_node && depth == 2 && strings + name_at < total && same(names + name_at, name) && at + bytes <= total) {
        size = bytes;
        return base + at;
      }
      at += padded(bytes);
    } else if (token != nop) {
      return nullptr; // the end token, or something malformed
    }
  }
  return nullptr;
}

const char* boot_arguments(const void* tree) {
  usize size = 0;
  const u8* value = node_property(tree, "chosen", "bootargs", size);
  return value != nullptr && size > 0 && value[size - 1] == '\0' ? reinterpret_cast<const char*>(value) : "";
}

bool transfer_window(const void* tree, u64& base, u64& bytes) {
  usize size = 0;
  const u8* reg = node_property(tree, "transfer-window", "reg", size);
  if (reg == nullptr || size != 16) return false;
  base = u64{cell(reg)} << 32 | cell(reg + 4);
  bytes = u64{cell(reg + 8)} << 32 | cell(reg + 12);
  return bytes != 0;
}

} // namespace guest::ppc64

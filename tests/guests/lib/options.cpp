// SPDX-License-Identifier: Apache-2.0
// The command line: space-separated words, "key" or "key=value".
#include "guest.hpp"

namespace guest {
namespace {

// The value of `key` (after '='), "" for a bare word, nullptr when the word is absent.
const char* find(const char* key) {
  const char* line = arch::command_line();
  while (*line != '\0') {
    while (*line == ' ') ++line;
    const char* k = key;
    const char* at = line;
    while (*k != '\0' && *at == *k) ++at, ++k;
    if (*k == '\0' && (*at == '=' || *at == ' ' || *at == '\0')) return *at == '=' ? at + 1 : at;
    while (*line != '\0' && *line != ' ') ++line;
  }
  return nullptr;
}

} // namespace

u64 option(const char* key, u64 fallback) {
  const char* value = find(key);
  if (value == nullptr || *value < '0' || *value > '9') return fallback;
  u64 n = 0;
  while (*value >= '0' && *value <= '9') n = n * 10 + static_cast<u64>(*value++ - '0');
  return n;
}

bool has_option(const char* key) { return find(key) != nullptr; }

bool option_text(const char* key, char* out, usize size) {
  const char* value = find(key);
  if (value == nullptr || size == 0) return false;
  usize n = 0;
  while (value[n] != '\0' && value[n] != ' ' && n + 1 < size) {
    out[n] = value[n];
    ++n;
  }
  out[n] = '\0';
  return true;
}

} // namespace guest

// SPDX-License-Identifier: Apache-2.0
#include <hv/command_line.hpp>

namespace hv {
namespace {

/// Calls `word(StrView)` for each space-separated word of `line`, in order, until it returns false.
template <class Word> void for_each_word(StrView line, Word&& word) {
  usize i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    const usize end = line.find(' ', i);
    const StrView w = line.substr(i, end - i);
    if (!w.empty() && !word(w)) return;
    i = end;
  }
}

StrView key_of(StrView word) { return word.substr(0, word.find('=')); }

} // namespace

StrView command_line_value(StrView line, StrView key, StrView fallback) {
  StrView value = fallback;
  for_each_word(line, [&](StrView word) {
    if (word.size() <= key.size() || !word.starts_with(key) || word[key.size()] != '=') return true;
    value = word.substr(key.size() + 1);
    return false;
  });
  return value;
}

StrView first_unknown_option(StrView line, const char* const* known, usize count) {
  StrView unknown;
  for_each_word(line, [&](StrView word) {
    const StrView key = key_of(word);
    for (usize i = 0; i < count; ++i)
      if (key == StrView(known[i])) return true;
    unknown = key;
    return false;
  });
  return unknown;
}

} // namespace hv

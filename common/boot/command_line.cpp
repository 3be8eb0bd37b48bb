#include <hv/command_line.hpp>

namespace hv {

StrView command_line_value(StrView line, StrView key, StrView fallback) {
  usize i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    usize end = line.find(' ', i);
    StrView word = line.substr(i, end - i);
    if (word.size() > key.size() && word.starts_with(key) && word[key.size()] == '=')
      return word.substr(key.size() + 1);
    i = end;
  }
  return fallback;
}

} // namespace hv

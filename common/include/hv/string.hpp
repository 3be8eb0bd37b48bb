// SPDX-License-Identifier: Apache-2.0
// String views, and the C memory and string functions. On bare metal those are declared by
// common/libc/include/string.h and defined in common/runtime/string.cpp (compilers emit calls to memcpy
// and memset on their own, and libfdt uses them); on the host port the C library provides them.
#pragma once

#include <hv/types.hpp>

#include <string.h> // the C library's on the host port, common/libc's on bare metal

namespace hv {

/// A non-owning view of characters; not necessarily NUL-terminated.
class StrView {
public:
  constexpr StrView() = default;
  constexpr StrView(const char* s, usize n) : data_(s), size_(n) {}
  constexpr StrView(const char* s) : data_(s), size_(s != nullptr ? length_of(s) : 0) {} // NOLINT: implicit by design

  constexpr const char* data() const { return data_; }
  constexpr usize size() const { return size_; }
  constexpr bool empty() const { return size_ == 0; }
  constexpr char operator[](usize i) const { return data_[i]; }
  constexpr const char* begin() const { return data_; }
  constexpr const char* end() const { return data_ + size_; }

  constexpr bool starts_with(StrView p) const { return p.size_ <= size_ && StrView(data_, p.size_) == p; }
  constexpr StrView substr(usize pos, usize n = static_cast<usize>(-1)) const {
    if (pos > size_) pos = size_;
    if (n > size_ - pos) n = size_ - pos;
    return {data_ + pos, n};
  }
  /// Index of the first `c` at or after `from`, or size() when there is none.
  constexpr usize find(char c, usize from = 0) const {
    for (usize i = from; i < size_; ++i)
      if (data_[i] == c) return i;
    return size_;
  }

  friend constexpr bool operator==(StrView a, StrView b) {
    if (a.size_ != b.size_) return false;
    for (usize i = 0; i < a.size_; ++i)
      if (a.data_[i] != b.data_[i]) return false;
    return true;
  }

private:
  static constexpr usize length_of(const char* s) {
    usize n = 0;
    while (s[n] != '\0') ++n;
    return n;
  }
  const char* data_ = nullptr;
  usize size_ = 0;
};

} // namespace hv

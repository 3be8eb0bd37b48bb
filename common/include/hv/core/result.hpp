// SPDX-License-Identifier: Apache-2.0
// A value or an ABI error code, for core functions that produce something and may fail.
#pragma once

#include <hv/abi/errno.hpp>

namespace hv {

template <class T> class [[nodiscard]] Result {
public:
  constexpr Result(T value) : value_(value), error_(Err::ok) {} // NOLINT: implicit by design
  constexpr Result(Err error) : value_{}, error_(error) {}      // NOLINT: implicit by design

  constexpr bool ok() const { return error_ == Err::ok; }
  constexpr Err error() const { return error_; }
  /// The value; only meaningful when ok().
  constexpr T value() const { return value_; }

private:
  T value_;
  Err error_;
};

} // namespace hv

// SPDX-License-Identifier: Apache-2.0
// Typed, checked reads of one node's properties in a domain description (domain_description.cpp's
// helpers). Each reader fails with a message that names the node and the property, so that the
// description's author can find the line to fix.
#pragma once

#include <hv/format.hpp>
#include <hv/loader/domain_description.hpp>

namespace hv::loader_detail {

/// Text from the blob made safe to print: printable ASCII only (anything else becomes '?'), cut to fit.
/// Messages end up on the console among the hypervisor's fact lines; a node name must not be able to forge one.
struct Printable {
  char text[48] = {};
  explicit Printable(StrView s);
};

/// One node of a checked device tree, and how messages name it ("/" or "/domains/ping").
struct NodeReader {
  const void* fdt;
  int node;
  const char* path;
  DescriptionError& error;

  /// Fills `error` with "domain description: <path>: " and the formatted text; always returns false.
  template <class... Args> bool fail(FormatString<type_identity_t<Args>...> fmt, const Args&... args) const {
    const usize used = format_to(error.message, "domain description: {}: ", path);
    if (used < sizeof error.message) format_to(error.message + used, sizeof error.message - used, fmt, args...);
    return false;
  }

  /// A property of exactly one cell in [min, max]; `value` keeps its default when the property is absent,
  /// unless `required`. Fails when absent and required, not 4 bytes, or out of range.
  bool cell(const char* name, u32 min, u32 max, bool required, u32& value) const;
  /// A property whose presence is the value. Fails when it has a value.
  bool flag(const char* name, bool& value) const;
  /// A property holding one NUL-terminated string; `value` keeps its default when absent. The view
  /// points into the blob, NUL-terminated there. Fails when empty, unterminated or holding two strings.
  bool string(const char* name, StrView& value) const;
  /// Fails on a property whose name starts with "hv," but is not in `known` (a misspelling), or that
  /// appears twice.
  bool only_known(const char* const* known, usize count) const;
};

} // namespace hv::loader_detail

// SPDX-License-Identifier: Apache-2.0
// Checked property reads for the domain description reader. See description_properties.hpp.
#include "description_properties.hpp"

extern "C" {
#include <libfdt.h>
}

namespace hv::loader_detail {

Printable::Printable(StrView s) {
  const usize room = sizeof text - 1;
  const bool cut = s.size() > room;
  const usize n = cut ? room - 3 : s.size();
  for (usize i = 0; i < n; ++i) text[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
  if (cut)
    for (usize i = n; i < room; ++i) text[i] = '.';
}

bool NodeReader::cell(const char* name, u32 min, u32 max, bool required, u32& value) const {
  int length = 0;
  const auto* cells = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, name, &length));
  if (cells == nullptr) return required ? fail("no {}", name) : true;
  if (length != 4) return fail("{} is {} bytes, not one 4-byte cell", name, length);
  const u32 v = fdt32_ld(cells);
  if (v < min || v > max) return fail("{} {} is out of range ({} .. {})", name, v, min, max);
  value = v;
  return true;
}

bool NodeReader::flag(const char* name, bool& value) const {
  int length = 0;
  if (fdt_getprop(fdt, node, name, &length) == nullptr) return true;
  if (length != 0) return fail("{} is a flag, but has a {}-byte value", name, length);
  value = true;
  return true;
}

bool NodeReader::string(const char* name, StrView& value) const {
  int length = 0;
  const auto* text = static_cast<const char*>(fdt_getprop(fdt, node, name, &length));
  if (text == nullptr) return true;
  const auto n = static_cast<usize>(length);
  if (length <= 0 || text[n - 1] != '\0' || strnlen(text, n) != n - 1)
    return fail("{} is not one NUL-terminated string", name);
  value = StrView(text, n - 1);
  return true;
}

bool NodeReader::only_known(const char* const* known, usize count) const {
  int property = 0;
  fdt_for_each_property_offset(property, fdt, node) {
    const char* name = nullptr;
    int length = 0;
    const void* value = fdt_getprop_by_offset(fdt, property, &name, &length);
    if (value == nullptr || name == nullptr) return fail("a property cannot be read ({})", fdt_strerror(length));
    if (!StrView(name).starts_with("hv,")) continue;
    bool found = false;
    for (usize i = 0; i < count && !found; ++i) found = StrView(name) == StrView(known[i]);
    if (!found) return fail("unknown property {}", Printable(name).text);
    // libfdt finds the first of two same-named properties; the second would be silently ignored.
    if (fdt_getprop(fdt, node, name, nullptr) != value) return fail("{} appears twice", name);
  }
  if (property != -FDT_ERR_NOTFOUND) return fail("its properties cannot be walked ({})", fdt_strerror(property));
  return true;
}

} // namespace hv::loader_detail

// SPDX-License-Identifier: Apache-2.0
// See x86/smbios.hpp. Layouts from the SMBIOS specification (DSP0134): the 2.1 entry point ("_SM_",
// structure table length at 0x16, address at 0x18), the 3.0 one ("_SM3_", maximum size at 0x0c, address
// at 0x10), and each structure: type, formatted length, handle, then its strings, the set ending with two
// NULs.
#include <x86/firmware_bytes.hpp>
#include <x86/smbios.hpp>

namespace hv::x86 {
namespace {

constexpr u8 type_system = 1;
constexpr u8 type_end = 127;
constexpr usize system_manufacturer = 4; // offsets of string numbers in the type 1 structure
constexpr usize system_product = 5;
constexpr u64 max_table_bytes = 64 * 1024; // far more than any firmware's; bounds the walk

using namespace firmware_bytes;

// The structure table's place, from the first valid entry point in the F segment.
bool find_table(PhysicalBytes physical, u64& base, u64& size) {
  const u8* segment = physical(smbios_search_base, smbios_search_size);
  if (segment == nullptr) return false;
  for (usize at = 0; at + 32 <= smbios_search_size; at += 16) {
    const u8* e = segment + at;
    if (at + 0xff > smbios_search_size) break; // an entry point's length byte reaches no further
    if (starts_with(e, "_SM3_") && e[6] >= 0x18 && checksum_ok(e, e[6])) {
      base = read64(e + 0x10);
      size = read32(e + 0x0c);
      return true;
    }
    if (starts_with(e, "_SM_") && e[5] >= 0x1f && checksum_ok(e, e[5])) {
      base = read32(e + 0x18);
      size = read16(e + 0x16);
      return true;
    }
  }
  return false;
}

// String number `index` (from 1) of the strings that start at `strings` and end before `end`; null if none.
const u8* string_at(const u8* strings, const u8* end, u8 index) {
  if (index == 0) return nullptr;
  for (const u8* s = strings; s < end && *s != 0;) {
    const u8* nul = s;
    while (nul < end && *nul != 0) ++nul;
    if (nul == end) return nullptr;
    if (--index == 0) return s;
    s = nul + 1;
  }
  return nullptr;
}

void append(char* out, usize capacity, usize& used, const u8* text) {
  for (; *text != 0 && used + 1 < capacity; ++text) out[used++] = static_cast<char>(*text);
  out[used] = '\0';
}

} // namespace

bool smbios_system_name(PhysicalBytes physical, char* out, usize capacity) {
  if (capacity == 0) return false;
  out[0] = '\0';
  u64 base = 0, size = 0;
  if (!find_table(physical, base, size) || size == 0) return false;
  if (size > max_table_bytes) size = max_table_bytes;
  const u8* table = physical(base, size);
  if (table == nullptr) return false;
  const u8* end = table + size;
  for (const u8* s = table; s + 4 <= end;) {
    const u8 type = s[0];
    const u8 length = s[1];
    if (length < 4 || s + length > end) return false;
    const u8* strings = s + length;
    if (type == type_system && length > system_product) {
      const u8* manufacturer = string_at(strings, end, s[system_manufacturer]);
      const u8* product = string_at(strings, end, s[system_product]);
      if (product == nullptr) return false;
      usize used = 0;
      if (manufacturer != nullptr) {
        append(out, capacity, used, manufacturer);
        append(out, capacity, used, reinterpret_cast<const u8*>(" "));
      }
      append(out, capacity, used, product);
      return true;
    }
    if (type == type_end) return false;
    // The strings end with two NULs (just two when there are none).
    const u8* next = strings;
    while (next + 1 < end && (next[0] != 0 || next[1] != 0)) ++next;
    s = next + 2;
  }
  return false;
}

} // namespace hv::x86

// SPDX-License-Identifier: Apache-2.0
// Reading the PC firmware's tables (SMBIOS, ACPI): little-endian fields at any alignment, signatures, and
// the byte checksum both specifications use (every byte of the structure summing to zero).
#pragma once

#include <hv/types.hpp>

namespace hv::x86::firmware_bytes {

inline u32 read16(const u8* p) { return static_cast<u32>(p[0] | p[1] << 8); }
inline u32 read32(const u8* p) { return read16(p) | read16(p + 2) << 16; }
inline u64 read64(const u8* p) { return read32(p) | u64{read32(p + 4)} << 32; }

inline bool starts_with(const u8* p, const char* tag) {
  for (; *tag != '\0'; ++p, ++tag)
    if (*p != static_cast<u8>(*tag)) return false;
  return true;
}

inline bool checksum_ok(const u8* p, usize length) {
  u8 sum = 0;
  for (usize i = 0; i < length; ++i) sum = static_cast<u8>(sum + p[i]);
  return sum == 0;
}

} // namespace hv::x86::firmware_bytes

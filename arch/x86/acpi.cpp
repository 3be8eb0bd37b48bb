// SPDX-License-Identifier: Apache-2.0
// See x86/acpi.hpp. Layouts from the ACPI specification: the RSDP ("RSD PTR ", checksum over its first
// 20 bytes, revision at 15, RSDT address at 16, length at 20, XSDT address at 24, extended checksum over
// `length` bytes); every system description table's 36-byte header (signature, length at 4, checksum
// over `length`); the MADT's entries from offset 44, each a type and a length, type 0 (Processor Local
// APIC: APIC ID at 3, flags at 4) and type 9 (Processor Local x2APIC: ID at 4, flags at 8), flag bit 0
// meaning Enabled.
#include <x86/acpi.hpp>
#include <x86/firmware_bytes.hpp>

namespace hv::x86 {
namespace {

constexpr usize rsdp_v1_bytes = 20;
constexpr usize rsdp_v2_bytes = 36;
constexpr usize header_bytes = 36;
constexpr usize madt_entries_offset = 44;
constexpr u64 max_table_bytes = 64 * 1024; // far more than QEMU's for 255 CPUs; bounds every walk
constexpr u8 entry_local_apic = 0;
constexpr u8 entry_local_x2apic = 9;
constexpr u32 flag_enabled = 1;
// BIOS data area word holding the EBDA's real-mode segment.
constexpr u64 ebda_segment_pointer = 0x40e;
constexpr u64 bios_area_base = 0xe0000;
constexpr usize bios_area_size = 0x20000;
constexpr usize ebda_search_size = 1024;

using namespace firmware_bytes;

bool valid_rsdp(const u8* p) { return starts_with(p, "RSD PTR ") && checksum_ok(p, rsdp_v1_bytes); }

const u8* search_rsdp(PhysicalBytes physical, u64 base, usize size) {
  const u8* area = physical(base, size);
  if (area == nullptr) return nullptr;
  for (usize at = 0; at + rsdp_v2_bytes <= size; at += 16)
    if (valid_rsdp(area + at)) return area + at;
  return nullptr;
}

const u8* find_rsdp(PhysicalBytes physical, u64 rsdp_pa) {
  if (rsdp_pa != 0) {
    const u8* p = physical(rsdp_pa, rsdp_v2_bytes);
    return p != nullptr && valid_rsdp(p) ? p : nullptr;
  }
  const u8* pointer = physical(ebda_segment_pointer, 2);
  if (pointer != nullptr) {
    const u64 ebda = u64{read16(pointer)} << 4;
    if (ebda != 0)
      if (const u8* p = search_rsdp(physical, ebda, ebda_search_size)) return p;
  }
  return search_rsdp(physical, bios_area_base, bios_area_size);
}

// The table at `pa` with its length and checksum checked; null when it is not one.
const u8* table(PhysicalBytes physical, u64 pa, u32& length) {
  const u8* header = physical(pa, header_bytes);
  if (header == nullptr) return nullptr;
  length = read32(header + 4);
  if (length < header_bytes || length > max_table_bytes) return nullptr;
  const u8* whole = physical(pa, length);
  return whole != nullptr && checksum_ok(whole, length) ? whole : nullptr;
}

const u8* find_madt(PhysicalBytes physical, const u8* rsdp) {
  // ACPI 2.0 and later: the XSDT's 64-bit entries; before, the RSDT's 32-bit ones.
  const bool extended =
      rsdp[15] >= 2 && read32(rsdp + 20) >= rsdp_v2_bytes && checksum_ok(rsdp, rsdp_v2_bytes) && read64(rsdp + 24) != 0;
  const u64 root_pa = extended ? read64(rsdp + 24) : read32(rsdp + 16);
  const usize entry_bytes = extended ? 8 : 4;
  u32 length = 0;
  const u8* root = table(physical, root_pa, length);
  if (root == nullptr || !starts_with(root, extended ? "XSDT" : "RSDT")) return nullptr;
  for (usize at = header_bytes; at + entry_bytes <= length; at += entry_bytes) {
    const u64 pa = extended ? read64(root + at) : read32(root + at);
    u32 madt_length = 0;
    const u8* t = table(physical, pa, madt_length);
    if (t != nullptr && starts_with(t, "APIC") && madt_length >= madt_entries_offset) return t;
  }
  return nullptr;
}

} // namespace

usize madt_local_apic_ids(PhysicalBytes physical, u64 rsdp_pa, u32* ids, usize capacity) {
  const u8* rsdp = find_rsdp(physical, rsdp_pa);
  if (rsdp == nullptr) return 0;
  const u8* madt = find_madt(physical, rsdp);
  if (madt == nullptr) return 0;
  const u32 length = read32(madt + 4);
  usize count = 0;
  for (usize at = madt_entries_offset; at + 2 <= length && count < capacity;) {
    const u8 type = madt[at];
    const u8 size = madt[at + 1];
    if (size < 2 || at + size > length) break;
    if (type == entry_local_apic && size >= 8 && (read32(madt + at + 4) & flag_enabled) != 0)
      ids[count++] = madt[at + 3];
    else if (type == entry_local_x2apic && size >= 16 && (read32(madt + at + 8) & flag_enabled) != 0)
      ids[count++] = read32(madt + at + 4);
    at += size;
  }
  return count;
}

} // namespace hv::x86

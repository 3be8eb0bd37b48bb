// SPDX-License-Identifier: Apache-2.0
// The walk of a guest's own page tables (x86/guest_walk.hpp).
#include <x86/guest_walk.hpp>

namespace hv::x86 {
namespace {

constexpr u64 cr0_paging = 1ull << 31;
constexpr u64 cr0_write_protect = 1ull << 16;
constexpr u64 cr4_pse = 1ull << 4;
constexpr u64 cr4_pae = 1ull << 5;
constexpr u64 cr4_la57 = 1ull << 12;
constexpr u64 efer_lma = 1ull << 10;
constexpr u64 entry_present = 1ull << 0;
constexpr u64 entry_writable = 1ull << 1;
constexpr u64 entry_large = 1ull << 7;
constexpr u64 address_bits = 0x000f'ffff'ffff'f000ull; // bits 51:12 of an entry or CR3

struct Format {
  const u8* shifts; ///< the linear address bit each level's index starts at
  usize levels;
  usize entry_bytes;
  bool large_pages;        ///< whether an entry may map a page (its bit 7) above the last level
  usize first_large_level; ///< the first level where one may: not PML4 nor PAE's directory pointers
};

bool walk(const Format& f, u64 table, u64 linear, bool check_write, ReadGuestEntry read, const void* context,
          u64& out) {
  const u64 index_mask = f.entry_bytes == 4 ? 0x3ff : 0x1ff;
  for (usize level = 0; level < f.levels; ++level) {
    const u64 index = linear >> f.shifts[level] & index_mask;
    u64 entry = 0;
    if (!read(context, table + index * f.entry_bytes, f.entry_bytes, entry) || (entry & entry_present) == 0)
      return false;
    // PAE's four directory pointers have no writable bit (bit 1 is reserved there).
    const bool has_writable_bit = !(f.levels == 3 && level == 0);
    if (check_write && has_writable_bit && (entry & entry_writable) == 0) return false;
    const bool last = level + 1 == f.levels;
    if (last || (f.large_pages && level >= f.first_large_level && (entry & entry_large) != 0)) {
      const u64 page_mask = (u64{1} << f.shifts[level]) - 1;
      // A 4 MiB page of 32-bit paging keeps its address bits 39:32 elsewhere (PSE-36); guests of the
      // PVH protocol map their first gigabytes, where those bits are zero.
      const u64 base = f.entry_bytes == 4 && !last ? entry & 0xffc0'0000ull : entry & address_bits;
      out = (base & ~page_mask) | (linear & page_mask);
      return true;
    }
    table = f.entry_bytes == 4 ? entry & 0xffff'f000ull : entry & address_bits;
  }
  return false;
}

} // namespace

bool walk_guest_linear(const GuestPaging& p, u64 linear, bool write, ReadGuestEntry read, const void* context,
                       u64& out) {
  if ((p.cr0 & cr0_paging) == 0) { // no paging: linear is physical, 32 bits wide
    out = linear & 0xffff'ffffull;
    return true;
  }
  const bool check_write = write && (p.cr0 & cr0_write_protect) != 0;
  if ((p.efer & efer_lma) != 0) {
    if ((p.cr4 & cr4_la57) != 0) return false;
    const u64 top = linear >> 47; // canonical: bits 63:47 all equal
    if (top != 0 && top != (u64{1} << 17) - 1) return false;
    static constexpr u8 shifts[] = {39, 30, 21, 12};
    return walk({shifts, 4, 8, true, 1}, p.cr3 & address_bits, linear, check_write, read, context, out);
  }
  linear &= 0xffff'ffffull;
  if ((p.cr4 & cr4_pae) != 0) {
    static constexpr u8 shifts[] = {30, 21, 12};
    return walk({shifts, 3, 8, true, 1}, p.cr3 & 0xffff'ffe0ull, linear, check_write, read, context, out);
  }
  static constexpr u8 shifts[] = {22, 12};
  return walk({shifts, 2, 4, (p.cr4 & cr4_pse) != 0, 0}, p.cr3 & 0xffff'f000ull, linear, check_write, read, context,
              out);
}

} // namespace hv::x86

// SPDX-License-Identifier: Apache-2.0
// How a hypercall's pointer, a virtual address of the calling guest, is found in its memory: through the
// guest's own page tables in each paging mode a PVH guest can be in, with the failures a guest would see
// as -EFAULT (not present, read-only under CR0.WP, non-canonical, tables outside its memory).
#include <x86/guest_walk.hpp>

#include <catch2/catch_test_macros.hpp>

#include <cstring>
#include <map>

namespace {

using hv::x86::GuestPaging;

constexpr std::uint64_t P = 1, W = 2, PS = 0x80;
constexpr std::uint64_t cr0_pg = 1ull << 31, cr0_wp = 1ull << 16, cr4_pse = 1 << 4, cr4_pae = 1 << 5,
                        cr4_la57 = 1 << 12, efer_lma = 1 << 10, efer_lme = 1 << 8;

/// A guest's memory holding only page-table entries, by guest-physical address; nothing past `size`.
struct Tables {
  std::map<std::uint64_t, std::uint64_t> entries;
  std::uint64_t size = 64ull << 20;
  void set(std::uint64_t gpa, std::uint64_t value) { entries[gpa] = value; }
  static bool read(const void* context, std::uint64_t gpa, std::size_t bytes, std::uint64_t& out) {
    const auto& t = *static_cast<const Tables*>(context);
    if (gpa + bytes > t.size) return false;
    const auto it = t.entries.find(gpa);
    out = it == t.entries.end() ? 0 : it->second;
    if (bytes == 4) out &= 0xffff'ffff;
    return true;
  }
  bool walk(const GuestPaging& p, std::uint64_t linear, bool write, std::uint64_t& out) const {
    return hv::x86::walk_guest_linear(p, linear, write, read, this, out);
  }
};

} // namespace

TEST_CASE("paging off: the linear address is physical, 32 bits wide") {
  Tables t;
  std::uint64_t gpa = 0;
  REQUIRE(t.walk({0x11, 0, 0, 0}, 0x1'0012'3456, false, gpa));
  CHECK(gpa == 0x12'3456);
}

TEST_CASE("4-level paging: 4 KiB, 2 MiB and 1 GiB pages, as Linux maps its kernel") {
  Tables t;
  const GuestPaging p{cr0_pg | cr0_wp | 1, 0x1000, cr4_pae, efer_lme | efer_lma};
  const std::uint64_t kernel = 0xffff'ffff'8100'0123; // PML4 511, PDPT 510, PD 8, PT 0
  t.set(0x1000 + 511 * 8, 0x2000 | P | W);
  t.set(0x2000 + 510 * 8, 0x3000 | P | W);
  t.set(0x3000 + 8 * 8, 0x4000 | P | W);
  t.set(0x4000 + 0 * 8, 0x0123'4000 | P); // read-only
  std::uint64_t gpa = 0;
  REQUIRE(t.walk(p, kernel, false, gpa));
  CHECK(gpa == 0x0123'4123);
  CHECK_FALSE(t.walk(p, kernel, true, gpa));                                 // read-only under CR0.WP
  CHECK(t.walk({p.cr0 & ~cr0_wp, p.cr3, p.cr4, p.efer}, kernel, true, gpa)); // without WP it is writable

  t.set(0x3000 + 9 * 8, 0x0060'0000 | P | W | PS); // a 2 MiB page
  REQUIRE(t.walk(p, 0xffff'ffff'8120'4567, true, gpa));
  CHECK(gpa == 0x0060'4567 + 0x0000'0000);
  t.set(0x2000 + 0 * 8, 0x4000'0000 | P | W | PS); // a 1 GiB page at PDPT 0 of PML4 511
  REQUIRE(t.walk(p, 0xffff'ff80'0abc'def0, false, gpa));
  CHECK(gpa == 0x4abc'def0);

  CHECK_FALSE(t.walk(p, 0x0000'8000'0000'0000, false, gpa)); // not canonical
  CHECK_FALSE(t.walk(p, 0x1000, false, gpa));                // PML4 0 not present
  CHECK_FALSE(t.walk({p.cr0, p.cr3, p.cr4 | cr4_la57, p.efer}, kernel, false, gpa));
}

TEST_CASE("4-level paging: tables the guest put outside its memory are a fault, not a read") {
  Tables t;
  t.size = 0x3000;
  const GuestPaging p{cr0_pg | 1, 0x1000, cr4_pae, efer_lme | efer_lma};
  t.set(0x1000, 0x7000'0000 | P | W); // the next level lies beyond the guest's memory
  std::uint64_t gpa = 0;
  CHECK_FALSE(t.walk(p, 0x10, false, gpa));
}

TEST_CASE("PAE paging: 4 KiB and 2 MiB pages; the directory pointers have no writable bit") {
  Tables t;
  const GuestPaging p{cr0_pg | cr0_wp | 1, 0x1020, cr4_pae, 0};
  t.set(0x1020 + 3 * 8, 0x2000 | P); // PDPTE 3 (0xc0000000-): bit 1 is reserved, not read-only
  t.set(0x2000 + 1 * 8, 0x3000 | P | W);
  t.set(0x3000 + 2 * 8, 0x0055'5000 | P | W);
  std::uint64_t gpa = 0;
  REQUIRE(t.walk(p, 0xc020'2abc, true, gpa));
  CHECK(gpa == 0x0055'5abc);
  t.set(0x2000 + 4 * 8, 0x0080'0000 | P | W | PS);
  REQUIRE(t.walk(p, 0xc09f'ffff, false, gpa));
  CHECK(gpa == 0x009f'ffff);
}

TEST_CASE("32-bit paging: 4 KiB pages, and 4 MiB pages only with CR4.PSE") {
  Tables t;
  const GuestPaging p{cr0_pg | 1, 0x1000, 0, 0};
  t.set(0x1000 + 0x300 * 4, 0x2000 | P | W); // 0xc0000000
  t.set(0x2000 + 5 * 4, 0x0077'7000 | P | W);
  std::uint64_t gpa = 0;
  REQUIRE(t.walk(p, 0xc000'5010, false, gpa));
  CHECK(gpa == 0x0077'7010);
  t.set(0x1000 + 0x301 * 4, 0x00c0'0000 | P | W | PS);
  REQUIRE(t.walk({p.cr0, p.cr3, cr4_pse, 0}, 0xc043'2100, false, gpa));
  CHECK(gpa == 0x00c3'2100);
  // Without PSE the same entry points at a page table: at 0x00c00000, where the guest has nothing.
  REQUIRE(t.walk(p, 0xc043'2100, false, gpa) == false);
}

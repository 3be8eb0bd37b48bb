// SPDX-License-Identifier: Apache-2.0
// Grant tables v1: grant, map, unmap; revocation of a mapped grant fails; destroying either side cleans up.
#include <hv/core/grant_table.hpp>
#include <hv/core/machine_memory.hpp>

#include "core_support.hpp"

#include <cstring>

using hv::Domain;
using hv::Err;
using hv::u32;
using hv::u64;
using namespace hv::abi;

namespace {
constexpr u64 page = 4096;

/// The granter's side, as a guest does it: fill the entry, flags last.
void grant_access(Domain& granter, grant_ref_t ref, domid_t to, u32 gfn, bool readonly = false) {
  GrantEntryV1* e = hv::grant::entry(granter, ref);
  REQUIRE(e != nullptr);
  e->domid = to;
  e->frame = gfn;
  __atomic_store_n(&e->flags, static_cast<hv::u16>(gtf::permit_access | (readonly ? gtf::readonly : 0)),
                   __ATOMIC_SEQ_CST);
}

/// The ABI's revoke: atomically clear the flags, unless the hypervisor marks the entry in use.
bool revoke(Domain& granter, grant_ref_t ref) {
  GrantEntryV1* e = hv::grant::entry(granter, ref);
  hv::u16 flags = __atomic_load_n(&e->flags, __ATOMIC_SEQ_CST);
  do {
    if ((flags & (gtf::reading | gtf::writing)) != 0) return false;
  } while (!__atomic_compare_exchange_n(&e->flags, &flags, hv::u16{0}, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
  return true;
}

GnttabMapGrantRef map_op(domid_t dom, grant_ref_t ref, u64 host_gfn, u32 flags = gntmap::host_map) {
  return GnttabMapGrantRef{host_gfn * page, flags, ref, dom, 99, 0, 0};
}

hv::i16 unmap(hv::test::CoreMachine& m, Domain& d, u32 handle, u64 host_gfn) {
  GnttabUnmapGrantRef op{host_gfn * page, 0, handle, 99, 0};
  return hv::grant::unmap(*m.domains, d, op);
}
} // namespace

TEST_CASE("grants: a mapped grant shares the granter's frame, and unmap takes it away") {
  hv::test::CoreMachine m;
  Domain& a = m.running();
  Domain& b = m.running();
  grant_access(a, 7, b.id, 3);
  auto op = map_op(a.id, 7, 0x1000);
  REQUIRE(hv::grant::map(*m.domains, b, op) == gntst::okay);
  CHECK(op.status == gntst::okay);
  const auto mine = a.p2m.lookup(3), theirs = b.p2m.lookup(0x1000);
  CHECK(theirs.kind == hv::GuestPhysMap::Kind::foreign);
  CHECK(theirs.frame == mine.frame);
  std::memcpy(hv::map_frame(theirs.frame), "ring", 5); // b writes, a reads the same bytes
  CHECK(std::memcmp(hv::map_frame(mine.frame), "ring", 5) == 0);
  CHECK((hv::grant::entry(a, 7)->flags & (gtf::reading | gtf::writing)) == (gtf::reading | gtf::writing));

  CHECK(unmap(m, b, op.handle, 0x1000) == gntst::okay);
  CHECK_FALSE(b.p2m.lookup(0x1000).present());
  CHECK(hv::grant::entry(a, 7)->flags == gtf::permit_access);
  CHECK(unmap(m, b, op.handle, 0x1000) == gntst::bad_handle); // twice
}

TEST_CASE("grants: revoking a mapped grant fails until the last mapping is gone") {
  hv::test::CoreMachine m;
  Domain& a = m.running();
  Domain& b = m.running();
  grant_access(a, 1, b.id, 2);
  auto first = map_op(a.id, 1, 0x100);
  auto second = map_op(a.id, 1, 0x101, gntmap::host_map | gntmap::readonly);
  REQUIRE(hv::grant::map(*m.domains, b, first) == gntst::okay);
  REQUIRE(hv::grant::map(*m.domains, b, second) == gntst::okay);
  CHECK(b.p2m.lookup(0x101).kind == hv::GuestPhysMap::Kind::foreign_readonly);
  CHECK_FALSE(revoke(a, 1));
  CHECK(unmap(m, b, first.handle, 0x100) == gntst::okay);
  CHECK((hv::grant::entry(a, 1)->flags & gtf::writing) == 0); // no writer left
  CHECK((hv::grant::entry(a, 1)->flags & gtf::reading) != 0);
  CHECK_FALSE(revoke(a, 1));
  CHECK(unmap(m, b, second.handle, 0x101) == gntst::okay);
  CHECK(revoke(a, 1));
  auto again = map_op(a.id, 1, 0x100);
  CHECK(hv::grant::map(*m.domains, b, again) == gntst::permission_denied); // revoked
  // And the granter may give the frame back now that nobody maps it.
  CHECK(m.domains->depopulate(a, 2) == Err::ok);
}

TEST_CASE("grants: every misuse of map and unmap has its GNTST code") {
  hv::test::CoreMachine m;
  Domain& a = m.running();
  Domain& b = m.running();
  Domain& c = m.running();
  grant_access(a, 0, b.id, 1);
  grant_access(a, 1, b.id, 2, true);
  grant_access(a, 2, b.id, 500); // a gfn a has no memory at
  grant_access(a, 3, c.id, 3);

  auto op = map_op(a.id, 0, 0x200, 0);
  CHECK(hv::grant::map(*m.domains, b, op) == gntst::bad_gntref); // neither host nor device map
  op = map_op(77, 0, 0x200);
  CHECK(hv::grant::map(*m.domains, b, op) == gntst::bad_domain);
  op = map_op(a.id, grant_entries_per_frame, 0x200); // past a's one frame of entries
  CHECK(hv::grant::map(*m.domains, b, op) == gntst::bad_gntref);
  op = map_op(a.id, 5, 0x200); // never granted
  CHECK(hv::grant::map(*m.domains, b, op) == gntst::permission_denied);
  op = map_op(a.id, 3, 0x200); // granted to c
  CHECK(hv::grant::map(*m.domains, b, op) == gntst::permission_denied);
  op = map_op(a.id, 1, 0x200); // read-only grant, writable map
  CHECK(hv::grant::map(*m.domains, b, op) == gntst::permission_denied);
  CHECK(hv::grant::entry(a, 1)->flags == (gtf::permit_access | gtf::readonly)); // untouched
  op = map_op(a.id, 2, 0x200);
  CHECK(hv::grant::map(*m.domains, b, op) == gntst::bad_page);
  CHECK(hv::grant::entry(a, 2)->flags == gtf::permit_access); // claim undone
  op = map_op(a.id, 0, 5);                                    // b's own RAM is there
  CHECK(hv::grant::map(*m.domains, b, op) == gntst::bad_virt_addr);
  op = map_op(a.id, 0, 0x200);
  op.host_addr += 8; // unaligned
  CHECK(hv::grant::map(*m.domains, b, op) == gntst::bad_virt_addr);
  CHECK(op.status == gntst::bad_virt_addr);

  op = map_op(a.id, 0, 0x200);
  REQUIRE(hv::grant::map(*m.domains, b, op) == gntst::okay);
  CHECK(unmap(m, b, op.handle, 0x201) == gntst::bad_virt_addr); // not where it is mapped
  CHECK(unmap(m, b, hv::limits::max_maptrack, 0x200) == gntst::bad_handle);
  CHECK(unmap(m, c, op.handle, 0x200) == gntst::bad_handle); // c holds no such mapping
  CHECK(m.domains->depopulate(a, 1) == Err::busy);           // pinned while mapped

  // The maptrack fills up: GNTST_no_space, not a panic.
  u32 mapped = 1;
  for (;;) {
    auto more = map_op(a.id, 0, 0x1000 + mapped);
    const hv::i16 status = hv::grant::map(*m.domains, b, more);
    if (status != gntst::okay) {
      CHECK(status == gntst::no_space);
      break;
    }
    ++mapped;
  }
  CHECK(mapped == hv::limits::max_maptrack);
}

TEST_CASE("grants: device mappings report the frame's bus address to the control domain alone") {
  hv::test::CoreMachine m;
  Domain& control = m.running({.privileged = true});
  Domain& a = m.running();
  Domain& b = m.running();
  grant_access(a, 4, b.id, 6);
  auto op = map_op(a.id, 4, 0, gntmap::device_map);
  REQUIRE(hv::grant::map(*m.domains, b, op) == gntst::okay);
  CHECK(op.dev_bus_addr == 0); // an unprivileged mapper never learns where another's memory lies
  CHECK(unmap(m, b, op.handle, 0) == gntst::okay);

  grant_access(a, 5, control.id, 7);
  op = map_op(a.id, 5, 0, gntmap::device_map);
  REQUIRE(hv::grant::map(*m.domains, control, op) == gntst::okay);
  CHECK(op.dev_bus_addr == a.p2m.lookup(7).frame);
  CHECK(unmap(m, control, op.handle, 0) == gntst::okay);
}

TEST_CASE("grants: destroying the mapper releases its mappings, to the frame") {
  hv::test::CoreMachine m;
  Domain& a = m.running();
  const u64 free_before = m.frames.free_frames();
  Domain& b = m.running();
  grant_access(a, 0, b.id, 0);
  grant_access(a, 1, b.id, 1);
  auto op0 = map_op(a.id, 0, 0x300), op1 = map_op(a.id, 1, 0x301, gntmap::host_map | gntmap::readonly);
  REQUIRE(hv::grant::map(*m.domains, b, op0) == gntst::okay);
  REQUIRE(hv::grant::map(*m.domains, b, op1) == gntst::okay);
  m.domains->destroy(b);
  CHECK(m.frames.free_frames() == free_before);
  CHECK(revoke(a, 0));
  CHECK(revoke(a, 1));
  CHECK(m.domains->depopulate(a, 0) == Err::ok);
}

TEST_CASE("grants: destroying the granter unmaps its frames everywhere, to the frame") {
  hv::test::CoreMachine m;
  Domain& b = m.running();
  const u64 free_before = m.frames.free_frames();
  const u64 b_overhead_before = b.overhead.frames;
  Domain& a = m.running();
  const hv::abi::domid_t a_id = a.id;
  grant_access(a, 0, b.id, 4);
  auto op = map_op(a.id, 0, 0x400);
  REQUIRE(hv::grant::map(*m.domains, b, op) == gntst::okay);
  m.domains->destroy(a);
  // Every frame of a is back; b only kept the p2m table it needed for gfn 0x400 (its own, freed with it).
  CHECK(b.overhead.frames == b_overhead_before + 1);
  CHECK(m.frames.free_frames() + 1 == free_before);
  CHECK(m.frames.count_owned_by(a_id) == 0);
  CHECK_FALSE(b.p2m.lookup(0x400).present()); // b can no longer reach a frame that was freed
  CHECK(unmap(m, b, op.handle, 0x400) == gntst::bad_handle);
  auto again = map_op(a_id, 0, 0x400);
  CHECK(hv::grant::map(*m.domains, b, again) == gntst::bad_domain);
}

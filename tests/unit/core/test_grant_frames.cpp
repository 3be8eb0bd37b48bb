// SPDX-License-Identifier: Apache-2.0
// Grant table frames: a table starts with one frame and grows to its domain's maximum as the guest asks
// (GNTTABOP_setup_table, XENMEM_add_to_physmap of XENMAPSPACE_grant_table), each frame mapped where the
// guest wants it and moved when asked again; set_version and get_version keep to v1; every frame comes
// back when the domain goes.
#include <hv/abi/grant_table.hpp>
#include <hv/abi/memory.hpp>
#include <hv/core/grant_table.hpp>

#include "hypercall_support.hpp"

#include <vector>

using hv::Domain;
using hv::Err;
using hv::i64;
using hv::u32;
using hv::u64;
using hv::test::get;
using hv::test::put;
using namespace hv::abi;

namespace {
constexpr u64 page = 4096;
constexpr i64 enosys = -38, efault = -14, einval = -22, eperm = -1, esrch = -3, ebusy = -16;
using Machine = hv::test::HypercallMachine;

i64 map_frame_at(Machine& m, Domain& d, u64 idx, u64 gfn, domid_t dom = domid_self) {
  put(d, 0, AddToPhysmap<GuestWidth::bits64>{dom, 0, mapspace::grant_table, idx, gfn});
  return m.call(d, hypercall::memory_op, xenmem::add_to_physmap, 0);
}
} // namespace

TEST_CASE("grant frames: a guest maps its table's frames into its physical space, growing it") {
  Machine m;
  hv::DomainConfig c;
  c.grant_frames = 4;
  Domain& d = m.running(c, 32);
  REQUIRE(d.grants.nr_frames == 1);
  const u64 ram_before = d.memory.frames;

  // Mapped at gfn 20, over RAM, which is given back: the guest writes entries there, the hypervisor reads them.
  CHECK(map_frame_at(m, d, 0, 20) == 0);
  CHECK(d.p2m.lookup(20).kind == hv::GuestPhysMap::Kind::hypervisor);
  CHECK(d.p2m.lookup(20).frame == d.grants.shared[0]);
  CHECK(d.memory.frames == ram_before - 1);
  put(d, 20 * page + 5 * sizeof(GrantEntryV1), GrantEntryV1{gtf::permit_access, 7, 9});
  CHECK(hv::grant::entry(d, 5)->frame == 9);

  // Frame 3 past the table's end: the table grows to 4 frames (Linux maps the last first).
  CHECK(map_frame_at(m, d, 3, 23) == 0);
  CHECK(d.grants.nr_frames == 4);
  CHECK(d.grants.gfn[3] == 23);
  CHECK(hv::grant::entry(d, 4 * 512 - 1) != nullptr);
  CHECK(hv::grant::entry(d, 4 * 512) == nullptr);

  // Moved: the old place is unmapped; the same place again is nothing.
  CHECK(map_frame_at(m, d, 0, 21) == 0);
  CHECK_FALSE(d.p2m.lookup(20).present());
  CHECK(d.grants.gfn[0] == 21);
  CHECK(map_frame_at(m, d, 0, 21) == 0);
  // shared_info mapped over a grant frame: the frame is unmapped, and knows it.
  put(d, 0x100, AddToPhysmap<GuestWidth::bits64>{domid_self, 0, mapspace::shared_info, 0, 21});
  CHECK(m.call(d, hypercall::memory_op, xenmem::add_to_physmap, 0x100) == 0);
  CHECK(d.grants.gfn[0] == hv::GrantTable::unmapped);
  CHECK(d.p2m.lookup(21).frame == d.shared_info_frame);
  // And a grant frame over shared_info.
  CHECK(map_frame_at(m, d, 1, 21) == 0);
  CHECK(d.shared_info_gfn == ~u64{0});
  CHECK(d.grants.gfn[1] == 21);

  // Errors: past the maximum, a v2 status frame, out of range, another domain's without privilege.
  CHECK(map_frame_at(m, d, 4, 24) == einval);
  CHECK(map_frame_at(m, d, mapspace::grant_table_status | 0, 24) == einval);
  CHECK(map_frame_at(m, d, 0, u64{1} << 40) == einval);
  Domain& other = m.running();
  CHECK(map_frame_at(m, d, 0, 24, other.id) == eperm);
  CHECK(d.grants.nr_frames == 4);

  // Everything comes back: the domain's frames, its table's among them.
  const u64 free_before = m.frames.free_frames() + d.memory.frames + d.overhead.frames;
  m.domains->destroy(d);
  CHECK(m.frames.free_frames() == free_before);
}

TEST_CASE("grant frames: a frame granted to the domain is not replaced by a table frame") {
  Machine m;
  Domain& a = m.running();
  Domain& b = m.running();
  GrantEntryV1* e = hv::grant::entry(a, 1);
  e->domid = b.id;
  e->frame = 2;
  e->flags = gtf::permit_access;
  GnttabMapGrantRef op{0x40 * page, gntmap::host_map, 1, a.id, 0, 0, 0};
  REQUIRE(hv::grant::map(*m.domains, b, op) == gntst::okay);
  CHECK(map_frame_at(m, b, 0, 0x40) == ebusy);
  // Its RAM frame, once granted and mapped, cannot be given back for a table frame either.
  CHECK(map_frame_at(m, a, 0, 2) == ebusy);
}

TEST_CASE("grant frames: setup_table grows the table and lists where its frames are") {
  Machine m;
  hv::DomainConfig c;
  c.grant_frames = 8;
  Domain& d = m.running(c);
  REQUIRE(map_frame_at(m, d, 1, 12) == 0);
  put(d, 0x200, GnttabSetupTable<GuestWidth::bits64>{domid_self, 3, 99, 0x300});
  CHECK(m.call(d, hypercall::grant_table_op, gnttabop::setup_table, 0x200, 1) == 0);
  CHECK(get<GnttabSetupTable<GuestWidth::bits64>>(d, 0x200).status == gntst::okay);
  CHECK(d.grants.nr_frames == 3);
  CHECK(get<u64>(d, 0x300) == ~u64{0}); // not mapped
  CHECK(get<u64>(d, 0x308) == 12);
  CHECK(get<u64>(d, 0x310) == ~u64{0});

  put(d, 0x200, GnttabSetupTable<GuestWidth::bits64>{domid_self, 9, 0, 0x300}); // past the maximum
  CHECK(m.call(d, hypercall::grant_table_op, gnttabop::setup_table, 0x200, 1) == 0);
  CHECK(get<GnttabSetupTable<GuestWidth::bits64>>(d, 0x200).status == gntst::general_error);
  put(d, 0x200, GnttabSetupTable<GuestWidth::bits64>{domid_self, 2, 0, 16 * page - 8}); // a list off the end
  CHECK(m.call(d, hypercall::grant_table_op, gnttabop::setup_table, 0x200, 1) == 0);
  CHECK(get<GnttabSetupTable<GuestWidth::bits64>>(d, 0x200).status == gntst::bad_virt_addr);
  put(d, 0x200, GnttabSetupTable<GuestWidth::bits64>{999, 1, 0, 0x300});
  CHECK(m.call(d, hypercall::grant_table_op, gnttabop::setup_table, 0x200, 1) == 0);
  CHECK(get<GnttabSetupTable<GuestWidth::bits64>>(d, 0x200).status == gntst::bad_domain);
  CHECK(m.call(d, hypercall::grant_table_op, gnttabop::setup_table, 0x200, 2) == einval);
  CHECK(m.call(d, hypercall::grant_table_op, gnttabop::setup_table, 16 * page - 4, 1) == efault);

  // A 32-bit guest's record and list.
  hv::DomainConfig narrow;
  narrow.width = GuestWidth::bits32;
  Domain& n = m.running(narrow);
  put(n, 0x200, GnttabSetupTable<GuestWidth::bits32>{domid_self, 2, 0, 0x300});
  put(n, 0x300, u64{0});
  CHECK(m.call(n, hypercall::grant_table_op, gnttabop::setup_table, 0x200, 1) == 0);
  CHECK(get<GnttabSetupTable<GuestWidth::bits32>>(n, 0x200).status == gntst::okay);
  CHECK(get<u64>(n, 0x300) == ~u64{0}); // two 32-bit words, each all ones
}

TEST_CASE("grant frames: the table is v1 and stays so") {
  Machine m;
  Domain& d = m.running();
  put(d, 0x200, GnttabSetVersion{1});
  CHECK(m.call(d, hypercall::grant_table_op, gnttabop::set_version, 0x200, 1) == 0);
  put(d, 0x200, GnttabSetVersion{2});
  CHECK(m.call(d, hypercall::grant_table_op, gnttabop::set_version, 0x200, 1) == enosys);
  CHECK(get<GnttabSetVersion>(d, 0x200).version == 1);
  put(d, 0x200, GnttabSetVersion{3});
  CHECK(m.call(d, hypercall::grant_table_op, gnttabop::set_version, 0x200, 1) == einval);
  CHECK(get<GnttabSetVersion>(d, 0x200).version == 1);
  CHECK(m.call(d, hypercall::grant_table_op, gnttabop::set_version, 0x200, 0) == einval);
  CHECK(m.call(d, hypercall::grant_table_op, gnttabop::set_version, 16 * page, 1) == efault);

  put(d, 0x200, GnttabGetVersion{domid_self, 0, 0});
  CHECK(m.call(d, hypercall::grant_table_op, gnttabop::get_version, 0x200, 1) == 0);
  CHECK(get<GnttabGetVersion>(d, 0x200).version == 1);
  Domain& other = m.running();
  put(d, 0x200, GnttabGetVersion{other.id, 0, 0});
  CHECK(m.call(d, hypercall::grant_table_op, gnttabop::get_version, 0x200, 1) == eperm);
  put(d, 0x200, GnttabGetVersion{999, 0, 0});
  CHECK(m.call(d, hypercall::grant_table_op, gnttabop::get_version, 0x200, 1) == esrch);
  CHECK(m.call(d, hypercall::grant_table_op, gnttabop::get_status_frames, 0x200, 1) == enosys);
}

TEST_CASE("grant frames: growth that runs out of memory keeps what it got, and the table works") {
  Machine m;
  hv::DomainConfig c;
  c.grant_frames = hv::limits::max_grant_frames;
  Domain& d = m.running(c, 4);
  // Something else took nearly every frame: 30 are left, fewer than 63 more grant frames need.
  hv::FrameAccount hog{99};
  std::vector<hv::PhysAddr> taken;
  while (m.frames.free_frames() > 30) taken.push_back(m.frames.alloc(0, hog).value());
  Err e = Err::ok;
  u32 frames = 1;
  while (e == Err::ok && frames < hv::limits::max_grant_frames) e = hv::grant::grow(m.frames, d, ++frames);
  CHECK(e == Err::nomem);
  CHECK(d.grants.nr_frames >= 1);
  CHECK(hv::grant::entry(d, d.grants.entries() - 1) != nullptr);
  m.domains->destroy(d);
  for (const hv::PhysAddr f : taken) REQUIRE(m.frames.free(f, hog) == Err::ok);
  CHECK(m.frames.free_frames() == m.frames.total_frames());
}

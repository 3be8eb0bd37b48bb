// SPDX-License-Identifier: Apache-2.0
// The control domain's mappings of other domains' RAM. See hv/core/foreign_map.hpp for the contract.
#include <hv/core/foreign_map.hpp>
#include <hv/panic.hpp>

namespace hv::foreign {
namespace {

using Kind = GuestPhysMap::Kind;

/// The domain whose RAM `frame` is, or nullptr.
Domain* owner(const DomainTable& table, PhysAddr frame) {
  const abi::domid_t id = table.frames().owner_of(frame);
  return id == abi::domid_invalid ? nullptr : table.find(id);
}

/// Forgets the foreign entry `e` of `mapper`'s p2m: its source's count goes down, or, for a frame its
/// source gave back meanwhile (orphan), the mapper that held it frees it.
void forget(DomainTable& table, Domain& mapper, GuestPhysMap::Entry e) {
  Domain* source = owner(table, e.frame);
  if (source == &mapper) {
    // The mapper's other vCPUs may be copying into it through the entry just gone (hv/read_section.hpp).
    check(table.frames().retire(e.frame, mapper.overhead) == Err::ok, "an orphaned frame is its mapper's");
    return;
  }
  if (source != nullptr && source->foreign_mapped != 0) --source->foreign_mapped;
}

} // namespace

Err map(DomainTable& table, Domain& mapper, Domain& source, u64 source_gfn, u64 gfn) {
  if (&source == &mapper || gfn >= GuestPhysMap::gfn_limit) return Err::inval;
  const GuestPhysMap::Entry from = source.p2m.lookup(source_gfn);
  if (from.kind != Kind::ram) return Err::inval;
  const GuestPhysMap::Entry there = mapper.p2m.lookup(gfn);
  if (there.kind == Kind::foreign_privileged && there.frame == from.frame) return Err::ok;
  switch (there.kind) {
  case Kind::none: break;
  case Kind::ram: {
    const Err e = table.depopulate(mapper, gfn);
    if (e != Err::ok) return e;
    break;
  }
  case Kind::foreign_privileged: break; // forgotten below, once no longer mapped
  default: return Err::busy;            // a grant mapping, or a page of the hypervisor's: unmapped its own way first
  }
  const Err e = mapper.p2m.set(gfn, from.frame, Kind::foreign_privileged);
  if (there.kind == Kind::foreign_privileged) {
    if (e != Err::ok) mapper.p2m.clear(gfn);
    forget(table, mapper, there); // an orphan is freed only now, its mapping gone from the Space
  }
  if (e != Err::ok) return e;
  ++source.foreign_mapped;
  return Err::ok;
}

Err unmap(DomainTable& table, Domain& mapper, u64 gfn) {
  const GuestPhysMap::Entry e = mapper.p2m.lookup(gfn);
  if (e.kind != Kind::foreign_privileged) return Err::inval;
  mapper.p2m.clear(gfn);
  forget(table, mapper, e);
  return Err::ok;
}

bool frame_mapped(const DomainTable& table, const Domain& d, PhysAddr frame) {
  if (d.foreign_mapped == 0) return false; // nearly always: then giving back a frame costs no walk
  for (usize i = 0; i < limits::max_domains; ++i) {
    const Domain* m = table.slot(i);
    if (m == nullptr || m == &d || !m->privileged) continue;
    bool found = false;
    m->p2m.for_each(
        [&](u64, GuestPhysMap::Entry e) { found = found || (e.kind == Kind::foreign_privileged && e.frame == frame); });
    if (found) return true;
  }
  return false;
}

Err orphan(DomainTable& table, Domain& d, PhysAddr frame) {
  // The first mapper keeps the frame through one of its entries; its other entries of it, and every other
  // mapper's, go: an orphan is mapped once, so that the entry's going frees it (forget).
  Domain* keeper = nullptr;
  u64 kept = 0;
  for (usize i = 0; i < limits::max_domains; ++i) {
    Domain* m = table.slot(i);
    if (m == nullptr || m == &d || !m->privileged) continue;
    for (bool more = true; more;) { // a batch of entries at a time: the p2m cannot change while it is walked
      u64 gfns[64];
      usize n = 0;
      m->p2m.for_each([&](u64 gfn, GuestPhysMap::Entry e) {
        if (e.kind == Kind::foreign_privileged && e.frame == frame && !(m == keeper && gfn == kept) && n < 64)
          gfns[n++] = gfn;
      });
      more = n == 64;
      if (n == 0) break;
      usize first = 0;
      if (keeper == nullptr) {
        const Err e = table.frames().transfer(frame, d.memory, m->overhead);
        if (e != Err::ok) return e;
        keeper = m;
        kept = gfns[0];
        first = 1;
      }
      for (usize k = first; k < n; ++k) m->p2m.clear(gfns[k]);
      d.foreign_mapped = d.foreign_mapped > n ? d.foreign_mapped - n : 0; // none of them is d's any more
    }
  }
  return keeper != nullptr ? Err::ok : Err::inval;
}

void release(DomainTable& table, Domain& d) {
  // As mapper: each source's count goes down (the entries go with d's p2m).
  if (d.privileged)
    d.p2m.for_each([&](u64, GuestPhysMap::Entry e) {
      if (e.kind == Kind::foreign_privileged) forget(table, d, e);
    });
  // As source: every mapping of its frames goes, a batch of entries at a time (the p2m cannot change
  // while it is walked).
  while (d.foreign_mapped != 0) {
    u64 gfns[64];
    usize n = 0;
    Domain* mapper = nullptr;
    for (usize i = 0; i < limits::max_domains && n == 0; ++i) {
      mapper = table.slot(i);
      if (mapper == nullptr || mapper == &d || !mapper->privileged) continue;
      mapper->p2m.for_each([&](u64 gfn, GuestPhysMap::Entry e) {
        if (n < 64 && e.kind == Kind::foreign_privileged && owner(table, e.frame) == &d) gfns[n++] = gfn;
      });
    }
    if (n == 0) { // no mapper holds one: the count was all that was left
      d.foreign_mapped = 0;
      break;
    }
    for (usize k = 0; k < n; ++k) (void)unmap(table, *mapper, gfns[k]);
  }
}

} // namespace hv::foreign

// SPDX-License-Identifier: Apache-2.0
// memory_op (12): (cmd, arg), a domain's reservation of RAM and what its p2m maps.
// increase_reservation, populate_physmap: for each extent, the guest frame number read from extent_start
// gets 2^extent_order fresh zeroed frames (our guests are all translated, so increase_reservation is
// populate_physmap by another name). decrease_reservation gives back each extent's frames. All three
// return the number of extents done (stopping at the first that fails: over the allowance, a range
// already or not mapped, a frame still granted), resume at the start extent in the command's upper bits,
// and say -EFAULT when the record, or the first extent's frame number, cannot be read; -ESRCH for no such
// domain, -EPERM for another domain from an unprivileged caller, -EINVAL for an order above the
// allocator's largest. current_reservation and maximum_reservation return a domain's pages and allowance.
//
// add_to_physmap maps a page the hypervisor keeps for the domain at gpfn, moving it from wherever it was
// mapped before: XENMAPSPACE_shared_info (idx 0) its shared_info page, XENMAPSPACE_grant_table (idx
// below the table's maximum) a grant table frame, the table growing to idx + 1 frames first. What was at
// gpfn goes: RAM is given back (-EBUSY while another domain maps that frame through a grant), another
// such page is unmapped; a frame granted to the domain is -EBUSY. -EINVAL for another idx, a v2 status
// frame (XENMAPIDX_grant_table_status: the table is v1), a table that cannot grow, or a gpfn out of
// range; -ENOSYS for the other spaces.
//
// add_to_physmap_batch maps, for a privileged caller, another domain's RAM into its own space: space
// XENMAPSPACE_gmfn_foreign, `size` pages, each the foreign domain's gfn idxs[i] at the caller's gpfns[i]
// (hv/core/foreign_map.hpp; what was there goes as for add_to_physmap), each page's result in errs[i]
// (0, -EINVAL for a gfn that is not the foreign domain's RAM or a gpfn out of range, -EBUSY, -ENOMEM).
// Returns 0 once every page has its result; -EPERM for an unprivileged caller, -EINVAL for a domid other
// than the caller's own or a foreign domain that is the caller, -ESRCH for no such foreign domain, -EFAULT
// when the record or a list cannot be read or written, -ENOSYS for another space.
// remove_from_physmap undoes what is at `gpfn` of `domid` (the caller's own, or any for the control
// domain): a foreign mapping goes, RAM is given back (-EBUSY while granted or foreign-mapped), a page of
// the hypervisor's is unmapped; -EINVAL when nothing is there.
#include <hv/abi/memory.hpp>
#include <hv/core/foreign_map.hpp>

#include "hypercall_family.hpp"

namespace hv::hypercalls {
namespace {

/// Reads a word (xen_pfn_t, xen_ulong_t) of the caller's width from its arguments.
bool read_word(const Vcpu& caller, u64 at, u64& out) {
  const GuestMemory guest(caller);
  if (caller.domain->width == abi::GuestWidth::bits64) return guest.read(at, out);
  u32 narrow = 0;
  const bool ok = guest.read(at, narrow);
  out = narrow;
  return ok;
}

i64 reservation(DomainTable& table, Domain& caller, const Vcpu& vcpu, u64 op, u64 start, u64 arg) {
  u64 extents = 0, nr = 0;
  u32 order = 0;
  abi::domid_t domid = 0;
  if (!read_sized<abi::MemoryReservation>(vcpu, arg, [&](const auto& r) {
        extents = r.extent_start;
        nr = r.nr_extents;
        order = r.extent_order;
        domid = r.domid;
      }))
    return efault;
  auto target = target_domain(table, caller, domid);
  if (!target.ok()) return ret(target.error());
  Domain& d = *target.value();
  if (order > FrameAllocator::max_order) return einval;
  const u64 word = abi::word_bytes(caller.width); // of each xen_pfn_t
  const u64 frames = u64{1} << order;
  for (u64 i = start; i < nr; ++i) {
    u64 at = 0, gfn = 0;
    if (!GuestMemory::element(extents, i, word, at) || !read_word(vcpu, at, gfn))
      return i == start ? efault : static_cast<i64>(i);
    if (op == abi::xenmem::decrease_reservation) {
      if (gfn >= GuestPhysMap::gfn_limit || frames > GuestPhysMap::gfn_limit - gfn) return static_cast<i64>(i);
      for (u64 k = 0; k < frames; ++k)
        if (table.depopulate(d, gfn + k) != Err::ok) return static_cast<i64>(i);
    } else if (table.populate(d, gfn, frames) != Err::ok) {
      return static_cast<i64>(i);
    }
  }
  return static_cast<i64>(nr > start ? nr : start);
}

/// Makes `gpfn` of `d` free for a page of the hypervisor's: RAM there is given back, a hypervisor page
/// there is forgotten where it was recorded (it is unmapped when its entry is replaced).
Err vacate(DomainTable& table, Domain& d, u64 gpfn) {
  const GuestPhysMap::Entry there = d.p2m.lookup(gpfn);
  switch (there.kind) {
  case GuestPhysMap::Kind::none: return Err::ok;
  case GuestPhysMap::Kind::ram: return table.depopulate(d, gpfn);
  case GuestPhysMap::Kind::hypervisor:
    if (there.frame == d.shared_info_frame) d.shared_info_gfn = ~u64{0};
    for (u32 i = 0; i < d.grants.nr_frames; ++i)
      if (there.frame == d.grants.shared[i]) d.grants.gfn[i] = GrantTable::unmapped;
    return Err::ok;
  case GuestPhysMap::Kind::foreign_privileged: return foreign::unmap(table, d, gpfn);
  default: return Err::busy; // a foreign frame: the grant must be unmapped first
  }
}

i64 add_to_physmap_batch(DomainTable& table, Domain& caller, const Vcpu& vcpu, u64 arg) {
  abi::domid_t domid = 0, foreign_id = 0;
  u32 space = 0, size = 0;
  u64 idxs = 0, gpfns = 0, errs = 0;
  if (!read_sized<abi::AddToPhysmapBatch>(vcpu, arg, [&](const auto& b) {
        domid = b.domid;
        space = b.space;
        size = b.size;
        foreign_id = b.foreign_domid;
        idxs = b.idxs;
        gpfns = b.gpfns;
        errs = b.errs;
      }))
    return efault;
  if (!caller.privileged) return ret(Err::perm);
  if (space != abi::mapspace::gmfn_foreign) return enosys;
  if (domid != abi::domid_self && domid != caller.id) return einval;
  Domain* source = table.find(foreign_id);
  if (source == nullptr) return ret(Err::srch);
  if (source == &caller) return einval;
  const u64 word = abi::word_bytes(caller.width);
  const GuestMemory guest(vcpu);
  for (u64 i = 0; i < size; ++i) {
    u64 at_idx = 0, at_gpfn = 0, at_err = 0, idx = 0, gpfn = 0;
    if (!GuestMemory::element(idxs, i, word, at_idx) || !GuestMemory::element(gpfns, i, word, at_gpfn) ||
        !GuestMemory::element(errs, i, sizeof(i32), at_err) || !read_word(vcpu, at_idx, idx) ||
        !read_word(vcpu, at_gpfn, gpfn))
      return efault;
    const auto result = static_cast<i32>(ret(foreign::map(table, caller, *source, idx, gpfn)));
    if (!guest.write(at_err, result)) return efault;
  }
  return 0;
}

i64 remove_from_physmap(DomainTable& table, Domain& caller, const Vcpu& vcpu, u64 arg) {
  abi::domid_t domid = 0;
  u64 gpfn = 0;
  if (!read_sized<abi::RemoveFromPhysmap>(vcpu, arg, [&](const auto& r) {
        domid = r.domid;
        gpfn = r.gpfn;
      }))
    return efault;
  auto target = target_domain(table, caller, domid);
  if (!target.ok()) return ret(target.error());
  Domain& d = *target.value();
  const GuestPhysMap::Entry there = d.p2m.lookup(gpfn);
  if (!there.present()) return einval;
  const Err e = vacate(table, d, gpfn);
  if (e != Err::ok) return ret(e);
  if (there.kind == GuestPhysMap::Kind::hypervisor) d.p2m.clear(gpfn); // vacate only forgot where it was
  return 0;
}

i64 add_to_physmap(DomainTable& table, Domain& caller, const Vcpu& vcpu, u64 arg) {
  abi::domid_t domid = 0;
  u32 space = 0;
  u64 idx = 0, gpfn = 0;
  if (!read_sized<abi::AddToPhysmap>(vcpu, arg, [&](const auto& a) {
        domid = a.domid;
        space = a.space;
        idx = a.idx;
        gpfn = a.gpfn;
      }))
    return efault;
  auto target = target_domain(table, caller, domid);
  if (!target.ok()) return ret(target.error());
  Domain& d = *target.value();
  PhysAddr page = 0;
  u64* where = nullptr; // where the page is mapped now
  if (space == abi::mapspace::shared_info) {
    if (idx != 0) return einval;
    page = d.shared_info_frame;
    where = &d.shared_info_gfn;
  } else if (space == abi::mapspace::grant_table) {
    if ((idx & abi::mapspace::grant_table_status) != 0 || idx >= d.grants.max_frames) return einval;
    if (grant::grow(table.frames(), d, static_cast<u32>(idx) + 1) != Err::ok) return einval;
    page = d.grants.shared[idx];
    where = &d.grants.gfn[idx];
  } else {
    return enosys;
  }
  if (gpfn >= GuestPhysMap::gfn_limit) return einval;
  if (gpfn == *where) return 0;
  Err e = vacate(table, d, gpfn);
  if (e != Err::ok) return ret(e);
  e = d.p2m.set(gpfn, page, GuestPhysMap::Kind::hypervisor);
  if (e != Err::ok) return ret(e);
  if (*where != ~u64{0}) d.p2m.clear(*where);
  *where = gpfn;
  return 0;
}

i64 reservation_size(DomainTable& table, Domain& caller, const Vcpu& vcpu, u64 op, u64 arg) {
  abi::domid_t id = 0;
  if (!GuestMemory(vcpu).read(arg, id)) return efault;
  auto target = target_domain(table, caller, id);
  if (!target.ok()) return ret(target.error());
  const FrameAccount& m = target.value()->memory;
  const u64 value = op == abi::xenmem::current_reservation ? m.frames : m.limit;
  return static_cast<i64>(value > u64{0x7fff'ffff'ffff'ffff} ? u64{0x7fff'ffff'ffff'ffff} : value);
}

} // namespace

i64 memory_op(HypercallEnv& env, Domain& caller, Vcpu& vcpu, u64 cmd, u64 arg, u64) {
  const u64 op = cmd & abi::xenmem::memop_cmd_mask;
  const u64 start = cmd >> abi::xenmem::memop_extent_shift;
  switch (op) {
  case abi::xenmem::increase_reservation:
  case abi::xenmem::decrease_reservation:
  case abi::xenmem::populate_physmap: return reservation(env.domains, caller, vcpu, op, start, arg);
  case abi::xenmem::add_to_physmap: return add_to_physmap(env.domains, caller, vcpu, arg);
  case abi::xenmem::add_to_physmap_batch: return add_to_physmap_batch(env.domains, caller, vcpu, arg);
  case abi::xenmem::remove_from_physmap: return remove_from_physmap(env.domains, caller, vcpu, arg);
  case abi::xenmem::current_reservation:
  case abi::xenmem::maximum_reservation: return reservation_size(env.domains, caller, vcpu, op, arg);
  default: return enosys;
  }
}

} // namespace hv::hypercalls

// SPDX-License-Identifier: Apache-2.0
// Grant tables v1. See hv/core/grant_table.hpp for the contract.
#include <hv/core/domain_table.hpp>
#include <hv/core/grant_table.hpp>
#include <hv/core/machine_memory.hpp>
#include <hv/panic.hpp>

namespace hv::grant {
namespace {

static_assert(limits::max_maptrack * sizeof(GrantMapping) <= FrameAllocator::frame_size, "maptrack fits a frame");

/// The flags word is shared with the guest, which changes it concurrently: only atomic access.
u16 load_flags(const abi::GrantEntryV1& e) { return __atomic_load_n(&e.flags, __ATOMIC_SEQ_CST); }
bool swap_flags(abi::GrantEntryV1& e, u16 expected, u16 desired) {
  return __atomic_compare_exchange_n(&e.flags, &expected, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
void clear_flags(abi::GrantEntryV1& e, u16 bits) {
  __atomic_fetch_and(&e.flags, static_cast<u16>(~bits), __ATOMIC_SEQ_CST);
}

/// Drops one mapping's pin on the granter's entry; the last of a kind clears its in-use bit.
void unpin(Domain& granter, abi::grant_ref_t ref, bool readonly) {
  ActiveGrant& a = active(granter, ref);
  if (readonly) {
    check(a.readers > 0, "grant read pin held");
    --a.readers;
  } else {
    check(a.writers > 0, "grant write pin held");
    --a.writers;
  }
  u16 bits = 0;
  if (a.writers == 0) bits |= abi::gtf::writing;
  if (a.readers == 0 && a.writers == 0) bits |= abi::gtf::reading;
  clear_flags(*entry(granter, ref), bits);
  if (a.readers == 0 && a.writers == 0) {
    a.frame = 0;
    --granter.grants.pinned;
  }
}

GuestPhysMap::Kind kind_of(u32 map_flags) {
  return (map_flags & abi::gntmap::readonly) != 0 ? GuestPhysMap::Kind::foreign_readonly : GuestPhysMap::Kind::foreign;
}

/// Removes mapping `handle` of `mapper`; `granter` may be null when it is being torn down anyway.
void drop_mapping(Domain& mapper, u32 handle, Domain* granter) {
  GrantMapping& m = mapper.grants.maptrack[handle];
  if ((m.flags & abi::gntmap::host_map) != 0) mapper.p2m.clear(m.host_gfn);
  if (granter != nullptr) unpin(*granter, m.ref, (m.flags & abi::gntmap::readonly) != 0);
  m = GrantMapping{};
}

} // namespace

Err setup(FrameAllocator& allocator, Domain& d, u32 max_frames) {
  if (max_frames < 1 || max_frames > limits::max_grant_frames) return Err::inval;
  GrantTable& g = d.grants;
  g = GrantTable{};
  g.max_frames = max_frames;
  for (u64& gfn : g.gfn) gfn = GrantTable::unmapped;
  auto maptrack = allocator.alloc(0, d.overhead);
  if (!maptrack.ok()) return maptrack.error();
  zero_frames(maptrack.value(), 1);
  g.maptrack_frame = maptrack.value();
  g.maptrack = static_cast<GrantMapping*>(map_frame(maptrack.value()));
  for (u32 i = 0; i < limits::max_maptrack; ++i) new (place, &g.maptrack[i]) GrantMapping();
  const Err e = grow(allocator, d, 1);
  if (e != Err::ok) {
    check(allocator.free(g.maptrack_frame, d.overhead) == Err::ok, "maptrack freed");
    g = GrantTable{};
  }
  return e;
}

Err grow(FrameAllocator& allocator, Domain& d, u32 frames) {
  GrantTable& g = d.grants;
  if (frames > g.max_frames) return Err::inval;
  while (g.nr_frames < frames) {
    auto shared = allocator.alloc(0, d.overhead);
    if (!shared.ok()) return shared.error();
    auto records = allocator.alloc(GrantTable::active_order, d.overhead);
    if (!records.ok()) {
      check(allocator.free(shared.value(), d.overhead) == Err::ok, "grant frame freed");
      return records.error();
    }
    zero_frames(shared.value(), 1);
    zero_frames(records.value(), u64{1} << GrantTable::active_order);
    auto* a = static_cast<ActiveGrant*>(map_frame(records.value()));
    for (u32 i = 0; i < abi::grant_entries_per_frame; ++i) new (place, &a[i]) ActiveGrant();
    g.shared[g.nr_frames] = shared.value();
    g.active[g.nr_frames] = records.value();
    ++g.nr_frames;
  }
  return Err::ok;
}

abi::GrantEntryV1* entry(Domain& d, abi::grant_ref_t ref) {
  if (ref >= d.grants.entries()) return nullptr;
  auto* frame = static_cast<abi::GrantEntryV1*>(map_frame(d.grants.shared[ref / abi::grant_entries_per_frame]));
  return &frame[ref % abi::grant_entries_per_frame];
}

ActiveGrant& active(Domain& d, abi::grant_ref_t ref) {
  check(ref < d.grants.entries(), "an active grant record inside the table");
  auto* records = static_cast<ActiveGrant*>(map_frame(d.grants.active[ref / abi::grant_entries_per_frame]));
  return records[ref % abi::grant_entries_per_frame];
}

i16 map(DomainTable& table, Domain& caller, abi::GnttabMapGrantRef& op) {
  auto fail = [&](i16 status) { return op.status = status; };
  if ((op.flags & (abi::gntmap::host_map | abi::gntmap::device_map)) == 0) return fail(abi::gntst::bad_gntref);
  Domain* granter = table.resolve(caller, op.dom);
  if (granter == nullptr || granter->state == DomainState::dying) return fail(abi::gntst::bad_domain);
  if (op.ref >= granter->grants.entries()) return fail(abi::gntst::bad_gntref);
  u32 handle = 0;
  while (handle < limits::max_maptrack && caller.grants.maptrack[handle].flags != 0) ++handle;
  if (handle == limits::max_maptrack) return fail(abi::gntst::no_space);
  const bool host = (op.flags & abi::gntmap::host_map) != 0;
  const u64 host_gfn = op.host_addr / FrameAllocator::frame_size;
  if (host && (!is_aligned(op.host_addr, FrameAllocator::frame_size) || host_gfn >= GuestPhysMap::gfn_limit ||
               caller.p2m.lookup(host_gfn).present()))
    return fail(abi::gntst::bad_virt_addr);

  // Claim the entry: valid for the caller, and marked in use in one atomic step.
  const bool readonly = (op.flags & abi::gntmap::readonly) != 0;
  abi::GrantEntryV1& e = *entry(*granter, op.ref);
  for (;;) {
    const u16 old = load_flags(e);
    if ((old & abi::gtf::type_mask) != abi::gtf::permit_access ||
        __atomic_load_n(&e.domid, __ATOMIC_SEQ_CST) != caller.id)
      return fail(abi::gntst::permission_denied);
    if (!readonly && (old & abi::gtf::readonly) != 0) return fail(abi::gntst::permission_denied);
    const u16 desired = static_cast<u16>(old | abi::gtf::reading | (readonly ? 0 : abi::gtf::writing));
    if (swap_flags(e, old, desired)) break;
  }
  ActiveGrant& a = active(*granter, op.ref);
  if (a.readers == 0 && a.writers == 0) {
    const GuestPhysMap::Entry backing = granter->p2m.lookup(__atomic_load_n(&e.frame, __ATOMIC_SEQ_CST));
    if (backing.kind != GuestPhysMap::Kind::ram) {
      clear_flags(e, static_cast<u16>(abi::gtf::reading | abi::gtf::writing));
      return fail(abi::gntst::bad_page);
    }
    a.frame = backing.frame;
    ++granter->grants.pinned;
  }
  if (readonly)
    ++a.readers;
  else
    ++a.writers;
  if (host && caller.p2m.set(host_gfn, a.frame, kind_of(op.flags)) != Err::ok) {
    unpin(*granter, op.ref, readonly);
    return fail(abi::gntst::general_error);
  }
  caller.grants.maptrack[handle] = GrantMapping{granter->id, static_cast<u16>(op.flags), op.ref, host ? host_gfn : 0};
  op.handle = handle;
  // A machine address tells a domain where the hypervisor put another's memory: only the control domain,
  // which may drive devices, learns it. The others have no device to hand a bus address to.
  op.dev_bus_addr = (op.flags & abi::gntmap::device_map) != 0 && caller.privileged ? a.frame : 0;
  return op.status = abi::gntst::okay;
}

i16 unmap(DomainTable& table, Domain& caller, abi::GnttabUnmapGrantRef& op) {
  if (op.handle >= limits::max_maptrack || caller.grants.maptrack[op.handle].flags == 0)
    return op.status = abi::gntst::bad_handle;
  const GrantMapping& m = caller.grants.maptrack[op.handle];
  if ((m.flags & abi::gntmap::host_map) != 0 && op.host_addr != m.host_gfn * FrameAllocator::frame_size)
    return op.status = abi::gntst::bad_virt_addr;
  Domain* granter = table.find(m.granter);
  check(granter != nullptr, "a granter outlives the mappings of its grants");
  drop_mapping(caller, op.handle, granter);
  return op.status = abi::gntst::okay;
}

bool frame_in_use(const Domain& d, PhysAddr frame) {
  const GrantTable& g = d.grants;
  if (g.pinned == 0) return false; // nearly always: then a domain's ballooning costs no walk of its table
  for (u32 f = 0; f < g.nr_frames; ++f) {
    const auto* records = static_cast<const ActiveGrant*>(map_frame(g.active[f]));
    for (u32 i = 0; i < abi::grant_entries_per_frame; ++i)
      if ((records[i].readers != 0 || records[i].writers != 0) && records[i].frame == frame) return true;
  }
  return false;
}

void release(DomainTable& table, Domain& d) {
  GrantTable& g = d.grants;
  if (g.maptrack_frame == 0) return;
  // As mapper: give back every grant it holds.
  for (u32 h = 0; h < limits::max_maptrack; ++h)
    if (g.maptrack[h].flags != 0) drop_mapping(d, h, table.find(g.maptrack[h].granter));
  // As granter: its frames are about to be freed, so no one may keep them mapped.
  for (usize i = 0; i < limits::max_domains; ++i) {
    Domain* other = table.slot(i);
    if (other == nullptr || other == &d || other->grants.maptrack_frame == 0) continue;
    for (u32 h = 0; h < limits::max_maptrack; ++h)
      if (other->grants.maptrack[h].flags != 0 && other->grants.maptrack[h].granter == d.id)
        drop_mapping(*other, h, nullptr);
  }
  FrameAllocator& frames = table.frames();
  for (u32 i = 0; i < g.nr_frames; ++i) {
    check(frames.free(g.shared[i], d.overhead) == Err::ok, "grant frame freed");
    check(frames.free(g.active[i], d.overhead) == Err::ok, "grant records freed");
  }
  check(frames.free(g.maptrack_frame, d.overhead) == Err::ok, "maptrack freed");
  g = GrantTable{};
}

} // namespace hv::grant

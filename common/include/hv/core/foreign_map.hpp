// SPDX-License-Identifier: Apache-2.0
// The control domain's mappings of another domain's RAM (the family's XENMAPSPACE_gmfn_foreign, through
// XENMEM_add_to_physmap_batch; undone by XENMEM_remove_from_physmap): how a toolstack writes a new
// domain's image and boot information, and later reads or writes a domain's memory to save or restore it.
//
// Such a mapping is an entry of the mapper's p2m of kind foreign_privileged naming the other domain's
// machine frame; the mapper is never charged for it and never frees it. The other domain counts how many
// of its frames are mapped so (Domain::foreign_mapped), so that:
//  - when it gives back a frame that is mapped so (a guest ballooning, or placing shared_info over its
//    RAM, while its toolstack migrates it), the frame leaves it at once and passes to the mapper, which
//    holds it (its overhead account) until its mapping goes: as the family keeps a page until its last
//    reference, so that neither the guest is refused nor the mapper left with a page that is gone;
//  - when it is destroyed, every such mapping of its frames is removed first (the mapper's second-stage
//    translation follows its p2m), so that no domain keeps a frame that is about to be freed;
//  - when the mapper is destroyed or replaces the entry, the other domain's count goes down.
// Only a privileged domain maps so; the rule of who may is the hypercall's (memory_hypercalls.cpp).
#pragma once

#include <hv/core/domain_table.hpp>

namespace hv::foreign {

/// Maps `source`'s RAM frame at its gfn `source_gfn` into `mapper` at `gfn`, replacing what was there
/// (RAM there is given back). Err::inval when `source_gfn` is not `source`'s RAM, `gfn` is out of range
/// or `source` is `mapper`; Err::busy when what is at `gfn` cannot go (a granted frame); Err::nomem when
/// the mapper's p2m needs a table it cannot have.
Err map(DomainTable& table, Domain& mapper, Domain& source, u64 source_gfn, u64 gfn);
/// Removes the foreign mapping at `mapper`'s `gfn` (its source's count goes down). Err::inval when there
/// is none.
Err unmap(DomainTable& table, Domain& mapper, u64 gfn);
/// Whether another domain maps `frame`, one of `d`'s RAM frames.
bool frame_mapped(const DomainTable& table, const Domain& d, PhysAddr frame);
/// `d` gives back `frame`, one of its RAM frames that another domain maps: the first such mapper takes the
/// frame (from d's memory account into its overhead account), to be freed when its mapping goes; its other
/// mappings of it, and any other mapper's, are removed (an orphan is mapped once). `d`'s p2m entry is the caller's to
/// clear. Err::nomem, and nothing changes, when the mapper's account is full.
Err orphan(DomainTable& table, Domain& d, PhysAddr frame);
/// Removes every foreign mapping of `d`'s frames from every other domain, and every foreign mapping `d`
/// holds of others' (their counts go down). Called by DomainTable::destroy before `d`'s frames are freed.
void release(DomainTable& table, Domain& d);

} // namespace hv::foreign

// Port contract: copying between the hypervisor and a guest's memory (copy-from/to-guest).
//
// Every guest pointer a hypercall receives is a guest-physical address that the guest chose: it may be
// unmapped, point at a device hole, or run past the end of guest memory. Hypercall code never
// dereferences one; it copies through a type meeting this concept and turns `false` into -EFAULT.
//
// Common code provides an implementation that every port gets for free (hv::P2mGuestMemory in
// hv/core/guest_memory.hpp): it walks the domain's guest-physical to machine map and copies through
// Paging::direct_map. A port needs its own only if the second-stage tables it builds can differ from that
// map (none does today). Not part of HV_PORT_CONTRACT_CHECKS: common code names the implementation it uses.
#pragma once

#include <contract/concept_support.hpp>

namespace hv::contract {

/// `Map` is the domain's guest-physical to machine map (hv::GuestPhysMap).
template <class G, class Map>
concept GuestMemory = requires(const Map& map, u64 gpa, void* dst, const void* src, usize len) {
  /// Copies `len` bytes at guest-physical `gpa` of the domain whose map is `map` into `dst` (hypervisor
  /// memory). Returns false when any byte of [gpa, gpa + len) lies in a page that is not mapped, not RAM,
  /// or past the end of the guest-physical space (the range wrapping around included); `dst` may then
  /// hold part of the data. len == 0 succeeds. Called from hypercalls, on the calling vCPU, at any time
  /// the domain exists; the guest may change the bytes concurrently (callers copy once, then check).
  { G::copy_from_guest(map, gpa, dst, len) } -> same_as<bool>;
  /// Copies `len` bytes from `src` to guest-physical `gpa`. False as above, and also when a page is
  /// mapped read-only to the guest (a read-only grant); earlier pages may then have been written.
  { G::copy_to_guest(map, gpa, src, len) } -> same_as<bool>;
};

} // namespace hv::contract

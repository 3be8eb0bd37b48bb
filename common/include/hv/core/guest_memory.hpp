// Copy-from/to-guest over a domain's guest-physical to machine map: the common implementation of the
// port contract's GuestMemory (contract/guest_memory.hpp), which every port uses as is.
//
// A guest page is readable when the p2m maps it as the domain's RAM or as a frame granted to it (read-only
// or not), and writable when it is RAM or a writable grant. Pages are copied one at a time through the
// port's direct map (hv::map_frame), so a range may span frames that are not contiguous in machine memory.
#pragma once

#include <hv/core/guest_phys_map.hpp>

namespace hv {

struct P2mGuestMemory {
  static bool copy_from_guest(const GuestPhysMap& map, u64 gpa, void* dst, usize len);
  static bool copy_to_guest(const GuestPhysMap& map, u64 gpa, const void* src, usize len);
};

} // namespace hv

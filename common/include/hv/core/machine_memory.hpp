// SPDX-License-Identifier: Apache-2.0
// The core's only way to touch machine memory: through the port's direct map (contract/paging.hpp,
// Paging::direct_map). The rest of the core names the port only through these two functions.
// map_frame is inline, the one use of <port.hpp> in the core's headers: the p2m walk and every copy
// to or from a guest call it, and a port whose direct map is cheap (the identity) defines
// Paging::direct_map inline so that it costs nothing there; zero_frames is in
// common/core/machine_memory.cpp.
#pragma once

#include <hv/types.hpp>

#include <port.hpp>

namespace hv {

/// The hypervisor's pointer to the frame at `pa` (any address inside RAM). Valid for the whole run.
inline void* map_frame(PhysAddr pa) { return port::Paging::direct_map(pa); }

/// Zeroes `count` frames starting at `pa`. Frames given to a guest are always zeroed first, so that no
/// domain sees what another left behind.
void zero_frames(PhysAddr pa, u64 count);

} // namespace hv

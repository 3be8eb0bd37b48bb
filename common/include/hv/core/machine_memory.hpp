// The core's only way to touch machine memory: through the port's direct map (contract/paging.hpp,
// Paging::direct_map). Kept behind these two functions so that the rest of the core never includes the
// port's header; common/core/machine_memory.cpp is the one port-facing file.
#pragma once

#include <hv/types.hpp>

namespace hv {

/// The hypervisor's pointer to the frame at `pa` (any address inside RAM). Valid for the whole run.
void* map_frame(PhysAddr pa);

/// Zeroes `count` frames starting at `pa`. Frames given to a guest are always zeroed first, so that no
/// domain sees what another left behind.
void zero_frames(PhysAddr pa, u64 count);

} // namespace hv

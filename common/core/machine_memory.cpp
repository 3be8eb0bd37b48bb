// Port-facing: the core's access to machine memory goes through the contract's direct map.
#include <hv/core/frame_allocator.hpp>
#include <hv/core/machine_memory.hpp>
#include <hv/string.hpp>

#include <port.hpp>

namespace hv {

void* map_frame(PhysAddr pa) { return port::Paging::direct_map(pa); }

void zero_frames(PhysAddr pa, u64 count) {
  for (u64 i = 0; i < count; ++i) memset(map_frame(pa + i * FrameAllocator::frame_size), 0, FrameAllocator::frame_size);
}

} // namespace hv

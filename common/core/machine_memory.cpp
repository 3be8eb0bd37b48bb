// SPDX-License-Identifier: Apache-2.0
// Port-facing: the core's access to machine memory goes through the contract's direct map.
#include <hv/core/frame_allocator.hpp>
#include <hv/core/machine_memory.hpp>

#include <port.hpp>

namespace hv {

void zero_frames(PhysAddr pa, u64 count) {
  static_assert(FrameAllocator::frame_size == port::Paging::page_size);
  for (u64 i = 0; i < count; ++i) port::Paging::zero_page(pa + i * FrameAllocator::frame_size);
}

} // namespace hv

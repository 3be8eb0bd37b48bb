// SPDX-License-Identifier: Apache-2.0
// The transfer window mapped into the control domain's p2m. See hv/core/transfer_window.hpp.
#include <hv/core/transfer_window.hpp>

namespace hv::transfer_window {

Err give(Domain& d, MemoryRange window, u64& bytes) {
  constexpr u64 page = FrameAllocator::frame_size;
  constexpr u64 leaf_span = 512; // pages one leaf table maps
  bytes = 0;
  if (window.size == 0 || window.base % page != 0 || window.size % page != 0) return Err::ok;
  const u64 size = window.size < most_bytes ? window.size : most_bytes;
  const u64 pages = size / page;
  // Its leaf tables in the p2m and in the backend's second stage, and an upper level of each.
  d.overhead.limit += 2 * (pages / leaf_span + 2);
  for (u64 i = 0; i < pages; ++i) {
    const Err e = d.p2m.set(guest_address / page + i, window.base + i * page, GuestPhysMap::Kind::device);
    if (e != Err::ok) return e;
  }
  bytes = size;
  return Err::ok;
}

} // namespace hv::transfer_window

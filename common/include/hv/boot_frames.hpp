// SPDX-License-Identifier: Apache-2.0
// The boot-time frame source: hands out zeroed pages from the board's RAM, never from what the board
// reserves, the hypervisor image or the device tree. Pages are never freed; the buddy allocator takes
// over the remaining memory once it exists.
#pragma once

#include <contract/types.hpp>
#include <hv/board.hpp>

namespace hv {

class BootFrames final : public FrameSource {
public:
  static constexpr usize max_ranges = 64;
  static constexpr u64 page = 4096;

  /// Usable memory is the board's RAM less its reservations and less `extra` (image, device tree...).
  BootFrames(const Board& board, const MemoryRange* extra, usize extra_count);

  PhysAddr alloc_zeroed_page() override;
  PhysAddr alloc_zeroed_block(u32 order) override;
  /// Boot pages are handed out from the front of each range and never come back: a page given back
  /// stays unused (the buddy allocator later takes over only what was never handed out).
  void free_page(PhysAddr) override {}
  void free_block(PhysAddr, u32) override {}
  const MemoryRange* ram(usize& count) const override {
    count = ram_count_;
    return ram_;
  }
  /// What is still free, page-aligned, in ascending order.
  const MemoryRange* free_ranges(usize& count) const {
    count = free_count_;
    return free_;
  }
  u64 pages_handed_out() const { return handed_out_; }

private:
  void remove(MemoryRange hole);

  MemoryRange ram_[Board::max_ranges];
  usize ram_count_ = 0;
  MemoryRange free_[max_ranges];
  usize free_count_ = 0;
  u64 handed_out_ = 0;
};

} // namespace hv

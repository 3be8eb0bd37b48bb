// SPDX-License-Identifier: Apache-2.0
#include <hv/boot_frames.hpp>
#include <hv/string.hpp>

#include <port.hpp>

namespace hv {

BootFrames::BootFrames(const Board& board, const MemoryRange* extra, usize extra_count) {
  for (usize i = 0; i < board.memory_count; ++i) {
    ram_[ram_count_++] = board.memory[i];
    const u64 base = align_up(board.memory[i].base, page);
    const u64 end = align_down(board.memory[i].end(), page);
    if (end > base && free_count_ < max_ranges) free_[free_count_++] = MemoryRange{base, end - base};
  }
  // Page 0 stays unused: 0 is how alloc_zeroed_page says "none left".
  remove(MemoryRange{0, page});
  for (usize i = 0; i < board.reserved_count; ++i) remove(board.reserved[i]);
  for (usize i = 0; i < extra_count; ++i) remove(extra[i]);
}

void BootFrames::remove(MemoryRange hole) {
  const u64 hole_base = align_down(hole.base, page);
  const u64 hole_end = align_up(hole.end(), page);
  MemoryRange kept[max_ranges];
  usize n = 0;
  for (usize i = 0; i < free_count_; ++i) {
    const MemoryRange r = free_[i];
    if (hole_end <= r.base || hole_base >= r.end()) {
      kept[n++] = r;
      continue;
    }
    if (hole_base > r.base && n < max_ranges) kept[n++] = MemoryRange{r.base, hole_base - r.base};
    if (hole_end < r.end() && n < max_ranges) kept[n++] = MemoryRange{hole_end, r.end() - hole_end};
  }
  for (usize i = 0; i < n; ++i) free_[i] = kept[i];
  free_count_ = n;
}

PhysAddr BootFrames::alloc_zeroed_page() {
  for (usize i = 0; i < free_count_; ++i) {
    if (free_[i].size < page) continue;
    const PhysAddr pa = free_[i].base;
    free_[i].base += page;
    free_[i].size -= page;
    memset(port::Paging::direct_map(pa), 0, page);
    ++handed_out_;
    return pa;
  }
  return 0;
}

PhysAddr BootFrames::alloc_zeroed_block(u32 order) {
  const u64 bytes = page << order;
  for (usize i = 0; i < free_count_; ++i) {
    const PhysAddr pa = align_up(free_[i].base, bytes);
    if (pa < free_[i].base || pa + bytes > free_[i].end()) continue;
    remove(MemoryRange{pa, bytes}); // what lay before the alignment stays free
    memset(port::Paging::direct_map(pa), 0, bytes);
    handed_out_ += u64{1} << order;
    return pa;
  }
  return 0;
}

} // namespace hv

// SPDX-License-Identifier: Apache-2.0
// See hv/domains/machine_frames.hpp.
#include <hv/core/machine_memory.hpp>
#include <hv/domains/machine_frames.hpp>
#include <hv/panic.hpp>

namespace hv {

PhysAddr AccountFrames::alloc_zeroed_page() {
  auto frame = allocator_->alloc(0, *account_);
  if (!frame.ok()) return 0;
  zero_frames(frame.value(), 1);
  return frame.value();
}

PhysAddr AccountFrames::alloc_zeroed_block(u32 order) {
  auto block = allocator_->alloc(order, *account_);
  if (!block.ok()) return 0;
  zero_frames(block.value(), u64{1} << order);
  return block.value();
}

void AccountFrames::free_page(PhysAddr page) {
  check(allocator_->free(page, *account_) == Err::ok, "a page given back belongs to the account it came from");
}

void AccountFrames::free_block(PhysAddr block, u32) {
  // The allocator knows each block's order from its own table.
  check(allocator_->free(block, *account_) == Err::ok, "a block given back belongs to the account it came from");
}

bool take_over_boot_frames(BootFrames& boot, FrameAllocator& allocator) {
  usize count = 0;
  const MemoryRange* free = boot.free_ranges(count);
  if (count == 0) return false;
  const PhysAddr lowest = free[0].base;
  const PhysAddr highest = free[count - 1].end();
  const u64 metadata = align_up(FrameAllocator::metadata_bytes(lowest, highest), BootFrames::page);
  usize largest = 0;
  for (usize i = 1; i < count; ++i)
    if (free[i].size > free[largest].size) largest = i;
  if (free[largest].size <= metadata) return false;
  // The metadata is reached through the direct map, which is linear over RAM.
  const PhysAddr table = free[largest].end() - metadata;
  zero_frames(table, metadata / BootFrames::page); // init() takes a zeroed table
  allocator.init(lowest, highest, static_cast<FrameInfo*>(map_frame(table)));
  for (usize i = 0; i < count; ++i) {
    MemoryRange r = free[i];
    if (i == largest) r.size -= metadata;
    allocator.add_free(r);
  }
  return true;
}

} // namespace hv

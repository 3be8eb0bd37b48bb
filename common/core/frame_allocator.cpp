// SPDX-License-Identifier: Apache-2.0
// The buddy frame allocator. See hv/core/frame_allocator.hpp for the contract.
//
// Free blocks of each order form a doubly linked list threaded through FrameInfo by frame index (u32
// indices rather than pointers: half the size on 64-bit ports, and the same on every port). The buddy of
// the block at index i of order k is at i ^ 2^k, which is why the span's base is aligned to the largest
// block.
#include <hv/core/frame_allocator.hpp>
#include <hv/panic.hpp>

namespace hv {
namespace {
constexpr u64 span_alignment = FrameAllocator::frame_size << FrameAllocator::max_order;
}

u64 FrameAllocator::metadata_bytes(PhysAddr lowest, PhysAddr highest) {
  const u64 base = align_down(lowest, span_alignment);
  const u64 end = align_up(highest, span_alignment);
  return (end - base) / frame_size * sizeof(FrameInfo);
}

void FrameAllocator::init(PhysAddr lowest, PhysAddr highest, FrameInfo* table) {
  check(highest > lowest, "frame allocator span is not empty");
  base_ = align_down(lowest, span_alignment);
  const u64 frames = (align_up(highest, span_alignment) - base_) / frame_size;
  check(frames < none, "frame allocator span below 2^32 frames");
  count_ = static_cast<u32>(frames);
  info_ = table;
  // Zero bytes are an unavailable frame: only a head's links, owner and order are ever read, and only
  // after its state says it is one. The ends are checked as a cheap guard against a table not zeroed.
  static_assert(unavailable == 0);
  check(table[0].state == unavailable && table[count_ - 1].state == unavailable, "frame table zeroed");
  for (u32& head : free_list_) head = none;
  free_frames_ = 0;
  total_frames_ = 0;
}

void FrameAllocator::push(u32 index, u32 order) {
  FrameInfo& f = info_[index];
  f.state = free_head;
  f.order = static_cast<u8>(order);
  f.owner = abi::domid_invalid;
  f.prev = none;
  f.next = free_list_[order];
  if (f.next != none) info_[f.next].prev = index;
  free_list_[order] = index;
}

void FrameAllocator::unlink(u32 index) {
  FrameInfo& f = info_[index];
  if (f.prev != none)
    info_[f.prev].next = f.next;
  else
    free_list_[f.order] = f.next;
  if (f.next != none) info_[f.next].prev = f.prev;
  f.next = f.prev = none;
}

void FrameAllocator::release(u32 index, u32 order) {
  free_frames_ += u64{1} << order;
  while (order < max_order) {
    const u32 buddy = index ^ (u32{1} << order);
    if (buddy >= count_ || info_[buddy].state != free_head || info_[buddy].order != order) break;
    unlink(buddy);
    // The higher of the two stops being a head: it is now inside the merged block.
    const u32 low = index < buddy ? index : buddy;
    info_[index ^ buddy ^ low].state = inside;
    index = low;
    ++order;
  }
  push(index, order);
}

void FrameAllocator::add_free(MemoryRange range) {
  const u64 start = align_up(range.base, frame_size);
  const u64 end = align_down(range.end(), frame_size);
  if (end <= start) return;
  LockGuard hold(lock_);
  check(start >= base_ && end <= address_of(count_), "free range inside the allocator's span");
  u32 i = index_of(start);
  const u32 stop = index_of(end);
  while (i < stop) {
    // The largest block that starts at i, is aligned to its size and ends by `stop`.
    u32 order = 0;
    while (order < max_order && (i & ((u32{2} << order) - 1)) == 0 && i + (u32{2} << order) <= stop) ++order;
    const u32 n = u32{1} << order;
    // Per block, not per frame (at boot this covers every frame of RAM): a block already handed over
    // that holds either end of this one has a head covering it. Frames inside a block are never read.
    check(head_of(i) == none && head_of(i + n - 1) == none, "frame added to the allocator once");
    total_frames_ += n;
    release(i, order);
    i += n;
  }
}

Result<PhysAddr> FrameAllocator::alloc(u32 order, FrameAccount& account) {
  if (order > max_order) return Err::inval;
  LockGuard hold(lock_);
  const u64 n = u64{1} << order;
  if (account.frames + n > account.limit) return Err::nomem;
  u32 k = order;
  while (k <= max_order && free_list_[k] == none) ++k;
  if (k > max_order) return Err::nomem;
  const u32 index = free_list_[k];
  unlink(index);
  // Split: keep the lower half, put the upper half back, until the block has the order asked for.
  while (k > order) {
    --k;
    push(index + (u32{1} << k), k);
  }
  FrameInfo& f = info_[index];
  f.state = used_head;
  f.order = static_cast<u8>(order);
  f.owner = account.owner;
  free_frames_ -= n;
  account.frames += n;
  return address_of(index);
}

u32 FrameAllocator::leave_account(PhysAddr block, FrameAccount& account) {
  if (block < base_ || !is_aligned(block - base_, frame_size) || index_of(block) >= count_) return none;
  const u32 index = index_of(block);
  const FrameInfo& f = info_[index];
  if (f.state != used_head || f.owner != account.owner) return none;
  const u64 n = u64{1} << f.order;
  check(account.frames >= n, "account holds the frames it gives back");
  account.frames -= n;
  return index;
}

Err FrameAllocator::free(PhysAddr block, FrameAccount& account) {
  LockGuard hold(lock_);
  const u32 index = leave_account(block, account);
  if (index == none) return Err::inval;
  release(index, info_[index].order);
  return Err::ok;
}

Err FrameAllocator::retire(PhysAddr block, FrameAccount& account) {
  LockGuard hold(lock_);
  const u32 index = leave_account(block, account);
  if (index == none) return Err::inval;
  FrameInfo& f = info_[index];
  if (!keep_retired_) {
    release(index, f.order);
    return Err::ok;
  }
  f.state = retired_head;
  f.owner = abi::domid_invalid;
  f.prev = none;
  f.next = retired_.first;
  __atomic_store_n(&retired_.first, index, __ATOMIC_RELAXED);
  retired_frames_ += u64{1} << f.order;
  return Err::ok;
}

FrameAllocator::Retired FrameAllocator::take_retired() {
  LockGuard hold(lock_);
  const Retired taken = retired_;
  __atomic_store_n(&retired_.first, none, __ATOMIC_RELAXED);
  return taken;
}

void FrameAllocator::release_retired(Retired taken) {
  LockGuard hold(lock_);
  u32 index = taken.first;
  while (index != none) {
    FrameInfo& f = info_[index];
    check(f.state == retired_head, "a block released was retired");
    const u32 next = f.next;
    retired_frames_ -= u64{1} << f.order;
    release(index, f.order);
    index = next;
  }
}

Err FrameAllocator::transfer(PhysAddr block, FrameAccount& from, FrameAccount& to) {
  if (block < base_ || !is_aligned(block - base_, frame_size) || index_of(block) >= count_) return Err::inval;
  LockGuard hold(lock_);
  FrameInfo& f = info_[index_of(block)];
  if (f.state != used_head || f.owner != from.owner) return Err::inval;
  const u64 n = u64{1} << f.order;
  if (to.frames + n > to.limit) return Err::nomem;
  check(from.frames >= n, "account holds the frames it gives away");
  from.frames -= n;
  to.frames += n;
  f.owner = to.owner;
  return Err::ok;
}

u32 FrameAllocator::head_of(u32 index) const {
  for (u32 k = 0; k <= max_order; ++k) {
    const u32 candidate = index & ~((u32{1} << k) - 1);
    const FrameInfo& f = info_[candidate];
    if ((f.state == free_head || f.state == used_head || f.state == retired_head) &&
        candidate + (u32{1} << f.order) > index)
      return candidate;
  }
  return none;
}

abi::domid_t FrameAllocator::owner_of(PhysAddr frame) const {
  if (frame < base_ || index_of(frame) >= count_) return abi::domid_invalid;
  const u32 head = head_of(index_of(frame));
  if (head == none || info_[head].state != used_head) return abi::domid_invalid;
  return info_[head].owner;
}

u64 FrameAllocator::count_owned_by(abi::domid_t owner) const {
  u64 total = 0;
  u32 i = 0;
  while (i < count_) {
    const FrameInfo& f = info_[i];
    if (f.state == used_head || f.state == free_head || f.state == retired_head) {
      if (f.state == used_head && f.owner == owner) total += u64{1} << f.order;
      i += u32{1} << f.order;
    } else {
      ++i;
    }
  }
  return total;
}

i32 FrameAllocator::largest_free_order() const {
  for (i32 k = max_order; k >= 0; --k)
    if (free_list_[k] != none) return k;
  return -1;
}

} // namespace hv

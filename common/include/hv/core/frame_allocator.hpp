// SPDX-License-Identifier: Apache-2.0
// The machine frame allocator: a binary buddy allocator over the board's RAM, with every allocated block
// owned by an Account (a domain's guest memory, a domain's hypervisor structures, or the hypervisor).
//
// What it promises:
//  - alloc() returns a block of 2^order frames aligned to its own size in physical memory (so a 2 MiB
//    block can back a 2 MiB second-stage mapping), or an error code: running out of memory, or an
//    account reaching its limit, is Err::nomem, never a panic.
//  - free() takes back exactly the block alloc() gave, and only from the account that holds it
//    (anything else is Err::inval and changes nothing), and merges it with its free buddies.
//  - The allocator never touches the frames themselves: it keeps its bookkeeping in a separate table
//    (FrameInfo, 12 bytes per frame) that the caller provides. Zeroing is the caller's job, so that this
//    class is pure bookkeeping and testable without memory behind it.
//
// Cost: alloc and free are O(max_order). Memory: metadata_bytes() for the span between the lowest and the
// highest frame handed to add_free(), holes included.
//
// SMP: alloc, free, transfer and add_free take the allocator's lock, so any CPU may call them; the
// accounts' counts change under it too. The counting functions read without it (a snapshot, for facts
// and tests).
#pragma once

#include <hv/spinlock.hpp>

#include <contract/types.hpp>
#include <hv/abi/xen.hpp>
#include <hv/core/result.hpp>

namespace hv {

/// Who holds frames, and how many it may hold. A domain has two: its guest memory (limited by its
/// allowance, max_pages) and the hypervisor's structures kept on its behalf (domain object, shared_info,
/// second-stage tables), so that destroying the domain can account for both to the frame.
struct FrameAccount {
  abi::domid_t owner = abi::domid_xen;
  u64 frames = 0;      ///< frames currently held
  u64 limit = ~u64{0}; ///< alloc fails with Err::nomem beyond this
};

/// Per-frame bookkeeping. Only the first frame of a block ("head") carries the block's state.
struct FrameInfo {
  u32 next;
  u32 prev;
  abi::domid_t owner;
  u8 order;
  u8 state;
};
static_assert(sizeof(FrameInfo) == 12);

class FrameAllocator {
public:
  static constexpr u64 frame_size = 4096;
  static constexpr u32 frame_shift = 12;
  /// The largest block: 2^10 frames, 4 MiB. Spans are aligned to it, so block alignment is physical.
  static constexpr u32 max_order = 10;

  /// Bytes of FrameInfo needed to manage every frame of [lowest, highest).
  static u64 metadata_bytes(PhysAddr lowest, PhysAddr highest);

  /// Prepares to manage frames in [lowest, highest), all of them initially unavailable. `table` must hold
  /// metadata_bytes(lowest, highest) bytes, all zero (an all-zero entry is an unavailable frame), and live
  /// as long as the allocator. The caller zeroes it with the fastest means it has (Paging::zero_page: one
  /// instruction per cache block on POWER) rather than init() writing it entry by entry: on a 2 GiB
  /// machine that loop was a million instructions of boot. The span is capped at 2^32 frames (16 TiB).
  void init(PhysAddr lowest, PhysAddr highest, FrameInfo* table);

  /// Hands the page-aligned part of `range` (which must lie inside the span and not be free already) to
  /// the allocator. Called at boot for each free range the BootFrames leave.
  void add_free(MemoryRange range);

  /// A block of 2^order frames held by `account` from now on: its physical address, or Err::nomem when no
  /// block is free or `account` would exceed its limit, Err::inval when order > max_order.
  Result<PhysAddr> alloc(u32 order, FrameAccount& account);

  /// Gives back the block at `block`, which `account` holds. Err::inval (and nothing changes) when
  /// `block` is not the start of an allocated block or `account` does not hold it.
  Err free(PhysAddr block, FrameAccount& account);

  /// Blocks retired and not yet released, in the order they were retired: what take_retired() hands over.
  struct Retired {
    u32 first = ~u32{0};
    bool empty() const { return first == ~u32{0}; }
  };
  /// Gives back the block at `block`, which `account` holds, as free() does for the account (its count
  /// drops now); while keep_retired(true) holds, keeps its frames out of the pool until a take_retired()
  /// after this call is released: another CPU may still reach them through a p2m entry just removed
  /// (hv/read_section.hpp). Else it is free(). Err::inval (and nothing changes) when free() would say so.
  Err retire(PhysAddr block, FrameAccount& account);
  /// Whether retire() keeps blocks back: set by the run time while several CPUs run domains, cleared once
  /// they stopped and what was retired was released.
  void keep_retired(bool keep) { keep_retired_ = keep; }
  /// Whether any block is retired and not yet taken (a relaxed read: any CPU, any time).
  bool has_retired() const { return __atomic_load_n(&retired_.first, __ATOMIC_RELAXED) != none; }
  /// Takes every block retired so far; blocks retired later stay for the next taker. The caller waits
  /// until no CPU can reach the taken blocks any more, then hands them to release_retired().
  Retired take_retired();
  /// Frees every block of `taken` into the pool.
  void release_retired(Retired taken);
  /// Frames retired and not yet released: held by no account, not free.
  u64 retired_frames() const { return retired_frames_; }

  /// Moves the block at `block` from `from` to `to` (e.g. a page given by one domain to another).
  /// Err::inval when `from` does not hold it, Err::nomem when `to` is at its limit.
  Err transfer(PhysAddr block, FrameAccount& from, FrameAccount& to);

  /// Who holds the frame at `frame` (any frame of a block): its owner, or domid_invalid when it is free,
  /// unavailable or outside the span. O(max_order).
  abi::domid_t owner_of(PhysAddr frame) const;

  u64 free_frames() const { return free_frames_; }
  u64 total_frames() const { return total_frames_; } ///< everything ever add_free()d
  /// Frames held by `owner`, counted by walking every block: O(frames). For tests and audits.
  u64 count_owned_by(abi::domid_t owner) const;
  /// The largest order with a free block, or -1 when nothing is free.
  i32 largest_free_order() const;

private:
  static constexpr u32 none = ~u32{0};
  // Only a block's first frame (its head) says anything; the state of the others is not read (head_of
  // finds their head), so handing RAM over touches one entry per block.
  // A retired head's `next` links the retired list (its last retired first); its owner is domid_invalid.
  enum State : u8 { unavailable = 0, free_head = 1, used_head = 2, inside = 3, retired_head = 4 };

  u32 index_of(PhysAddr pa) const { return static_cast<u32>((pa - base_) >> frame_shift); }
  PhysAddr address_of(u32 index) const { return base_ + (static_cast<u64>(index) << frame_shift); }
  void push(u32 index, u32 order);
  void unlink(u32 index);
  void release(u32 index, u32 order); // marks free and merges with buddies
  /// The head of the block at `block` if `account` holds it, its frames taken off the account; else none
  /// and nothing changes. Under lock_.
  u32 leave_account(PhysAddr block, FrameAccount& account);
  /// The head of the block containing `index`, or none.
  u32 head_of(u32 index) const;
  SpinLock lock_;

  PhysAddr base_ = 0;
  u32 count_ = 0;
  FrameInfo* info_ = nullptr;
  u32 free_list_[max_order + 1] = {};
  u64 free_frames_ = 0;
  u64 total_frames_ = 0;
  Retired retired_;
  u64 retired_frames_ = 0;
  bool keep_retired_ = false;
};

} // namespace hv

// SPDX-License-Identifier: Apache-2.0
// The hand-over from boot to run time: the buddy FrameAllocator takes every page the BootFrames did not
// hand out, and a FrameSource over it lets port code (second-stage tables, VMCBs) draw frames charged to
// an account, as the boot frames did before.
#pragma once

#include <hv/boot_frames.hpp>
#include <hv/core/frame_allocator.hpp>

namespace hv {

/// A FrameSource whose pages come from `allocator`, charged to `account`, zeroed; pages given back return
/// to `allocator` and leave `account`.
class AccountFrames final : public FrameSource {
public:
  AccountFrames(FrameAllocator& allocator, FrameAccount& account, const FrameSource& ram)
      : allocator_(&allocator), account_(&account), ram_(&ram) {}
  PhysAddr alloc_zeroed_page() override;
  PhysAddr alloc_zeroed_block(u32 order) override;
  /// Panics when `account` does not hold `page`: the port gave back a page it never took from here.
  void free_page(PhysAddr page) override;
  /// Panics, as free_page does, when `account` does not hold that block.
  void free_block(PhysAddr block, u32 order) override;
  const MemoryRange* ram(usize& count) const override { return ram_->ram(count); }

private:
  FrameAllocator* allocator_;
  FrameAccount* account_;
  const FrameSource* ram_;
};

/// Builds `allocator` over what `boot` has left: its metadata goes at the end of the largest free range
/// and everything else is handed to it. `boot` must not be used afterwards. False when no range can hold
/// the metadata.
bool take_over_boot_frames(BootFrames& boot, FrameAllocator& allocator);

} // namespace hv

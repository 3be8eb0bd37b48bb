// SPDX-License-Identifier: Apache-2.0
// A domain's dirty-page log (the family's log-dirty mode, XEN_DOMCTL_shadow_op): one bit per guest frame
// below a bound, set when the guest writes the frame, read and cleared by the control domain in rounds
// (live migration's pre-copy; docs/migration.md). Here only the bitmap and its rules; the run time makes
// the writes seen (every logged RAM page mapped without write until its first write faults:
// Hypervisor::shadow_op).
#pragma once

#include <hv/core/frame_allocator.hpp>

namespace hv {

struct Domain;

struct DirtyLog {
  PhysAddr bitmap = 0; ///< 0: not logging
  u32 order = 0;       ///< the bitmap's block: 2^order frames of the domain's overhead account
  u64 gfns = 0;        ///< the frames [0, gfns) it covers
  u64 faults = 0;      ///< write faults taken since the last clean
  u64 dirtied = 0;     ///< frames marked since the last clean
  bool on() const { return bitmap != 0; }
};

namespace dirty {

/// Starts logging `d`'s writes to frames [0, gfns), every frame clean. Err::inval when it logs already or
/// `gfns` is 0; Err::nomem when its overhead account cannot hold the bitmap.
Err start(FrameAllocator& frames, Domain& d, u64 gfns);
/// Stops logging and gives the bitmap back (nothing when it was not logging).
void stop(FrameAllocator& frames, Domain& d);
/// Whether the guest may write frame `gfn` without the write being seen: not logging, a frame beyond the
/// log, or one already dirty this round.
bool writable(const Domain& d, u64 gfn);
/// A write fault on frame `gfn` while logging: counts it, and marks the frame dirty. Whether it was clean.
bool note_write(Domain& d, u64 gfn);
/// The log's bitmap as bytes (bit i of byte j is frame 8j + i), (gfns + 7) / 8 of them.
const u8* bitmap(const Domain& d);
/// Clears every bit and the counters for the next round; `each(context, gfn)` is called with every
/// frame that was dirty (for the run time to write-protect it again).
void clean(Domain& d, void (*each)(void* context, u64 gfn), void* context);

} // namespace dirty
} // namespace hv

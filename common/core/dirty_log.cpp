// SPDX-License-Identifier: Apache-2.0
// The dirty-page log's bitmap (hv/core/dirty_log.hpp). Bytes, not words, so that the bitmap the control
// domain reads means the same in either byte order.
#include <hv/core/dirty_log.hpp>
#include <hv/core/domain.hpp>
#include <hv/core/machine_memory.hpp>

namespace hv::dirty {
namespace {

u8* bytes(const Domain& d) { return static_cast<u8*>(map_frame(d.dirty.bitmap)); }
u64 byte_count(const Domain& d) { return (d.dirty.gfns + 7) / 8; }

} // namespace

Err start(FrameAllocator& frames, Domain& d, u64 gfns) {
  if (d.dirty.on() || gfns == 0) return Err::inval;
  const u64 bitmap_frames = (gfns + 8 * FrameAllocator::frame_size - 1) / (8 * FrameAllocator::frame_size);
  u32 order = 0;
  while ((u64{1} << order) < bitmap_frames) ++order;
  auto block = frames.alloc(order, d.overhead);
  if (!block.ok()) return block.error();
  d.dirty = DirtyLog{block.value(), order, gfns, 0, 0};
  __builtin_memset(bytes(d), 0, byte_count(d));
  return Err::ok;
}

void stop(FrameAllocator& frames, Domain& d) {
  if (!d.dirty.on()) return;
  (void)frames.free(d.dirty.bitmap, d.overhead);
  d.dirty = DirtyLog{};
}

bool writable(const Domain& d, u64 gfn) {
  if (!d.dirty.on() || gfn >= d.dirty.gfns) return true;
  return (bytes(d)[gfn / 8] >> (gfn % 8) & 1) != 0;
}

bool note_write(Domain& d, u64 gfn) {
  if (!d.dirty.on() || gfn >= d.dirty.gfns) return false;
  ++d.dirty.faults;
  u8& byte = bytes(d)[gfn / 8];
  const u8 bit = static_cast<u8>(1u << (gfn % 8));
  if ((byte & bit) != 0) return false;
  byte = static_cast<u8>(byte | bit);
  ++d.dirty.dirtied;
  return true;
}

const u8* bitmap(const Domain& d) { return d.dirty.on() ? bytes(d) : nullptr; }

void clean(Domain& d, void (*each)(void* context, u64 gfn), void* context) {
  if (!d.dirty.on()) return;
  u8* b = bytes(d);
  for (u64 i = 0; i < byte_count(d); ++i) {
    u8 bits = b[i];
    if (bits == 0) continue;
    b[i] = 0;
    for (u32 bit = 0; bit < 8; ++bit)
      if ((bits >> bit & 1) != 0) each(context, i * 8 + bit);
  }
  d.dirty.faults = 0;
  d.dirty.dirtied = 0;
}

} // namespace hv::dirty

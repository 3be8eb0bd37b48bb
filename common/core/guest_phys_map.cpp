// SPDX-License-Identifier: Apache-2.0
// The guest-physical to machine map. See hv/core/guest_phys_map.hpp.
//
// Entry format (ours, not a hardware format): machine address in bits 12..63, Kind in bits 0..3; an
// interior entry holds the next table's machine address with Kind ram; 0 means absent.
#include <hv/core/guest_phys_map.hpp>
#include <hv/panic.hpp>

namespace hv {

u64* GuestPhysMap::leaf_for(u64 gfn, bool create, Err& error) {
  error = Err::ok;
  if (root_ == 0) {
    if (!create) return nullptr;
    auto r = frames_->alloc(0, *tables_);
    if (!r.ok()) {
      error = r.error();
      return nullptr;
    }
    zero_frames(r.value(), 1);
    root_ = r.value();
  }
  PhysAddr t = root_;
  for (u32 level = levels - 1; level > 0; --level) {
    u64& e = table(t)[slot(gfn, level)];
    if (e == 0) {
      if (!create) return nullptr;
      auto r = frames_->alloc(0, *tables_);
      if (!r.ok()) {
        error = r.error();
        return nullptr;
      }
      zero_frames(r.value(), 1);
      e = r.value() | static_cast<u64>(Kind::ram);
    }
    t = e & ~u64{0xfff};
  }
  return &table(t)[slot(gfn, 0)];
}

Err GuestPhysMap::set(u64 gfn, PhysAddr frame, Kind kind) {
  if (gfn >= gfn_limit || kind == Kind::none || !is_aligned(frame, FrameAllocator::frame_size)) return Err::inval;
  Err error;
  u64* e = leaf_for(gfn, true, error);
  if (e == nullptr) return error;
  const bool replaced = *e != 0;
  if (!replaced) ++entries_;
  *e = frame | static_cast<u64>(kind);
  if (replaced && observer_.removed != nullptr) observer_.removed(observer_.context, gfn);
  return Err::ok;
}

GuestPhysMap::Entry GuestPhysMap::lookup(u64 gfn) const {
  if (gfn >= gfn_limit || root_ == 0) return {};
  PhysAddr t = root_;
  for (u32 level = levels - 1; level > 0; --level) {
    const u64 e = table(t)[slot(gfn, level)];
    if (e == 0) return {};
    t = e & ~u64{0xfff};
  }
  const u64 e = table(t)[slot(gfn, 0)];
  return e == 0 ? Entry{} : Entry{e & ~u64{0xfff}, static_cast<Kind>(e & 0xf)};
}

GuestPhysMap::Entry GuestPhysMap::clear(u64 gfn) {
  if (gfn >= gfn_limit) return {};
  Err error;
  u64* e = leaf_for(gfn, false, error);
  if (e == nullptr || *e == 0) return {};
  const Entry old{*e & ~u64{0xfff}, static_cast<Kind>(*e & 0xf)};
  *e = 0;
  --entries_;
  if (observer_.removed != nullptr) observer_.removed(observer_.context, gfn);
  return old;
}

void GuestPhysMap::release(PhysAddr t, u32 level) {
  if (level > 0) {
    const u64* entries = table(t);
    for (usize i = 0; i < per_table; ++i)
      if (entries[i] != 0) release(entries[i] & ~u64{0xfff}, level - 1);
  }
  const Err e = frames_->free(t, *tables_);
  check(e == Err::ok, "p2m table frame belongs to the domain's overhead account");
}

void GuestPhysMap::release_tables() {
  if (root_ != 0) release(root_, levels - 1);
  root_ = 0;
  entries_ = 0;
}

} // namespace hv

// SPDX-License-Identifier: Apache-2.0
// A domain's guest-physical to machine map (the "p2m"): for each guest frame number, the machine frame
// behind it and what kind of mapping it is.
//
// This is the architecture-neutral truth; each port's second-stage translation (NPT, partition-scoped
// radix, VHPT) will be built from it through the port contract. A three-level radix tree of 512-entry
// tables, each table one frame taken from the domain's overhead account, created on first use: so the
// map of a domain costs frames in proportion to the memory it maps, and gives them all back in
// release_tables().
#pragma once

#include <hv/core/frame_allocator.hpp>
#include <hv/core/machine_memory.hpp>

namespace hv {

class GuestPhysMap {
public:
  static constexpr u32 bits_per_level = 9;
  static constexpr u32 levels = 3;
  static constexpr u64 gfn_limit = u64{1} << (bits_per_level * levels); ///< 2^27 frames: 512 GiB

  enum class Kind : u8 {
    none = 0,
    ram = 1,              ///< a frame the domain owns (its guest memory account holds it)
    foreign = 2,          ///< another domain's frame, mapped through a grant: never freed by this domain
    foreign_readonly = 3, ///< the same, read-only
    hypervisor = 4, ///< a page the hypervisor keeps for the domain (shared_info): read-write, freed with the domain
    /// Another domain's RAM frame that the control domain mapped to build or inspect it
    /// (XENMAPSPACE_gmfn_foreign): read-write, never freed by this domain; it goes when the other domain
    /// is destroyed (hv/core/foreign_map.hpp).
    foreign_privileged = 5,
    /// A page of a device outside RAM given to the domain (the control domain's transfer window,
    /// hv/core/transfer_window.hpp): read-write, never freed, never saved, not a hypercall argument's.
    device = 6,
  };
  /// Told when a present entry was removed or replaced (called just after, before the old frame can be
  /// reused), so that a second-stage translation built from this map (the port's Space) drops or
  /// replaces its copy of the entry.
  struct Observer {
    void (*removed)(void* context, u64 gfn) = nullptr;
    void* context = nullptr;
  };
  struct Entry {
    PhysAddr frame = 0;
    Kind kind = Kind::none;
    bool present() const { return kind != Kind::none; }
  };

  /// Table frames come from `frames` and are charged to `tables`; both must outlive the map.
  void init(FrameAllocator& frames, FrameAccount& tables) {
    frames_ = &frames;
    tables_ = &tables;
    root_ = 0;
    entries_ = 0;
  }

  /// Maps `gfn` to the machine frame `frame` (page-aligned), replacing any entry there. Err::inval when
  /// gfn >= gfn_limit, kind is none or frame is unaligned; Err::nomem when a table frame cannot be had.
  Err set(u64 gfn, PhysAddr frame, Kind kind);
  /// The entry for `gfn` (not present when unmapped or out of range).
  Entry lookup(u64 gfn) const;
  /// Removes the entry for `gfn` and returns what it was.
  Entry clear(u64 gfn);
  void set_observer(Observer observer) { observer_ = observer; }
  /// Present entries.
  u64 entries() const { return entries_; }

  /// Calls f(gfn, entry) for every present entry in ascending gfn order. `f` must not change the map.
  template <class F> void for_each(F&& f) const {
    if (root_ != 0) walk(root_, levels - 1, 0, f);
  }
  /// Frees every table frame. Entries are forgotten: the caller first deals with the frames they name.
  void release_tables();

private:
  static constexpr usize per_table = usize{1} << bits_per_level;
  static u64* table(PhysAddr pa) { return static_cast<u64*>(map_frame(pa)); }
  static usize slot(u64 gfn, u32 level) {
    return static_cast<usize>((gfn >> (level * bits_per_level)) & (per_table - 1));
  }
  u64* leaf_for(u64 gfn, bool create, Err& error);
  void release(PhysAddr t, u32 level);

  template <class F> void walk(PhysAddr t, u32 level, u64 prefix, F& f) const {
    const u64* entries = table(t);
    for (usize i = 0; i < per_table; ++i) {
      const u64 e = entries[i];
      if (e == 0) continue;
      const u64 gfn = (prefix << bits_per_level) | i;
      if (level == 0)
        f(gfn, Entry{e & ~u64{0xfff}, static_cast<Kind>(e & 0xf)});
      else
        walk(e & ~u64{0xfff}, level - 1, gfn, f);
    }
  }

  FrameAllocator* frames_ = nullptr;
  FrameAccount* tables_ = nullptr;
  PhysAddr root_ = 0;
  u64 entries_ = 0;
  Observer observer_;
};

} // namespace hv

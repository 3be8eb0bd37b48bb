// SPDX-License-Identifier: Apache-2.0
// The ASIDs of one CPU, which tag a guest's TLB entries so that a world switch flushes nothing. The CPU
// has a fixed number (CPUID Fn8000_000A EBX: 16 under QEMU, thousands on hardware), ASID 0 being the
// host's; there may be more vCPUs. Handed out in order; when none is left, a new generation starts:
// every vCPU's ASID is taken back, the whole TLB is flushed once, and each vCPU takes a fresh ASID the
// next time it runs. An ASID handed out since the last flush has never tagged anything, so it needs no
// flush of its own.
#pragma once

#include <contract/types.hpp>

namespace hv::x86 {

template <class Owner> class AsidPool {
public:
  /// Owners tracked at once: more ASIDs than this are left unused (a generation is then this long).
  static constexpr u32 max_tracked = 1024;

  /// Starts with `asids` as CPUID counts them (the host's ASID 0 included); false when fewer than 2.
  bool init(u32 asids) {
    for (Owner*& o : owners_) o = nullptr;
    limit_ = asids - 1 < max_tracked ? asids - 1 : max_tracked;
    next_ = 1;
    generations_ = 1;
    return asids >= 2;
  }

  /// An ASID for `owner`, which holds none. When the generation is used up, first calls `forget(o)` for
  /// every owner that holds one (each then takes a fresh one when it next runs) and sets `flush`: every
  /// ASID's TLB entries must go before the next guest runs. Otherwise leaves `flush` alone.
  template <class Forget> u32 take(Owner& owner, bool& flush, Forget forget) {
    if (next_ > limit_) {
      for (u32 asid = 1; asid <= limit_; ++asid) {
        if (owners_[asid - 1] != nullptr) forget(*owners_[asid - 1]);
        owners_[asid - 1] = nullptr;
      }
      next_ = 1;
      ++generations_;
      flush = true;
    }
    owners_[next_ - 1] = &owner;
    return next_++;
  }

  /// `owner` goes away: its ASID is not forgotten through it later. Not reused before the next
  /// generation (its TLB entries may still be there).
  void release(u32 asid, const Owner& owner) {
    if (asid >= 1 && asid <= limit_ && owners_[asid - 1] == &owner) owners_[asid - 1] = nullptr;
  }

  u32 usable() const { return limit_; }
  u64 generations() const { return generations_; }

private:
  Owner* owners_[max_tracked] = {};
  u32 limit_ = 0;
  u32 next_ = 1;
  u64 generations_ = 0;
};

} // namespace hv::x86

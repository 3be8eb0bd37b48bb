// SPDX-License-Identifier: Apache-2.0
// The processor's external interrupt controller and interval timer (volume 2, section 5.8 "Interrupts"
// and section 3.3.4.2 "Interval Time Counter and Match Register"): 256 vectors in 16 priority classes
// (vector / 16, higher is more urgent), pending in IRR until cr.ivr acknowledges the most urgent
// unmasked one, which is then in service until cr.eoi. cr.tpr masks classes (mic) or everything (mmi),
// and an interrupt in service masks its own class and those below. ar.itc counts; when it reaches cr.itm
// the vector in cr.itv becomes pending unless itv.m masks it.
#pragma once

#include <array>
#include <cstdint>

namespace ia64sim {

class InterruptController {
public:
  static constexpr unsigned spurious = 15;

  /// Makes `vector` pending.
  void raise(unsigned vector) { pending_[vector / 64] |= std::uint64_t{1} << (vector % 64); }
  /// The most urgent pending vector that TPR and the interrupts in service do not mask, or -1.
  int deliverable(std::uint64_t tpr) const;
  /// cr.ivr: acknowledges the vector deliverable() names (it moves from pending to in service), or
  /// returns the spurious vector 15.
  unsigned acknowledge(std::uint64_t tpr);
  /// cr.eoi: the most urgent vector in service is no longer.
  void end_of_interrupt();
  /// cr.irr0-3: 64 pending bits each.
  std::uint64_t irr(unsigned n) const { return pending_[n & 3]; }

  // The interval timer. ar.itc is advanced by the core (one tick an instruction); cr.itm and cr.itv
  // are written through these so that a match is seen once.
  void set_itm(std::uint64_t itm, std::uint64_t itc) {
    itm_ = itm;
    armed_ = static_cast<std::int64_t>(itm - itc) > 0;
  }
  std::uint64_t itm() const { return itm_; }
  void set_itc(std::uint64_t itc) { armed_ = static_cast<std::int64_t>(itm_ - itc) > 0; }
  /// Called as ar.itc advances: raises the timer's vector once it reaches cr.itm.
  void tick(std::uint64_t itc, std::uint64_t itv) {
    if (armed_ && static_cast<std::int64_t>(itc - itm_) >= 0) {
      armed_ = false;
      if ((itv & (std::uint64_t{1} << 16)) == 0) raise(static_cast<unsigned>(itv & 0xff));
    }
  }
  bool any_pending() const { return (pending_[0] | pending_[1] | pending_[2] | pending_[3]) != 0; }

private:
  std::array<std::uint64_t, 4> pending_{};
  std::array<std::uint64_t, 4> in_service_{};
  std::uint64_t itm_ = 0;
  bool armed_ = false;
};

} // namespace ia64sim

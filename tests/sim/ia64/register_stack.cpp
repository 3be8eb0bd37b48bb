// SPDX-License-Identifier: Apache-2.0
// The register stack engine's memory side (volume 2, chapter 6 "Register Stack Engine"). The stacked
// registers live in an unbounded physical file (core.hpp), so the RSE never needs to spill or fill to
// make room: what it keeps is the backing store's addresses. ar.bspstore names where the registers of
// the physical register `rse_bof_` and above would be stored; ar.bsp is the current frame's address,
// one doubleword a register plus the NaT collection doubleword at every address whose bits 8:3 are all
// ones. flushrs writes the registers below the current frame to their addresses (their NaT collections
// as 0: NaT bits are not modelled) and moves ar.bspstore up to ar.bsp; cover and rfi move frames. A
// return (br.ret, rfi) into a frame below ar.bspstore is the mandatory fill of section 6.5: its registers
// are loaded from their addresses, so that what software wrote to the backing store is what it gets;
// loadrs loads the ar.rsc.loadrs bytes below ar.bsp likewise and makes ar.bspstore their start (section
// 6.11: what a context switch does to reach another backing store).
#include "core.hpp"
#include "system_registers.hpp"

namespace ia64sim {
namespace {

using u64 = std::uint64_t;

bool is_nat_collection(u64 address) { return ((address >> 3) & 0x3f) == 0x3f; }

} // namespace

u64 Core::bsp() const {
  if (bof_ < rse_bof_) { // a frame below ar.bspstore's: step back over registers and NaT collections
    u64 address = rse_address_;
    for (unsigned n = bof_; n < rse_bof_; ++n) {
      address -= 8;
      if (is_nat_collection(address)) address -= 8;
    }
    return address;
  }
  const u64 count = bof_ - rse_bof_;
  const u64 slot_in_group = (rse_address_ >> 3) & 0x3f;
  return rse_address_ + 8 * (count + (slot_in_group + count) / 63);
}

void Core::set_bspstore(u64 address) {
  rse_address_ = address;
  rse_bof_ = bof_;
}

bool Core::flush_register_stack(Effect& effect) {
  u64 address = rse_address_;
  for (unsigned n = rse_bof_; n < bof_; ++n) {
    if (is_nat_collection(address)) {
      if (!write(address, 8, 0, effect)) return false;
      address += 8;
    }
    if (!write(address, 8, stacked_[n], effect)) return false;
    address += 8;
  }
  set_bspstore(address);
  return true;
}

bool Core::fill_frame(Effect& effect) {
  if (bus == nullptr || bof_ >= rse_bof_) return true;
  u64 address = rse_address_;
  for (unsigned n = rse_bof_; n-- > bof_;) {
    address -= 8;
    if (is_nat_collection(address)) address -= 8;
    u64 value = 0;
    if (!read(address, 8, value, effect)) {
      // A fault during a mandatory fill is not modelled (no ISR.rs, no incomplete frame): say so.
      effect = Effect{};
      effect.stop = true;
      effect.outcome = Outcome{Stop::machine, address, "a mandatory RSE fill faulted (not modelled)"};
      return false;
    }
    stacked_[n] = value;
  }
  rse_address_ = address;
  rse_bof_ = bof_;
  return true;
}

bool Core::load_register_stack(Effect& effect) {
  const u64 bytes = (ar[ar_number::rsc] >> 16) & 0x3fff;
  const u64 top = bsp();
  // The registers whose addresses lie in [ar.bsp - bytes, ar.bsp), from the top down.
  unsigned count = 0;
  for (u64 address = top; address > top - bytes;) {
    address -= 8;
    if (!is_nat_collection(address)) ++count;
  }
  if (count > bof_) { // room below the frame in the physical file
    const unsigned more = count - bof_;
    stacked_.insert(stacked_.begin(), more, 0);
    bof_ += more;
  }
  u64 address = top;
  for (unsigned n = bof_; n-- > bof_ - count;) {
    address -= 8;
    if (is_nat_collection(address)) address -= 8;
    u64 value = 0;
    if (bus != nullptr && !read(address, 8, value, effect)) return false;
    stacked_[n] = value;
  }
  rse_address_ = top - bytes;
  rse_bof_ = bof_ - count;
  ar[ar_number::bspstore] = rse_address_;
  return true;
}

void Core::cover() {
  if ((psr & psr_bit::ic) == 0)
    cr[cr_number::ifs] = (u64{1} << 63) | cfm.sof | (u64{cfm.sol} << 7) | (u64{cfm.sor / 8} << 14);
  bof_ += cfm.sof;
  cfm = FrameMarker{};
  if (stacked_.size() < bof_ + 96) stacked_.resize(bof_ + 96);
}

void Core::restore_frame(u64 ifs) {
  if ((ifs >> 63) == 0) return;
  const FrameMarker frame{static_cast<unsigned>(ifs & 0x7f), static_cast<unsigned>((ifs >> 7) & 0x7f),
                          static_cast<unsigned>(((ifs >> 14) & 0xf) * 8)};
  bof_ = bof_ >= frame.sof ? bof_ - frame.sof : 0;
  cfm = frame;
}

} // namespace ia64sim

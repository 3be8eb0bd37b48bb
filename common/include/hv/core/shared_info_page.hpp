// SPDX-License-Identifier: Apache-2.0
// Atomic access to the event channel bits of a domain's shared_info page, in the layout of the guest's
// word size (abi/shared_info.hpp). The guest changes the same words concurrently from its own vCPUs, so
// every read-modify-write is an atomic operation on the guest's word, as the 2-level ABI requires.
#pragma once

#include <hv/abi/shared_info.hpp>

namespace hv {

class SharedInfoPage {
public:
  SharedInfoPage() = default;
  SharedInfoPage(void* page, abi::GuestWidth width) : page_(page), width_(width) {
    for (usize v = 0; v < abi::legacy_max_vcpus; ++v) info_[v] = static_cast<u8*>(page) + v * sizeof(Wide);
  }

  bool valid() const { return page_ != nullptr; }
  abi::GuestWidth width() const { return width_; }
  u32 bits_per_word() const { return abi::bits_per_word(width_); }

  /// Port bits. `set` and `clear` return the bit's previous value.
  bool test_pending(u32 port) const;
  bool set_pending(u32 port);
  bool clear_pending(u32 port);
  bool test_mask(u32 port) const;
  bool set_mask(u32 port);
  bool clear_mask(u32 port);

  /// evtchn_pending_sel of `vcpu`: sets bit `word`, returns its previous value.
  bool set_pending_sel(u32 vcpu, u32 word);
  u64 pending_sel(u32 vcpu) const;
  /// evtchn_upcall_pending of `vcpu`: sets it, returns its previous value.
  bool set_upcall_pending(u32 vcpu);
  /// The 2-level delivery rule in one call: sets `port`'s pending bit; unless it was pending already or
  /// the port is masked, sets `vcpu`'s selector bit for the port's word; unless that was set already,
  /// sets `vcpu`'s upcall_pending. Returns true when upcall_pending went from 0 to 1: the vCPU must be
  /// kicked. Equal to those steps through the calls above, each as atomic.
  bool deliver(u32 port, u32 vcpu);
  /// Where `vcpu`'s vcpu_info is: its slot of the page, or where the guest moved it
  /// (VCPUOP_register_vcpu_info).
  /// One load: every entry of the table is always set (read before every guest entry).
  void* vcpu_info(u32 vcpu) const { return info_[vcpu]; }
  /// The vcpu_info of `vcpu` is at `to` from now on (64 bytes, within one frame of the domain's RAM that
  /// stays its own: DomainTable refuses to take it back).
  void move_vcpu_info(u32 vcpu, void* to) { info_[vcpu] = to; }

  /// Read before every guest entry: inline, a byte load.
  bool upcall_pending(u32 vcpu) const {
    return __atomic_load_n(vcpu_byte(vcpu, upcall_pending_offset), __ATOMIC_SEQ_CST) != 0;
  }
  bool upcall_mask(u32 vcpu) const {
    return __atomic_load_n(vcpu_byte(vcpu, upcall_mask_offset), __ATOMIC_SEQ_CST) != 0;
  }
  /// Clears evtchn_upcall_mask of `vcpu`: event delivery re-enabled, as SCHEDOP_block does.
  void clear_upcall_mask(u32 vcpu) { __atomic_store_n(vcpu_byte(vcpu, upcall_mask_offset), u8{0}, __ATOMIC_SEQ_CST); }

  /// Raw access for tests and for the guest side of simulations.
  void* raw() const { return page_; }

private:
  using Wide = abi::VcpuInfo<abi::GuestWidth::bits64>;
  using Narrow = abi::VcpuInfo<abi::GuestWidth::bits32>;
  // evtchn_upcall_pending and evtchn_upcall_mask sit at the same offsets of equally sized vcpu_info records
  // in both layouts, which vcpu_info[] starts the page with.
  static constexpr usize upcall_pending_offset = __builtin_offsetof(Wide, evtchn_upcall_pending);
  static constexpr usize upcall_mask_offset = __builtin_offsetof(Wide, evtchn_upcall_mask);
  static_assert(sizeof(Wide) == sizeof(Narrow));
  static_assert(upcall_pending_offset == __builtin_offsetof(Narrow, evtchn_upcall_pending));
  static_assert(upcall_mask_offset == __builtin_offsetof(Narrow, evtchn_upcall_mask));
  u8* vcpu_byte(u32 vcpu, usize offset) const { return static_cast<u8*>(vcpu_info(vcpu)) + offset; }
  /// `vcpu`'s vcpu_info in the layout of the page `s` is in (SharedInfo<bits32> or <bits64>).
  template <class S> auto& record(S& s, u32 vcpu) const {
    return *static_cast<decltype(&s.vcpu_info[0])>(vcpu_info(vcpu));
  }

  /// Calls f(page) with the page in the layout of the guest's width: SharedInfo<bits32> or <bits64>.
  template <class F> auto in_layout(F f) const;

  void* page_ = nullptr;
  abi::GuestWidth width_ = abi::GuestWidth::bits64;
  void* info_[abi::legacy_max_vcpus] = {}; ///< where each vcpu_info is: its slot of the page, or moved
};

} // namespace hv

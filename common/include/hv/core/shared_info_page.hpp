// Atomic access to the event channel bits of a domain's shared_info page, in the layout of the guest's
// word size (abi/shared_info.hpp). The guest changes the same words concurrently from its own vCPUs, so
// every read-modify-write is an atomic operation on the guest's word, as the 2-level ABI requires.
#pragma once

#include <hv/abi/shared_info.hpp>

namespace hv {

class SharedInfoPage {
public:
  SharedInfoPage() = default;
  SharedInfoPage(void* page, abi::GuestWidth width) : page_(page), width_(width) {}

  bool valid() const { return page_ != nullptr; }
  abi::GuestWidth width() const { return width_; }
  u32 bits_per_word() const { return width_ == abi::GuestWidth::bits64 ? 64 : 32; }

  /// Port bits. `set` and `clear` return the bit's previous value.
  bool test_pending(u32 port) const { return test(pending_word(port), port); }
  bool set_pending(u32 port) { return set(pending_word(port), port); }
  bool clear_pending(u32 port) { return clear(pending_word(port), port); }
  bool test_mask(u32 port) const { return test(mask_word(port), port); }
  bool set_mask(u32 port) { return set(mask_word(port), port); }
  bool clear_mask(u32 port) { return clear(mask_word(port), port); }

  /// evtchn_pending_sel of `vcpu`: sets bit `word`, returns its previous value.
  bool set_pending_sel(u32 vcpu, u32 word);
  u64 pending_sel(u32 vcpu) const;
  /// evtchn_upcall_pending of `vcpu`: sets it, returns its previous value.
  bool set_upcall_pending(u32 vcpu);
  bool upcall_pending(u32 vcpu) const;
  bool upcall_mask(u32 vcpu) const;

  /// Raw access for tests and for the guest side of simulations.
  void* raw() const { return page_; }

private:
  struct Word { void* at; bool wide; };
  Word pending_word(u32 port) const;
  Word mask_word(u32 port) const;
  bool test(Word w, u32 port) const;
  bool set(Word w, u32 port);
  bool clear(Word w, u32 port);

  void* page_ = nullptr;
  abi::GuestWidth width_ = abi::GuestWidth::bits64;
};

} // namespace hv

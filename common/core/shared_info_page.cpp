// SPDX-License-Identifier: Apache-2.0
// Atomic bit operations on shared_info words. See hv/core/shared_info_page.hpp.
#include <hv/core/shared_info_page.hpp>

namespace hv {
namespace {

// shared_info's 64-bit words are 8-byte aligned (the page is, and so are their offsets), but a 32-bit
// ABI only promises 4 for u64: telling the compiler keeps 64-bit atomics inline (cmpxchg8b) instead of
// calls into a libatomic that bare metal does not have.
struct alignas(8) u64_aligned {
  u64 value;
};
static_assert(sizeof(u64_aligned) == sizeof(u64));

// Not templates: a template would deduce plain u64 and lose the alignment.
u64_aligned* atomic_word(u64* w) { return reinterpret_cast<u64_aligned*>(w); }
u32* atomic_word(u32* w) { return w; }
bool atomic_set(u64_aligned* w, u64 bit) { return (__atomic_fetch_or(&w->value, bit, __ATOMIC_SEQ_CST) & bit) != 0; }
bool atomic_clear(u64_aligned* w, u64 bit) {
  return (__atomic_fetch_and(&w->value, ~bit, __ATOMIC_SEQ_CST) & bit) != 0;
}
bool atomic_test(const u64_aligned* w, u64 bit) { return (__atomic_load_n(&w->value, __ATOMIC_SEQ_CST) & bit) != 0; }
u64 atomic_read(const u64_aligned* w) { return __atomic_load_n(&w->value, __ATOMIC_SEQ_CST); }
bool atomic_set(u32* w, u32 bit) { return (__atomic_fetch_or(w, bit, __ATOMIC_SEQ_CST) & bit) != 0; }
bool atomic_clear(u32* w, u32 bit) { return (__atomic_fetch_and(w, ~bit, __ATOMIC_SEQ_CST) & bit) != 0; }
bool atomic_test(const u32* w, u32 bit) { return (__atomic_load_n(w, __ATOMIC_SEQ_CST) & bit) != 0; }
u64 atomic_read(const u32* w) { return __atomic_load_n(w, __ATOMIC_SEQ_CST); }

/// One bit of a guest word of either layout: the word, ready for the atomics above, and the bit's mask.
template <class Word> struct Bit {
  decltype(atomic_word(static_cast<Word*>(nullptr))) word;
  Word mask;
  bool test() const { return atomic_test(word, mask); }
  bool set() const { return atomic_set(word, mask); }
  bool clear() const { return atomic_clear(word, mask); }
};
/// Port `port`'s bit in a bitmap of guest words (evtchn_pending, evtchn_mask).
template <class Word> Bit<Word> port_bit(Word* bitmap, u32 port) {
  constexpr u32 bits = 8 * sizeof(Word);
  return {atomic_word(&bitmap[port / bits]), static_cast<Word>(Word{1} << (port % bits))};
}
/// Bit `n` (below the word's width) of the guest word `word` (evtchn_pending_sel).
template <class Word> Bit<Word> bit_of(Word& word, u32 n) {
  return {atomic_word(&word), static_cast<Word>(Word{1} << n)};
}

} // namespace

template <class F> auto SharedInfoPage::in_layout(F f) const {
  if (width_ == abi::GuestWidth::bits64) return f(*static_cast<abi::SharedInfo<abi::GuestWidth::bits64>*>(page_));
  return f(*static_cast<abi::SharedInfo<abi::GuestWidth::bits32>*>(page_));
}

// The port-bit operations, here beside their helpers so that each is one call from the event channels.
bool SharedInfoPage::test_pending(u32 port) const {
  return in_layout([port](auto& s) { return port_bit(s.evtchn_pending, port).test(); });
}
bool SharedInfoPage::set_pending(u32 port) {
  return in_layout([port](auto& s) { return port_bit(s.evtchn_pending, port).set(); });
}
bool SharedInfoPage::clear_pending(u32 port) {
  return in_layout([port](auto& s) { return port_bit(s.evtchn_pending, port).clear(); });
}
bool SharedInfoPage::test_mask(u32 port) const {
  return in_layout([port](auto& s) { return port_bit(s.evtchn_mask, port).test(); });
}
bool SharedInfoPage::set_mask(u32 port) {
  return in_layout([port](auto& s) { return port_bit(s.evtchn_mask, port).set(); });
}
bool SharedInfoPage::clear_mask(u32 port) {
  return in_layout([port](auto& s) { return port_bit(s.evtchn_mask, port).clear(); });
}

bool SharedInfoPage::set_pending_sel(u32 vcpu, u32 word) {
  return in_layout([=, this](auto& s) { return bit_of(record(s, vcpu).evtchn_pending_sel, word).set(); });
}
u64 SharedInfoPage::pending_sel(u32 vcpu) const {
  return in_layout([vcpu, this](auto& s) { return atomic_read(atomic_word(&record(s, vcpu).evtchn_pending_sel)); });
}

bool SharedInfoPage::set_upcall_pending(u32 vcpu) {
  return __atomic_exchange_n(vcpu_byte(vcpu, upcall_pending_offset), u8{1}, __ATOMIC_SEQ_CST) != 0;
}

// One event's whole delivery in one call, on the words of the guest's width: the hot path of every send.
bool SharedInfoPage::deliver(u32 port, u32 vcpu) {
  const bool stopped = in_layout([=, this](auto& s) {
    constexpr u32 bits = 8 * sizeof(s.evtchn_pending[0]);
    return port_bit(s.evtchn_pending, port).set() || port_bit(s.evtchn_mask, port).test() ||
           bit_of(record(s, vcpu).evtchn_pending_sel, port / bits).set();
  });
  return !stopped && !set_upcall_pending(vcpu);
}

} // namespace hv

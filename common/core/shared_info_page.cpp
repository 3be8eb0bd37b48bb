// Atomic bit operations on shared_info words. See hv/core/shared_info_page.hpp.
#include <hv/core/shared_info_page.hpp>

namespace hv {
namespace {
abi::SharedInfo64* wide(void* p) { return static_cast<abi::SharedInfo64*>(p); }
abi::SharedInfo32* narrow(void* p) { return static_cast<abi::SharedInfo32*>(p); }

// shared_info's 64-bit words are 8-byte aligned (the page is, and so are their offsets), but a 32-bit
// ABI only promises 4 for u64: telling the compiler keeps 64-bit atomics inline (cmpxchg8b) instead of
// calls into a libatomic that bare metal does not have.
struct alignas(8) u64_aligned {
  u64 value;
};
static_assert(sizeof(u64_aligned) == sizeof(u64));
u64_aligned* aligned(u64* w) { return reinterpret_cast<u64_aligned*>(w); }

// Not templates: a template would deduce plain u64 and lose the alignment.
bool atomic_set(u64_aligned* w, u64 bit) { return (__atomic_fetch_or(&w->value, bit, __ATOMIC_SEQ_CST) & bit) != 0; }
bool atomic_clear(u64_aligned* w, u64 bit) {
  return (__atomic_fetch_and(&w->value, ~bit, __ATOMIC_SEQ_CST) & bit) != 0;
}
bool atomic_test(const u64_aligned* w, u64 bit) { return (__atomic_load_n(&w->value, __ATOMIC_SEQ_CST) & bit) != 0; }
u64 atomic_read(const u64_aligned* w) { return __atomic_load_n(&w->value, __ATOMIC_SEQ_CST); }
bool atomic_set(u32* w, u32 bit) { return (__atomic_fetch_or(w, bit, __ATOMIC_SEQ_CST) & bit) != 0; }
bool atomic_clear(u32* w, u32 bit) { return (__atomic_fetch_and(w, ~bit, __ATOMIC_SEQ_CST) & bit) != 0; }
bool atomic_test(const u32* w, u32 bit) { return (__atomic_load_n(w, __ATOMIC_SEQ_CST) & bit) != 0; }
} // namespace

SharedInfoPage::Word SharedInfoPage::pending_word(u32 port) const {
  if (width_ == abi::GuestWidth::bits64) return {&wide(page_)->evtchn_pending[port / 64], true};
  return {&narrow(page_)->evtchn_pending[port / 32], false};
}

SharedInfoPage::Word SharedInfoPage::mask_word(u32 port) const {
  if (width_ == abi::GuestWidth::bits64) return {&wide(page_)->evtchn_mask[port / 64], true};
  return {&narrow(page_)->evtchn_mask[port / 32], false};
}

bool SharedInfoPage::test(Word w, u32 port) const {
  if (w.wide) return atomic_test(static_cast<const u64_aligned*>(w.at), u64{1} << (port % 64));
  return atomic_test(static_cast<const u32*>(w.at), u32{1} << (port % 32));
}
bool SharedInfoPage::set(Word w, u32 port) {
  if (w.wide) return atomic_set(static_cast<u64_aligned*>(w.at), u64{1} << (port % 64));
  return atomic_set(static_cast<u32*>(w.at), u32{1} << (port % 32));
}
bool SharedInfoPage::clear(Word w, u32 port) {
  if (w.wide) return atomic_clear(static_cast<u64_aligned*>(w.at), u64{1} << (port % 64));
  return atomic_clear(static_cast<u32*>(w.at), u32{1} << (port % 32));
}

// The port-bit operations, here beside their helpers so that each is one call from the event channels.
bool SharedInfoPage::test_pending(u32 port) const { return test(pending_word(port), port); }
bool SharedInfoPage::set_pending(u32 port) { return set(pending_word(port), port); }
bool SharedInfoPage::clear_pending(u32 port) { return clear(pending_word(port), port); }
bool SharedInfoPage::test_mask(u32 port) const { return test(mask_word(port), port); }
bool SharedInfoPage::set_mask(u32 port) { return set(mask_word(port), port); }
bool SharedInfoPage::clear_mask(u32 port) { return clear(mask_word(port), port); }

bool SharedInfoPage::set_pending_sel(u32 vcpu, u32 word) {
  if (width_ == abi::GuestWidth::bits64)
    return atomic_set(reinterpret_cast<u64_aligned*>(&wide(page_)->vcpu_info[vcpu].evtchn_pending_sel), u64{1} << word);
  return atomic_set(&narrow(page_)->vcpu_info[vcpu].evtchn_pending_sel, u32{1} << word);
}
u64 SharedInfoPage::pending_sel(u32 vcpu) const {
  if (width_ == abi::GuestWidth::bits64)
    return atomic_read(reinterpret_cast<const u64_aligned*>(&wide(page_)->vcpu_info[vcpu].evtchn_pending_sel));
  return __atomic_load_n(&narrow(page_)->vcpu_info[vcpu].evtchn_pending_sel, __ATOMIC_SEQ_CST);
}

bool SharedInfoPage::set_upcall_pending(u32 vcpu) {
  return __atomic_exchange_n(vcpu_byte(vcpu, upcall_pending_offset), u8{1}, __ATOMIC_SEQ_CST) != 0;
}

// One event's whole delivery in one call, on the words of the guest's width: the hot path of every send.
bool SharedInfoPage::deliver(u32 port, u32 vcpu) {
  if (width_ == abi::GuestWidth::bits64) {
    abi::SharedInfo64& s = *wide(page_);
    const u64 bit = u64{1} << (port % 64);
    if (atomic_set(aligned(&s.evtchn_pending[port / 64]), bit) ||
        atomic_test(aligned(&s.evtchn_mask[port / 64]), bit) ||
        atomic_set(aligned(&s.vcpu_info[vcpu].evtchn_pending_sel), u64{1} << (port / 64)))
      return false;
  } else {
    abi::SharedInfo32& s = *narrow(page_);
    const u32 bit = u32{1} << (port % 32);
    if (atomic_set(&s.evtchn_pending[port / 32], bit) || atomic_test(&s.evtchn_mask[port / 32], bit) ||
        atomic_set(&s.vcpu_info[vcpu].evtchn_pending_sel, u32{1} << (port / 32)))
      return false;
  }
  return !set_upcall_pending(vcpu);
}

} // namespace hv

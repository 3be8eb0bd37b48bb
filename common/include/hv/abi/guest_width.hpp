// SPDX-License-Identifier: Apache-2.0
// The guest's word size, and the guest ABI's types whose size or alignment follows it.
//
// A record that holds an `unsigned long` (xen_ulong_t, xen_pfn_t on x86) or a guest handle (a pointer into
// the guest, which for our translated guests is a guest-physical address) is laid out one way for 32-bit
// guests and another for 64-bit ones: those members are 4 bytes in the first and 8 in the second, and the
// i386 ABI aligns a 64-bit member to 4 bytes where x86_64 aligns it to 8. Such a record is written once,
// as a template over GuestWidth built from the types below, and the sizes and offsets of both
// instantiations are static_asserted against the ABI where it is declared. The hypervisor's own word size
// plays no part: every port lays out both widths' records alike.
#pragma once

#include <hv/types.hpp>

namespace hv::abi {

/// The word size of a guest, which selects the layout of its records and its event channel limit. The
/// value is the word's size in bytes.
enum class GuestWidth : u8 { bits32 = 4, bits64 = 8 };

template <GuestWidth W> struct GuestWords;
// Each 8-byte type states its alignment, as the guest's ABI has it, whatever the hypervisor's own (an
// i686 hypervisor aligns u64 to 4). In a typedef: clang drops an alignment attribute that lowers a type's
// alignment in an alias declaration (`using`), and keeps it in a typedef.
template <> struct GuestWords<GuestWidth::bits32> {
  using ulong = u32;
  typedef u64 member_u64 __attribute__((aligned(4)));
};
template <> struct GuestWords<GuestWidth::bits64> {
  typedef u64 ulong __attribute__((aligned(8)));
  typedef u64 member_u64 __attribute__((aligned(8)));
};

/// `unsigned long` and xen_ulong_t of a guest of width W.
template <GuestWidth W> using ulong_t = typename GuestWords<W>::ulong;
/// xen_pfn_t: a guest frame number, an `unsigned long` on x86.
template <GuestWidth W> using pfn_t = typename GuestWords<W>::ulong;
/// A guest handle (XEN_GUEST_HANDLE(T)): the guest-physical address of what it points at.
template <GuestWidth W> using handle_t = typename GuestWords<W>::ulong;
/// uint64_t as a member of a record, aligned as the guest's ABI aligns it (4 bytes on i386).
template <GuestWidth W> using u64_member_t = typename GuestWords<W>::member_u64;

/// Bytes in a guest word.
constexpr u32 word_bytes(GuestWidth w) { return static_cast<u32>(w); }
/// Bits in a guest word: the 2-level event channel ABI's ports per pending word.
constexpr u32 bits_per_word(GuestWidth w) { return 8 * word_bytes(w); }

/// Ports a 2-level guest can name: (bits per word)^2.
constexpr u32 two_level_port_limit(GuestWidth w) { return bits_per_word(w) * bits_per_word(w); }

} // namespace hv::abi

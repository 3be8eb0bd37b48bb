// Reading and writing a guest's memory by guest-physical address, through the port's second-stage
// translation (Virtualization::translate_guest), one page at a time: a guest buffer need not be
// contiguous in machine memory, and every page of it is checked before any byte moves, so that a bad
// pointer is refused whole (the caller returns -EFAULT) and never reaches memory the guest does not own.
#pragma once

#include <hv/string.hpp>

#include <port.hpp>

namespace hv {

inline constexpr u64 guest_page_size = port::Paging::page_size;

/// Whether every byte of [gpa, gpa + size) is mapped in `space`.
template <class V> bool guest_range_mapped(const typename V::Space& space, PhysAddr gpa, u64 size) {
  if (size == 0) return true;
  if (gpa + size < gpa) return false; // wraps around the address space
  PhysAddr machine = 0;
  for (PhysAddr page = align_down(gpa, guest_page_size); page < gpa + size; page += guest_page_size)
    if (!V::translate_guest(space, page, machine)) return false;
  return true;
}

/// Calls `chunk(const u8* bytes, usize n)` over [gpa, gpa + size) in order, a page (or less) at a time.
/// Returns false, having called nothing, when any of it is not mapped.
template <class V, class Chunk>
bool for_guest_bytes(const typename V::Space& space, PhysAddr gpa, u64 size, Chunk&& chunk) {
  if (!guest_range_mapped<V>(space, gpa, size)) return false;
  while (size != 0) {
    const u64 in_page = guest_page_size - (gpa & (guest_page_size - 1));
    const u64 n = size < in_page ? size : in_page;
    PhysAddr machine = 0;
    V::translate_guest(space, gpa, machine);
    chunk(static_cast<const u8*>(port::Paging::direct_map(machine)), static_cast<usize>(n));
    gpa += n;
    size -= n;
  }
  return true;
}

template <class V> bool copy_from_guest(const typename V::Space& space, void* to, PhysAddr gpa, u64 size) {
  auto* out = static_cast<u8*>(to);
  return for_guest_bytes<V>(space, gpa, size, [&out](const u8* bytes, usize n) {
    memcpy(out, bytes, n);
    out += n;
  });
}

template <class V> bool copy_to_guest(const typename V::Space& space, PhysAddr gpa, const void* from, u64 size) {
  const auto* in = static_cast<const u8*>(from);
  return for_guest_bytes<V>(space, gpa, size, [&in](const u8* bytes, usize n) {
    memcpy(const_cast<u8*>(bytes), in, n);
    in += n;
  });
}

} // namespace hv

// SPDX-License-Identifier: Apache-2.0
// A domain's memory as the hypervisor reads and writes it: the one way hypercall handlers, the domain
// builder and the emulated devices reach guest memory (copy_from_guest/copy_to_guest).
//
// Every guest address the hypervisor is handed (a hypercall's record or buffer, a device's DMA address)
// is one the guest chose: it may be unmapped, point at a hole, or run past the end of the guest-physical
// space. A hypercall's pointers are the calling vCPU's own (linear, virtual) addresses, as the family's
// ABI has them: a GuestMemory made from that vCPU translates them through the guest's page tables first
// (Virtualization::translate_linear), page by page; one made from a p2m takes guest-physical addresses
// (the domain builder, a foreign domain's frames). Nothing dereferences one: it goes through a GuestMemory, whose every
// access is checked against the domain's p2m and answers false (the hypercall's -EFAULT) instead of
// touching memory the domain does not own, never a crash.
//
// A page is readable when the p2m maps it as the domain's RAM, a hypervisor page it shares (shared_info)
// or a frame granted to it, and writable unless it is a read-only grant. Pages are copied one at a time
// through the direct map (hv::map_frame), so a range may span frames that are not contiguous in machine
// memory. The port's second-stage tables mirror the p2m (common/domains keeps them in step), so guest
// memory reads the same through either; common code reads it only through this.
//
// Called on the calling vCPU at any time the domain exists; the guest may change its bytes concurrently,
// so callers copy once, then check the copy.
#pragma once

#include <hv/core/guest_phys_map.hpp>

namespace hv {

struct Vcpu;

class GuestMemory {
public:
  /// The end of the guest-physical space: no guest address at or above it is ever mapped.
  static constexpr u64 limit = GuestPhysMap::gfn_limit * FrameAllocator::frame_size;

  /// The memory of the domain whose p2m is `map`, which must outlive this object, by guest-physical
  /// address.
  explicit GuestMemory(const GuestPhysMap& map) : map_(&map) {}
  /// The memory of `caller`'s domain as `caller` addresses it now: its hypercall arguments. `caller` must
  /// not run while this object is used (it is making the hypercall).
  explicit GuestMemory(const Vcpu& caller);

  /// Copies `len` bytes at guest address `gpa` into `dst` (hypervisor memory). False, with nothing
  /// copied, when any byte of [gpa, gpa + len) lies in a page that is not readable, not mapped by the
  /// caller's page tables, or past `limit` (the range wrapping around included). len == 0 succeeds.
  [[nodiscard]] bool copy_from(u64 gpa, void* dst, usize len) const {
    return caller_ == nullptr ? copy_from(*map_, gpa, dst, len) : copy_from_linear(*caller_, gpa, dst, len);
  }
  /// Copies `len` bytes from `src` to guest address `gpa`. False, with nothing written, as above and
  /// also when a page of the range is not writable.
  [[nodiscard]] bool copy_to(u64 gpa, const void* src, usize len) const {
    return caller_ == nullptr ? copy_to(*map_, gpa, src, len) : copy_to_linear(*caller_, gpa, src, len);
  }

  /// A record of the guest ABI at `gpa`, whole or not at all.
  template <class T> [[nodiscard]] bool read(u64 gpa, T& out) const { return copy_from(gpa, &out, sizeof(T)); }
  template <class T> [[nodiscard]] bool write(u64 gpa, const T& in) const { return copy_to(gpa, &in, sizeof(T)); }

  /// The address of element `index` of a guest array of `size`-byte elements at `base` (a guest handle
  /// and an index, a buffer and an offset when `size` is 1). False when the element would not end below
  /// 2^64: the arithmetic never wraps onto a low, valid address. (Whether the element is mapped is the
  /// copy's to check: a virtual address may lie anywhere.)
  [[nodiscard]] static bool element(u64 base, u64 index, u64 size, u64& out) {
    const u64 room = ~u64{0} - base; // bytes from base to the last address
    if (index > room / size || room - index * size < size - 1) return false;
    out = base + index * size;
    return true;
  }

private:
  // The copies themselves take the map, not this object: a GuestMemory is then never stored to the
  // stack to be pointed at, and costs a hypercall nothing.
  static bool copy_from(const GuestPhysMap& map, u64 gpa, void* dst, usize len);
  static bool copy_to(const GuestPhysMap& map, u64 gpa, const void* src, usize len);
  static bool copy_from_linear(const Vcpu& caller, u64 linear, void* dst, usize len);
  static bool copy_to_linear(const Vcpu& caller, u64 linear, const void* src, usize len);

  const GuestPhysMap* map_;
  const Vcpu* caller_ = nullptr;
};

} // namespace hv

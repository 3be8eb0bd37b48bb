// SPDX-License-Identifier: Apache-2.0
// Copying to and from a guest's memory over its p2m. See hv/core/guest_memory.hpp.
#include <hv/core/domain.hpp>
#include <hv/core/guest_memory.hpp>
#include <hv/rt_string.hpp>

#include <port.hpp>

namespace hv {
namespace {

constexpr u64 page = FrameAllocator::frame_size;

// A device's page (the control domain's transfer window) is the guest's to touch, never the hypervisor's:
// its machine address lies outside the memory the hypervisor maps.
bool readable(GuestPhysMap::Kind k) { return k != GuestPhysMap::Kind::none && k != GuestPhysMap::Kind::device; }
bool writable(GuestPhysMap::Kind k) { return readable(k) && k != GuestPhysMap::Kind::foreign_readonly; }

/// Whether [gpa, gpa + len) lies inside the guest-physical space without wrapping.
bool in_space(u64 gpa, usize len) { return gpa <= GuestMemory::limit && len <= GuestMemory::limit - gpa; }

/// Cuts [addr, addr + len) at page boundaries: f(the page's address, offset in it, offset in the range,
/// bytes) for each piece, in order.
template <class F> void each_piece(u64 addr, usize len, F f) {
  usize done = 0;
  while (done < len) {
    const u64 here = addr + done;
    const u64 offset = here % page;
    usize chunk = static_cast<usize>(page - offset);
    if (chunk > len - done) chunk = len - done;
    f(here - offset, offset, done, chunk);
    done += chunk;
  }
}

/// each_page's case of a range over more than one page: every page is checked before any is copied.
/// Out of line, so that the one-page case does not carry its loop's registers.
template <class Ok, class F>
[[gnu::noinline]] bool each_page_of_many(const GuestPhysMap& map, u64 gpa, usize len, Ok ok, F f) {
  for (u64 at = align_down(gpa, page); at < gpa + len; at += page)
    if (!ok(map.lookup(at / page).kind)) return false;
  each_piece(gpa, len, [&](u64 at, u64 offset, usize done, usize chunk) {
    f(static_cast<unsigned char*>(map_frame(map.lookup(at / page).frame)) + offset, done, chunk);
  });
  return true;
}

/// Calls f(hypervisor pointer, offset into the range, bytes) for each page of the range, after checking
/// every page with `ok`; nothing is copied unless the whole range is accessible.
template <class Ok, class F> bool each_page(const GuestPhysMap& map, u64 gpa, usize len, Ok ok, F f) {
  if (!in_space(gpa, len)) return false;
  if (len == 0 || gpa % page + len > page) return each_page_of_many(map, gpa, len, ok, f);
  // One page, as nearly every hypercall argument is: one p2m walk serves the check and the copy.
  const GuestPhysMap::Entry e = map.lookup(gpa / page);
  if (!ok(e.kind)) return false;
  f(static_cast<unsigned char*>(map_frame(e.frame)) + gpa % page, 0, len);
  return true;
}

/// The page of the caller's domain that its linear page `linear` (page-aligned) maps to, if the caller's
/// tables map it (writably, for `write`) and the p2m gives it a frame of a kind `ok` accepts.
template <class Ok> bool linear_page(const Vcpu& caller, u64 linear, bool write, Ok ok, GuestPhysMap::Entry& e) {
  PhysAddr gpa = 0;
  if (!port::Virtualization::translate_linear(caller.arch, linear, write, gpa) || gpa >= GuestMemory::limit)
    return false;
  e = caller.domain->p2m.lookup(gpa / page);
  return ok(e.kind);
}

/// each_page for the caller's linear addresses: every page is translated and checked before any byte
/// moves, then translated again to copy.
template <class Ok, class F> bool each_linear_page(const Vcpu& caller, u64 linear, usize len, bool write, Ok ok, F f) {
  if (len == 0) return true;
  if (len - 1 > ~u64{0} - linear) return false; // the range would wrap
  const u64 last = linear + (len - 1);
  GuestPhysMap::Entry e{};
  for (u64 at = align_down(linear, page);; at += page) {
    if (!linear_page(caller, at, write, ok, e)) return false;
    if (at == align_down(last, page)) break;
  }
  // The caller does not run meanwhile: its tables hold still, so every page translates as it did above.
  each_piece(linear, len, [&](u64 at, u64 offset, usize done, usize chunk) {
    linear_page(caller, at, write, ok, e);
    f(static_cast<unsigned char*>(map_frame(e.frame)) + offset, done, chunk);
  });
  return true;
}

} // namespace

GuestMemory::GuestMemory(const Vcpu& caller) : map_(&caller.domain->p2m), caller_(&caller) {}

// A range within one page, as nearly every hypercall argument is, is translated once and copied as
// guest-physical, through the p2m's own one-page path.
bool GuestMemory::copy_from_linear(const Vcpu& caller, u64 linear, void* dst, usize len) {
  if (len != 0 && linear % page + len <= page) {
    PhysAddr gpa = 0;
    return port::Virtualization::translate_linear(caller.arch, linear, false, gpa) &&
           copy_from(caller.domain->p2m, gpa, dst, len);
  }
  auto* out = static_cast<unsigned char*>(dst);
  return each_linear_page(caller, linear, len, false, readable,
                          [&](unsigned char* guest, usize at, usize n) { rt::copy(out + at, guest, n); });
}

bool GuestMemory::copy_to_linear(const Vcpu& caller, u64 linear, const void* src, usize len) {
  if (len != 0 && linear % page + len <= page) {
    PhysAddr gpa = 0;
    return port::Virtualization::translate_linear(caller.arch, linear, true, gpa) &&
           copy_to(caller.domain->p2m, gpa, src, len);
  }
  const auto* in = static_cast<const unsigned char*>(src);
  return each_linear_page(caller, linear, len, true, writable,
                          [&](unsigned char* guest, usize at, usize n) { rt::copy(guest, in + at, n); });
}

bool GuestMemory::copy_from(const GuestPhysMap& map, u64 gpa, void* dst, usize len) {
  auto* out = static_cast<unsigned char*>(dst);
  return each_page(map, gpa, len, readable,
                   [&](unsigned char* guest, usize at, usize n) { rt::copy(out + at, guest, n); });
}

bool GuestMemory::copy_to(const GuestPhysMap& map, u64 gpa, const void* src, usize len) {
  const auto* in = static_cast<const unsigned char*>(src);
  return each_page(map, gpa, len, writable,
                   [&](unsigned char* guest, usize at, usize n) { rt::copy(guest, in + at, n); });
}

} // namespace hv

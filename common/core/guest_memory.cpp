// Copying to and from a guest's memory over its p2m. See hv/core/guest_memory.hpp.
#include <hv/core/guest_memory.hpp>
#include <hv/rt_string.hpp>

namespace hv {
namespace {

constexpr u64 page = FrameAllocator::frame_size;

bool readable(GuestPhysMap::Kind k) { return k != GuestPhysMap::Kind::none; }
bool writable(GuestPhysMap::Kind k) {
  return k != GuestPhysMap::Kind::none && k != GuestPhysMap::Kind::foreign_readonly;
}

/// Whether [gpa, gpa + len) lies inside the guest-physical space without wrapping.
bool in_space(u64 gpa, usize len) { return gpa <= GuestMemory::limit && len <= GuestMemory::limit - gpa; }

/// each_page's case of a range over more than one page: every page is checked before any is copied.
/// Out of line, so that the one-page case does not carry its loop's registers.
template <class Ok, class F>
[[gnu::noinline]] bool each_page_of_many(const GuestPhysMap& map, u64 gpa, usize len, Ok ok, F f) {
  for (u64 at = align_down(gpa, page); at < gpa + len; at += page)
    if (!ok(map.lookup(at / page).kind)) return false;
  usize done = 0;
  while (done < len) {
    const u64 here = gpa + done;
    const u64 offset = here % page;
    usize chunk = static_cast<usize>(page - offset);
    if (chunk > len - done) chunk = len - done;
    const GuestPhysMap::Entry e = map.lookup(here / page);
    f(static_cast<unsigned char*>(map_frame(e.frame)) + offset, done, chunk);
    done += chunk;
  }
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

} // namespace

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

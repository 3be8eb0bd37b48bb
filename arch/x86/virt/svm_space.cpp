// SPDX-License-Identifier: Apache-2.0
// The nested page tables: the guest-physical -> machine map, in long mode's own 4-level format. The CPU
// walks them as user-mode accesses, so every entry carries the user bit as well as present and writable.
#include "svm_state.hpp"

namespace hv::port {
namespace {

constexpr u64 npt_user = 1u << 2;
constexpr u64 npt_table_flags = x86::pte_present | x86::pte_writable | npt_user;

u64 leaf_flags(MapAttr attr) {
  // Readable whenever present; long mode's tables have no "not executable" without EFER.NXE, which the
  // hypervisor leaves off, so execute is always allowed (recorded by the caller's attr, not enforced).
  u64 flags = x86::pte_present | npt_user;
  if (has(attr, MapAttr::write)) flags |= x86::pte_writable;
  return flags;
}

} // namespace

// The tag is not the ASID: ASIDs are fewer than guests may be, and each vCPU takes one when it runs
// (x86::svm::renew_tlb).
bool Virtualization::create_space(FrameSource& frames, Space& space, u32 tag) {
  if (tag == 0) return false;
  const PhysAddr root = frames.alloc_zeroed_page();
  if (root == 0) return false;
  space.tables = x86::PageTables(4, npt_table_flags, npt_table_flags);
  space.tables.set_root(root);
  return true;
}

void Virtualization::destroy_space(FrameSource& frames, Space& space) {
  // Its vCPUs' ASIDs are not handed out again before the next generation's flush (asid_pool.hpp).
  space.tables.free_tables(frames);
  space = Space{};
}

bool Virtualization::map_guest_page(FrameSource& frames, Space& space, PhysAddr gpa, PhysAddr machine, MapAttr attr) {
  if (!is_aligned(gpa, Paging::page_size) || !is_aligned(machine, Paging::page_size)) return false;
  PhysAddr before = 0, ignored = 0;
  const bool had_write = space.tables.translate(gpa, before, false) && space.tables.translate(gpa, ignored, true);
  bool replaced = false;
  if (!space.tables.map(frames, gpa, machine, x86::small_page_size, leaf_flags(attr), &replaced)) return false;
  if (!replaced) return true;
  if (before == machine && (!had_write || has(attr, MapAttr::write)))
    x86::svm::widened(space); // nothing taken away: no CPU needs interrupting
  else
    x86::svm::shoot_down(space);
  return true;
}

void Virtualization::protect_guest_pages(Space& space, const PhysAddr* gpas, usize count) {
  bool taken = false;
  for (usize i = 0; i < count; ++i)
    if (gpas[i] >> 48 == 0 && space.tables.take_write(align_down(gpas[i], Paging::page_size))) taken = true;
  if (taken) x86::svm::shoot_down(space); // once for them all
}

void Virtualization::unmap_guest_page(Space& space, PhysAddr gpa) {
  if (gpa >> 48 == 0 && space.tables.unmap(align_down(gpa, Paging::page_size))) x86::svm::shoot_down(space);
}

bool Virtualization::translate_guest(const Space& space, PhysAddr gpa, PhysAddr& out, bool write) {
  // Long mode's tables translate 48 bits; above that the index arithmetic would wrap onto low pages.
  if (gpa >> 48 != 0 || space.tables.root() == 0) return false;
  return space.tables.translate(gpa, out, write);
}

} // namespace hv::port

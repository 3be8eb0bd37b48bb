// SPDX-License-Identifier: Apache-2.0
// A guest's second stage: its partition-table entry and the partition-scoped radix tree behind it,
// which translates guest real addresses (what the guest uses with MSR[IR/DR]=0, and what its own
// process-scoped tables produce) to machine addresses.
#include "lpar_state.hpp"

#include <ppc64/byte_order.hpp>
#include <ppc64/radix_tree.hpp>
#include <ppc64/tlb.hpp>

namespace hv::port {
namespace {

// Partition-table entry, doubleword 0: HR (the partition translates radix) with the tree's size, root
// and root index size. Doubleword 1 would point at the guest's process table; 0 while guests run with
// translation off (docs/guest-abi.md).
constexpr u64 partition_host_radix = 1ull << 63;
constexpr u64 no_process_table = 0;

bool in_radix_range(PhysAddr gpa) { return gpa >> ppc64::radix::address_bits == 0; }

void write_partition_entry(u32 lpid, u64 doubleword0, u64 doubleword1) {
  auto* entry = static_cast<u64*>(Paging::direct_map(ppc64::lpar::partition_table.base)) + 2 * lpid;
  entry[0] = ppc64::to_big_endian(doubleword0);
  entry[1] = ppc64::to_big_endian(doubleword1);
}

} // namespace

bool Virtualization::create_space(FrameSource& frames, Space& space, u32 tag) {
  if (tag == 0 || tag > ppc64::lpar::partition_table.max_lpid) return false;
  const PhysAddr root = ppc64::radix::create(frames);
  if (root == 0) return false;
  space = Space{root, tag};
  write_partition_entry(tag, partition_host_radix | ppc64::radix::root_descriptor(root), no_process_table);
  // A previous partition with this LPID may have left translations and a cached table entry behind, on
  // any thread that ran one of its vCPUs.
  ppc64::tlb::flush_partition(tag);
  return true;
}

void Virtualization::destroy_space(FrameSource& frames, Space& space) {
  if (space.root == 0) return;
  // No table walk may reach the tree once its pages are free: the entry goes first, then whatever the
  // CPU cached of it and of the partition's translations, then the tables.
  write_partition_entry(space.lpid, 0, 0);
  ppc64::tlb::flush_partition(space.lpid); // every thread that ran one of its vCPUs
  ppc64::radix::destroy(frames, space.root);
  space = Space{};
}

bool Virtualization::map_guest_page(FrameSource& frames, Space& space, PhysAddr gpa, PhysAddr machine, MapAttr attr) {
  if (!is_aligned(gpa, Paging::page_size) || !is_aligned(machine, Paging::page_size) || !in_radix_range(gpa))
    return false;
  ppc64::radix::Change change{};
  if (!ppc64::radix::map_page(frames, space.root, gpa, machine, attr, ppc64::radix::Leaf::any_privilege, &change))
    return false;
  switch (change) {
  case ppc64::radix::Change::fresh:
    asm volatile("ptesync" : : : "memory"); // the entry is visible to the table walk before any entry
    break;
  case ppc64::radix::Change::same:
  case ppc64::radix::Change::widened:
    // Nothing was taken away (a page the dirty log saw written, made writable): a thread that still holds
    // the narrower translation can only fault on it, and drops it here in turn. A tlbie would stop every
    // thread of the machine, once for every page a migrating guest writes.
    ppc64::tlb::flush_guest_page_local(gpa, space.lpid);
    break;
  case ppc64::radix::Change::replaced:
    ppc64::tlb::flush_partition(space.lpid); // the old translation may be cached, on any thread
    break;
  }
  return true;
}

void Virtualization::protect_guest_pages(Space& space, const PhysAddr* gpas, usize count) {
  bool taken = false;
  for (usize i = 0; i < count; ++i)
    if (in_radix_range(gpas[i]) && ppc64::radix::take_write(space.root, align_down(gpas[i], Paging::page_size)))
      taken = true;
  if (taken) ppc64::tlb::flush_partition(space.lpid); // once for them all
}

void Virtualization::unmap_guest_page(Space& space, PhysAddr gpa) {
  if (space.root == 0 || !in_radix_range(gpa)) return;
  if (!ppc64::radix::unmap_page(space.root, align_down(gpa, Paging::page_size))) return;
  // Another thread may run one of the partition's vCPUs meanwhile: tlbie reaches it, and returns only
  // once it no longer translates through the old entry, so the frame may be reused at once.
  ppc64::tlb::flush_partition(space.lpid);
}

bool Virtualization::translate_guest(const Space& space, PhysAddr gpa, PhysAddr& out) {
  if (space.root == 0 || !in_radix_range(gpa)) return false;
  return ppc64::radix::translate(space.root, gpa, out);
}

} // namespace hv::port

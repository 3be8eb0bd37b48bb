// SPDX-License-Identifier: Apache-2.0
// Port contract: the hypervisor's own address translation (not the guests': that is the second-stage
// translation of the virtualization backend).
//
// The hypervisor reaches all RAM through a direct map. On x86 and POWER the direct map is the identity
// (virtual == physical) so that the addresses firmware handed over stay valid; a port may choose an
// offset instead, as long as direct_map() says so.
#pragma once

#include <contract/types.hpp>

namespace hv::port {

struct Paging {
  /// The size of the smallest mapping, in bytes (4096 on every port so far). Defined in the port's
  /// include/port.hpp (`inline constexpr usize Paging::page_size = 4096;`): common code uses it in
  /// constant expressions.
  static const usize page_size;
  /// A virtual address outside the direct map that common code may map and unmap at will. Common code
  /// maps a fresh page there right after init() to prove that the port's tables are the live ones.
  /// Defined in the port's include/port.hpp, as page_size is.
  static const VirtAddr scratch_va;
  /// Builds the hypervisor's tables in pages taken from `frames`: the direct map of all of
  /// frames.ram(), the devices the port itself uses, and the image. Then switches the CPU to them.
  /// Called once, by hv::boot_main, before Traps::init. Returns false (and changes nothing) when
  /// `frames` runs out.
  static bool init(FrameSource& frames);
  /// Maps one page at `va` to `pa` with `attr` in the live tables, replacing any mapping there, and
  /// makes it visible to this CPU before returning. Intermediate tables come from `frames`. Returns false
  /// when `va` or `pa` is not page-aligned or when `frames` runs out.
  static bool map_page(FrameSource& frames, VirtAddr va, PhysAddr pa, MapAttr attr);
  /// Removes the mapping at `va` (a no-op where there is none) and flushes it from this CPU's TLB.
  static void unmap_page(VirtAddr va);
  /// Walks the live tables in software: true and the physical address in `out` when `va` is mapped.
  static bool translate(VirtAddr va, PhysAddr& out);
  /// The physical address of the live root table (CR3, the partition-table entry's root, ...): printed
  /// at boot as evidence of which tables are live.
  static PhysAddr root();
  /// The hypervisor's pointer to physical address `pa` through the direct map. On the core's hot paths
  /// (every p2m walk and guest copy, through hv::map_frame): a port whose direct map is plain arithmetic
  /// defines it inline in its include/port.hpp (`inline void* Paging::direct_map(PhysAddr pa) {...}`).
  static void* direct_map(PhysAddr pa);
  /// Zeroes the page-aligned page of RAM at `pa`, the fastest way the CPU has (every page a domain gets
  /// is zeroed first, most of a domain's build): memset over direct_map() where it has nothing better.
  static void zero_page(PhysAddr pa);
};

} // namespace hv::port

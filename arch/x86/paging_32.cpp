// SPDX-License-Identifier: Apache-2.0
// Paging::init with PAE: three levels, the root a four-entry PDPT in CR3. The rest of Paging is shared
// (paging.cpp).
#include <port.hpp>
#include <x86/instructions.hpp>
#include <x86/own_tables.hpp>
#include <x86/traps.hpp>

namespace hv::port {

bool Paging::init(FrameSource& frames) {
  // PDPTEs take only "present" (and cache bits); everything else there is reserved.
  x86::PageTables tables(3, x86::pte_present | x86::pte_writable, x86::pte_present);
  const PhysAddr pdpt = frames.alloc_zeroed_page();
  if (pdpt == 0) return false;
  // The CPU reads the four PDPTEs only when CR3 is loaded, so all four directories exist from the
  // start: the live PDPT then never changes and map_page never needs a CR3 reload.
  auto* top = static_cast<u64*>(direct_map(pdpt));
  for (usize i = 0; i < 4; ++i) {
    const PhysAddr directory = frames.alloc_zeroed_page();
    if (directory == 0) return false;
    top[i] = directory | x86::pte_present;
  }
  tables.set_root(pdpt);
  if (!x86::map_hypervisor(frames, tables)) return false;
  x86::write_cr4(x86::read_cr4() | x86::cr4_pae);
  x86::write_cr3(static_cast<uptr>(pdpt));
  x86::write_cr0(x86::read_cr0() | x86::cr0_paging);
  x86::make_live(tables);
  // The double-fault task switches to the CR3 recorded in its task state: make that the live one now,
  // not only at Traps::init.
  x86::load_trap_tables();
  return true;
}

} // namespace hv::port

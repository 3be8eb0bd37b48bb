// SPDX-License-Identifier: Apache-2.0
// Paging::init in long mode: four levels, the root in CR3. The rest of Paging is shared
// (paging.cpp).
#include <port.hpp>
#include <x86/instructions.hpp>
#include <x86/own_tables.hpp>

namespace hv::port {

bool Paging::init(FrameSource& frames) {
  x86::PageTables tables(4, x86::pte_present | x86::pte_writable, x86::pte_present | x86::pte_writable);
  const PhysAddr root = frames.alloc_zeroed_page();
  if (root == 0) return false;
  tables.set_root(root);
  if (!x86::map_hypervisor(frames, tables)) return false;
  // Long mode already runs on entry.S's boot tables: switching is one CR3 load.
  x86::write_cr3(root);
  x86::make_live(tables);
  return true;
}

} // namespace hv::port

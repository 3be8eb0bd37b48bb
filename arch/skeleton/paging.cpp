// SPDX-License-Identifier: Apache-2.0
// Step 4 (docs/porting.md): the hypervisor's own page tables.
#include <port.hpp>
#include <skeleton/not_written.hpp>

namespace hv::port {
using skeleton::not_written;

bool Paging::init(FrameSource&) { not_written("Paging::init"); }

bool Paging::map_page(FrameSource&, VirtAddr, PhysAddr, MapAttr) { not_written("Paging::map_page"); }

void Paging::unmap_page(VirtAddr) { not_written("Paging::unmap_page"); }

bool Paging::translate(VirtAddr, PhysAddr&) { not_written("Paging::translate"); }

PhysAddr Paging::root() { not_written("Paging::root"); }

void* Paging::direct_map(PhysAddr) { not_written("Paging::direct_map"); }

void Paging::zero_page(PhysAddr) { not_written("Paging::zero_page"); }

} // namespace hv::port

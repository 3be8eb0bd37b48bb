// SPDX-License-Identifier: Apache-2.0
#include <hv/panic.hpp>
#include <hv/string.hpp>
#include <port.hpp>
#include <x86/image.hpp>
#include <x86/instructions.hpp>
#include <x86/lapic.hpp>
#include <x86/own_tables.hpp>

namespace hv::x86 {
namespace {

PageTables live{0, 0, 0};

bool map_below(FrameSource& frames, PageTables& tables, u64 limit, const char* what, PhysAddr base, PhysAddr end,
               u64 flags) {
  if (end > limit) panic("paging: {} {:#x}-{:#x} reaches the direct map's limit {:#x}", what, base, end, limit);
  return tables.map_identity(frames, base, end, flags);
}

} // namespace

bool map_hypervisor(FrameSource& frames, PageTables& tables) {
  usize count = 0;
  const MemoryRange* ram = frames.ram(count);
  const u64 normal = leaf_flags(MapAttr::read | MapAttr::write | MapAttr::execute);
  for (usize i = 0; i < count; ++i)
    if (!map_below(frames, tables, direct_map_limit, "RAM", ram[i].base, ram[i].end(), normal)) return false;
  const MemoryRange image = port::Machine::image_range();
  if (!map_below(frames, tables, direct_map_limit, "the image", image.base, image.end(), normal)) return false;
  const PhysAddr apic = lapic::physical_base();
  return map_below(frames, tables, direct_map_limit, "the local APIC", apic, apic + small_page_size,
                   leaf_flags(MapAttr::read | MapAttr::write | MapAttr::device));
}

void make_live(const PageTables& tables) { live = tables; }

} // namespace hv::x86

namespace hv::port {

bool Paging::map_page(FrameSource& frames, VirtAddr va, PhysAddr pa, MapAttr attr) {
  if (!is_aligned(va, page_size) || !is_aligned(pa, page_size)) return false;
  if (!x86::live.map(frames, va, pa, x86::small_page_size, x86::leaf_flags(attr))) return false;
  x86::invlpg(va);
  return true;
}

void Paging::unmap_page(VirtAddr va) {
  if (x86::live.unmap(va)) x86::invlpg(va);
}

bool Paging::translate(VirtAddr va, PhysAddr& out) { return x86::live.translate(va, out); }

PhysAddr Paging::root() { return x86::live.root(); }

void* Paging::direct_map(PhysAddr pa) {
  check(pa <= static_cast<uptr>(-1), "physical address within the direct map");
  return reinterpret_cast<void*>(static_cast<uptr>(pa));
}

void Paging::zero_page(PhysAddr pa) { memset(direct_map(pa), 0, page_size); }

} // namespace hv::port

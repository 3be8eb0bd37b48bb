// SPDX-License-Identifier: Apache-2.0
// The transfer window on powernv (contract/machine.hpp): QEMU's ivshmem-plain device below a PHB. skiboot
// lists the functions it found in its device tree but leaves their BARs to the operating system, as
// powernv firmware does; so this port places BAR2, the shared memory, itself: at the start of the PHB's
// 32-bit memory window (its `ranges`), opening the window of each bridge above it, through OPAL's PCI
// configuration calls. Done once, at the first call; later calls answer the same.
#include <port.hpp>

#include <ppc64/image.hpp>
#include <ppc64/opal.hpp>

extern "C" {
#include <libfdt.h>
}

namespace hv::port {
namespace {

constexpr u32 ivshmem_vendor = 0x1af4, ivshmem_device = 0x1110;
constexpr u64 command_register = 0x04;
constexpr u64 bar2_register = 0x18;
constexpr u64 bridge_memory_base = 0x20, bridge_memory_limit = 0x22;
constexpr u32 command_memory_and_master = 0x6;
constexpr u32 bar_io_space = 1u << 0;
constexpr u32 bar_type_64 = 2u << 1;
constexpr u32 bar_flags_mask = 0xf;
constexpr u32 space_mask = 3u << 24, space_memory32 = 2u << 24; // a PCI address's phys.hi
constexpr int most_bridges = 4;

u32 cell(const void* fdt, int node, const char* name, int index) {
  int length = 0;
  const auto* cells = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, name, &length));
  return cells != nullptr && (index + 1) * 4 <= length ? fdt32_to_cpu(cells[index]) : 0;
}

/// bus << 8 | device << 3 | function, from a PCI node's reg (phys.hi of its first entry).
u64 bus_dev_func(const void* fdt, int node) { return cell(fdt, node, "reg", 0) >> 8 & 0xffff; }

struct Function {
  u64 phb, bdf;
};

u32 read_word(Function f, u64 offset) {
  // OPAL writes it big-endian, whatever this hypervisor's byte order.
  u8 bytes[4] = {};
  if (ppc64::opal::call(ppc64::opal::token::pci_config_read_word, f.phb, f.bdf, offset,
                        ppc64::physical_address(bytes)) != ppc64::opal::success)
    return ~0u;
  return u32{bytes[0]} << 24 | u32{bytes[1]} << 16 | u32{bytes[2]} << 8 | bytes[3];
}

void write_word(Function f, u64 offset, u32 value) {
  ppc64::opal::call(ppc64::opal::token::pci_config_write_word, f.phb, f.bdf, offset, value);
}

void write_half(Function f, u64 offset, u16 value) {
  ppc64::opal::call(ppc64::opal::token::pci_config_write_half_word, f.phb, f.bdf, offset, value);
}

/// BAR2's size, by the standard sizing (all ones written, the answer read, the BAR put back), memory
/// decoding off meanwhile; 0 for an I/O BAR or none.
u64 bar2_size(Function f) {
  const u32 low = read_word(f, bar2_register), high = read_word(f, bar2_register + 4);
  if ((low & bar_io_space) != 0 || (low & bar_type_64) == 0) return 0;
  const u32 command = read_word(f, command_register) & 0xffff;
  write_half(f, command_register, static_cast<u16>(command & ~command_memory_and_master));
  write_word(f, bar2_register, ~0u);
  write_word(f, bar2_register + 4, ~0u);
  const u64 mask = u64{read_word(f, bar2_register + 4)} << 32 | (read_word(f, bar2_register) & ~bar_flags_mask);
  write_word(f, bar2_register, low);
  write_word(f, bar2_register + 4, high);
  write_half(f, command_register, static_cast<u16>(command));
  return mask == 0 ? 0 : ~mask + 1;
}

/// The ivshmem function's node, or -1: looked for below the PHBs alone (the root's children with
/// ibm,opal-phbid), since a property lookup at each of the firmware tree's nodes cost the boot 1.3 M
/// instructions (tests/bench/icount), most of them in the chips' and cores' nodes.
int find_ivshmem(const void* fdt) {
  int phb = -1;
  fdt_for_each_subnode(phb, fdt, 0) {
    if (fdt_getprop(fdt, phb, "ibm,opal-phbid", nullptr) == nullptr) continue;
    int depth = 0;
    for (int node = fdt_next_node(fdt, phb, &depth); node >= 0 && depth > 0; node = fdt_next_node(fdt, node, &depth))
      if (cell(fdt, node, "vendor-id", 0) == ivshmem_vendor && cell(fdt, node, "device-id", 0) == ivshmem_device)
        return node;
  }
  return -1;
}

MemoryRange place() {
  const void* fdt = Machine::device_tree();
  if (fdt_check_header(fdt) != 0) return {};
  const int node = find_ivshmem(fdt);
  if (node < 0) return {};
  // Up to the PHB (the node with ibm,opal-phbid), through the bridges between.
  int bridges[most_bridges];
  int count = 0, phb = fdt_parent_offset(fdt, node);
  while (phb >= 0 && fdt_getprop(fdt, phb, "ibm,opal-phbid", nullptr) == nullptr) {
    if (count == most_bridges) return {};
    bridges[count++] = phb;
    phb = fdt_parent_offset(fdt, phb);
  }
  if (phb < 0) return {};
  const u64 phb_id = u64{cell(fdt, phb, "ibm,opal-phbid", 0)} << 32 | cell(fdt, phb, "ibm,opal-phbid", 1);
  // The PHB's 32-bit memory window: 3 cells of PCI address, 2 of CPU address, 2 of size an entry.
  int length = 0;
  const auto* ranges = static_cast<const fdt32_t*>(fdt_getprop(fdt, phb, "ranges", &length));
  u64 pci_base = 0, cpu_base = 0, window = 0;
  for (int at = 0; ranges != nullptr && (at + 7) * 4 <= length; at += 7) {
    if ((fdt32_to_cpu(ranges[at]) & space_mask) != space_memory32) continue;
    pci_base = u64{fdt32_to_cpu(ranges[at + 1])} << 32 | fdt32_to_cpu(ranges[at + 2]);
    cpu_base = u64{fdt32_to_cpu(ranges[at + 3])} << 32 | fdt32_to_cpu(ranges[at + 4]);
    window = u64{fdt32_to_cpu(ranges[at + 5])} << 32 | fdt32_to_cpu(ranges[at + 6]);
    break;
  }
  const Function device{phb_id, bus_dev_func(fdt, node)};
  const u64 size = bar2_size(device);
  if (window == 0 || size == 0 || (size & (size - 1)) != 0) return {};
  const u64 address = (pci_base + size - 1) & ~(size - 1); // a BAR is aligned to its size
  if (address - pci_base + size > window || address + size > (u64{1} << 32)) return {};
  write_word(device, bar2_register, static_cast<u32>(address));
  write_word(device, bar2_register + 4, static_cast<u32>(address >> 32));
  write_half(device, command_register,
             static_cast<u16>((read_word(device, command_register) & 0xffff) | command_memory_and_master));
  // Each bridge forwards [address, address + size) to the bus below (its memory base and limit registers
  // hold bits 31-20 of the first and last megabyte).
  for (int i = 0; i < count; ++i) {
    const Function bridge{phb_id, bus_dev_func(fdt, bridges[i])};
    write_half(bridge, bridge_memory_base, static_cast<u16>(address >> 16 & 0xfff0));
    write_half(bridge, bridge_memory_limit, static_cast<u16>((address + size - 1) >> 16 & 0xfff0));
    write_half(bridge, command_register,
               static_cast<u16>((read_word(bridge, command_register) & 0xffff) | command_memory_and_master));
  }
  return MemoryRange{cpu_base + (address - pci_base), size};
}

} // namespace

MemoryRange Machine::transfer_window() {
  static bool placed = false;
  static MemoryRange window;
  if (!placed) {
    placed = true;
    window = place();
  }
  return window;
}

} // namespace hv::port

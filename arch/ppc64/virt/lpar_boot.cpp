// SPDX-License-Identifier: Apache-2.0
// How a POWER guest boots (docs/guest-abi.md, "POWER (ppc64)"): which images run, and the flattened
// device tree it finds at r3 (common/fdt/guest_tree.cpp writes it).
#include "lpar_state.hpp"

#include <hv/guest_tree.hpp>

#include <ppc64/byte_order.hpp>

namespace hv::port {
namespace {

constexpr u16 machine_ppc64 = 21; // EM_PPC64
constexpr u8 class_64 = 2;
constexpr u8 data_ours = ppc64::little_endian_image ? 1 : 2; // ELFDATA2LSB / ELFDATA2MSB

} // namespace

bool Virtualization::accepts_image(u16 machine, u8 elf_class, u8 elf_data) {
  return machine == machine_ppc64 && elf_class == class_64 && elf_data == data_ours;
}

bool Virtualization::build_boot_info(const GuestBootInfo& boot, u8* buffer, usize capacity, usize& used) {
  const GuestTreeArch arch{.compatible = "hv,ppc64-guest", .timebase_hz = Timer::frequency_hz()};
  return write_guest_tree(boot, arch, buffer, capacity, used);
}

} // namespace hv::port

// SPDX-License-Identifier: Apache-2.0
// How an SVM guest boots: which images run, and the PVH start info (with ACPI tables) it finds in EBX.
//
// Guests are entered as the PVH boot protocol says (svm_vcpu.cpp), so both ELF32 (i386) and ELF64
// (x86-64) images with the PVH entry note run; a 64-bit guest switches to long mode itself.
#include "svm_state.hpp"

#include <x86/cmos_rtc.hpp>
#include <x86/guest_boot_info.hpp>

namespace hv::port {
namespace {

constexpr u16 machine_i386 = 3;
constexpr u16 machine_x86_64 = 62;
constexpr u8 class_32 = 1, class_64 = 2, data_little = 1;

} // namespace

bool Virtualization::accepts_image(u16 machine, u8 elf_class, u8 elf_data) {
  if (elf_data != data_little) return false;
  return (machine == machine_i386 && elf_class == class_32) || (machine == machine_x86_64 && elf_class == class_64);
}

// The start info, its memory map and command line, and the ACPI tables (x86/guest_boot_info.hpp).
bool Virtualization::build_boot_info(const GuestBootInfo& boot, u8* buffer, usize capacity, usize& used) {
  return x86::write_guest_boot_info(boot, buffer, capacity, used);
}

// The PC's CMOS clock, read when the backend has been enabled: whole seconds, as the clock keeps them.
u64 Virtualization::wall_clock_ns(u64) { return x86::cmos_epoch_seconds(x86::read_cmos_time()) * 1'000'000'000; }

} // namespace hv::port

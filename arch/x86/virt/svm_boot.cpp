// How an SVM guest boots: which images run, and the PVH start info it finds in EBX.
//
// Guests are entered as the PVH boot protocol says (svm_vcpu.cpp), so both ELF32 (i386) and ELF64
// (x86-64) images with the PVH entry note run; a 64-bit guest switches to long mode itself.
#include "svm_state.hpp"

#include <x86/pvh.hpp>

namespace hv::port {
namespace {

constexpr u16 machine_i386 = 3;
constexpr u16 machine_x86_64 = 62;
constexpr u8 class_32 = 1, class_64 = 2, data_little = 1;

// The memory map's entry (hvm_memmap_table_entry) and its E820 types.
struct MemoryMapEntry {
  u64 address;
  u64 size;
  u32 type;
  u32 reserved;
};
static_assert(sizeof(MemoryMapEntry) == 24, "PVH memory map entries are 24 bytes");
constexpr u32 e820_ram = 1;
constexpr u32 e820_reserved = 2;

// Where each piece sits inside the boot-information area (offsets from boot_info_gpa).
constexpr usize memory_map_offset = 64;
constexpr usize memory_map_entries = 2;
constexpr usize command_line_offset = memory_map_offset + memory_map_entries * sizeof(MemoryMapEntry);
constexpr u32 start_info_version = 1;

} // namespace

bool Virtualization::accepts_image(u16 machine, u8 elf_class, u8 elf_data) {
  if (elf_data != data_little) return false;
  return (machine == machine_i386 && elf_class == class_32) || (machine == machine_x86_64 && elf_class == class_64);
}

bool Virtualization::build_boot_info(const GuestBootInfo& boot, u8* buffer, usize capacity, usize& used) {
  const usize line_bytes = boot.command_line.size() + 1;
  used = command_line_offset + line_bytes;
  if (used > capacity || boot.boot_info_gpa >= boot.memory_bytes) return false;

  x86::PvhStartInfo info{};
  info.magic = x86::pvh_start_info_magic;
  info.version = start_info_version;
  info.command_line_paddr = boot.boot_info_gpa + command_line_offset;
  info.memory_map_paddr = boot.boot_info_gpa + memory_map_offset;
  info.memory_map_entries = memory_map_entries;
  __builtin_memcpy(buffer, &info, sizeof(info));

  // RAM below the boot information, which the guest should keep (it holds its command line).
  const MemoryMapEntry map[memory_map_entries] = {
      {0, boot.boot_info_gpa, e820_ram, 0},
      {boot.boot_info_gpa, boot.memory_bytes - boot.boot_info_gpa, e820_reserved, 0},
  };
  __builtin_memcpy(buffer + memory_map_offset, map, sizeof(map));
  __builtin_memcpy(buffer + command_line_offset, boot.command_line.data(), boot.command_line.size());
  buffer[command_line_offset + boot.command_line.size()] = 0;
  return true;
}

// V_IRQ with the guest's vector, TPR ignored: the CPU delivers it through the guest's IDT once the guest
// has IF set and no interrupt shadow, and clears V_IRQ when it does. Raising twice before that is one
// interrupt, which is what the contract asks.
void Virtualization::raise_upcall(Vcpu& vcpu, u32 vector) {
  u64& line = vcpu.vmcb->control.virtual_interrupt;
  constexpr u64 vector_mask = 0xffull << x86::virtual_interrupt_vector_shift;
  constexpr u64 priority_mask = 0xfull << x86::virtual_interrupt_priority_shift;
  line = (line & ~vector_mask & ~priority_mask) | (u64{vector & 0xff} << x86::virtual_interrupt_vector_shift) |
         priority_mask | x86::virtual_interrupt_ignore_tpr | x86::virtual_interrupt_request;
}

} // namespace hv::port

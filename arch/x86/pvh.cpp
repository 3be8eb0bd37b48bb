// SPDX-License-Identifier: Apache-2.0
#include <x86/acpi.hpp>
#include <x86/memory_map.hpp>
#include <x86/pvh.hpp>
#include <x86/smbios.hpp>
#include <x86/smp.hpp>

#include <port.hpp>

namespace hv::x86 {
namespace {

// Common code reads its options from it; a longer line is cut, never overrun.
char command_line_copy[1024] = {};
MemoryRange first_module = {};
MemoryRange ram[max_ram_ranges] = {};
usize ram_count = 0;
char machine_name[80] = {};

template <class T> const T* physical(u64 pa) { return reinterpret_cast<const T*>(static_cast<uptr>(pa)); }

// Whether `pa` .. `pa + size` is reachable with paging off in this mode (x86_32 only sees 4 GiB).
bool addressable(u64 pa, u64 size) { return pa != 0 && pa + size - 1 <= static_cast<uptr>(-1); }

// The entry code's tables map the first 4 GiB (x86_64); paging is off (x86_32).
const u8* readable_at_entry(u64 pa, usize size) {
  return pa + size <= (u64{1} << 32) && pa + size >= pa ? physical<u8>(pa) : nullptr;
}

// The firmware's CPUs, from the MADT at `rsdp_pa` (0: searched for). ACPI tables lie in memory the map
// does not call RAM, which the hypervisor's own tables never map: they are read here or never.
void take_firmware_cpus(u64 rsdp_pa) {
  u32 ids[max_cpus];
  const usize count = madt_local_apic_ids(readable_at_entry, rsdp_pa, ids, max_cpus);
  record_firmware_cpus(ids, count);
}

} // namespace

void take_start_info(u32 start_info_pa) {
  smbios_system_name(readable_at_entry, machine_name, sizeof machine_name);
  const auto* info = start_info_pa != 0 ? physical<PvhStartInfo>(start_info_pa) : nullptr;
  if (info == nullptr || info->magic != pvh_start_info_magic) {
    take_firmware_cpus(0);
    return;
  }
  take_firmware_cpus(info->rsdp_paddr);
  if (info->module_count > 0 && addressable(info->module_list_paddr, sizeof(PvhModule))) {
    const auto* module = physical<PvhModule>(info->module_list_paddr);
    if (module->size != 0 && addressable(module->paddr, module->size)) first_module = {module->paddr, module->size};
  }
  const u64 map_bytes = u64{info->memory_map_entries} * sizeof(MemoryMapEntry);
  if (info->version >= 1 && info->memory_map_entries != 0 && addressable(info->memory_map_paddr, map_bytes))
    ram_count = ram_from_memory_map(physical<MemoryMapEntry>(info->memory_map_paddr), info->memory_map_entries,
                                    direct_map_limit, ram, max_ram_ranges);
  const u64 line = info->command_line_paddr;
  if (!addressable(line, 1)) return;
  const char* text = physical<char>(line);
  usize n = 0;
  while (n + 1 < sizeof(command_line_copy) && addressable(line, n + 1) && text[n] != '\0') {
    command_line_copy[n] = text[n];
    ++n;
  }
  command_line_copy[n] = '\0';
}

const char* boot_command_line() { return command_line_copy; }

MemoryRange boot_module() { return first_module; }

const char* firmware_machine_name() { return machine_name; }

const MemoryRange* firmware_ram(usize& count) {
  count = ram_count;
  return ram;
}

} // namespace hv::x86

// SPDX-License-Identifier: Apache-2.0
// A guest's boot device tree, written with libfdt's sequential-write functions. See hv/guest_tree.hpp.
#include <hv/abi/hypercall.hpp>
#include <hv/format.hpp>
#include <hv/guest_tree.hpp>

#include <port.hpp>

extern "C" {
#include <libfdt.h>
}

namespace hv {
namespace {

constexpr usize largest_tree = 0x7fff'ffff; // libfdt sizes are ints

/// A `reg`-style property of one range: address and size, two big-endian cells each.
int property_range(void* fdt, const char* name, u64 base, u64 size) {
  const fdt64_t cells[2] = {cpu_to_fdt64(base), cpu_to_fdt64(size)};
  return fdt_property(fdt, name, cells, sizeof(cells));
}

/// A string property from a StrView, which need not be NUL-terminated.
int property_text(void* fdt, const char* name, StrView text) {
  void* value = nullptr;
  const int rc = fdt_property_placeholder(fdt, name, static_cast<int>(text.size() + 1), &value);
  if (rc != 0) return rc;
  auto* bytes = static_cast<char*>(value);
  for (usize i = 0; i < text.size(); ++i) bytes[i] = text[i];
  bytes[text.size()] = '\0';
  return 0;
}

bool write_cpus(void* fdt, const GuestBootInfo& boot, const GuestTreeArch& arch) {
  if (fdt_begin_node(fdt, "cpus") != 0 || fdt_property_u32(fdt, "#address-cells", 1) != 0 ||
      fdt_property_u32(fdt, "#size-cells", 0) != 0)
    return false;
  for (u32 cpu = 0; cpu < boot.vcpus; ++cpu) {
    char name[24];
    format_to(name, "cpu@{:x}", cpu);
    if (fdt_begin_node(fdt, name) != 0 || fdt_property_string(fdt, "device_type", "cpu") != 0 ||
        fdt_property_u32(fdt, "reg", cpu) != 0 ||
        fdt_property_u32(fdt, "timebase-frequency", static_cast<u32>(arch.timebase_hz)) != 0 || fdt_end_node(fdt) != 0)
      return false;
  }
  return fdt_end_node(fdt) == 0;
}

constexpr u64 console_page_bytes = 4096; // the console ring is one page of the guest ABI's 4 KiB

bool write_tree(void* fdt, int size, const GuestBootInfo& boot, const GuestTreeArch& arch) {
  char version[16];
  format_to(version, "{}.{}", abi::version_major, abi::version_minor);
  // The tree reserves its own pages, so that a guest does not reuse them before it has read it. Its size
  // is known only once it is finished: the entry is patched then (reserve_tree_pages). The console ring's
  // page, after it, is reserved too.
  if (fdt_create(fdt, size) != 0 || fdt_add_reservemap_entry(fdt, boot.boot_info_gpa, static_cast<u64>(size)) != 0 ||
      (boot.console_gpa != 0 && fdt_add_reservemap_entry(fdt, boot.console_gpa, console_page_bytes) != 0) ||
      fdt_finish_reservemap(fdt) != 0)
    return false;
  if (fdt_begin_node(fdt, "") != 0 || fdt_property_string(fdt, "compatible", arch.compatible) != 0 ||
      fdt_property_u32(fdt, "#address-cells", 2) != 0 || fdt_property_u32(fdt, "#size-cells", 2) != 0)
    return false;
  if (fdt_begin_node(fdt, "memory@0") != 0 || fdt_property_string(fdt, "device_type", "memory") != 0 ||
      property_range(fdt, "reg", 0, boot.memory_bytes) != 0 || fdt_end_node(fdt) != 0)
    return false;
  if (fdt_begin_node(fdt, "chosen") != 0 || property_text(fdt, "bootargs", boot.command_line) != 0 ||
      fdt_end_node(fdt) != 0)
    return false;
  if (fdt_begin_node(fdt, "hypervisor") != 0 || fdt_property_string(fdt, "compatible", "hv,hypervisor") != 0 ||
      fdt_property_string(fdt, "version", version) != 0 || fdt_property_u32(fdt, "domain-id", boot.domain_id) != 0 ||
      fdt_end_node(fdt) != 0)
    return false;
  if (boot.window.size != 0 &&
      (fdt_begin_node(fdt, "transfer-window") != 0 ||
       fdt_property_string(fdt, "compatible", "hv,transfer-window") != 0 ||
       property_range(fdt, "reg", boot.window.base, boot.window.size) != 0 || fdt_end_node(fdt) != 0))
    return false;
  if (!write_cpus(fdt, boot, arch) || fdt_end_node(fdt) != 0) return false;
  return fdt_finish(fdt) == 0;
}

/// Shrinks the tree's reservation of itself (the first entry) to the pages it occupies.
void reserve_tree_pages(void* fdt) {
  auto* entry = reinterpret_cast<fdt_reserve_entry*>(static_cast<u8*>(fdt) + fdt_off_mem_rsvmap(fdt));
  entry->size = cpu_to_fdt64(align_up(fdt_totalsize(fdt), port::Paging::page_size));
}

} // namespace

bool write_guest_tree(const GuestBootInfo& boot, const GuestTreeArch& arch, u8* buffer, usize capacity, usize& used) {
  used = 0;
  if (boot.boot_info_gpa >= boot.memory_bytes || boot.vcpus == 0) return false;
  const int size = static_cast<int>(capacity < largest_tree ? capacity : largest_tree);
  if (!write_tree(buffer, size, boot, arch)) return false;
  reserve_tree_pages(buffer);
  used = fdt_totalsize(buffer);
  return true;
}

} // namespace hv

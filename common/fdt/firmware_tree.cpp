// SPDX-License-Identifier: Apache-2.0
// What a port reads from the firmware's device tree besides the board. See hv/firmware_tree.hpp.
#include <hv/firmware_tree.hpp>
#include <hv/format.hpp>
#include <hv/string.hpp>

extern "C" {
#include <libfdt.h>
}

namespace hv::fdt {

namespace {
// A property of one or two big-endian cells, as firmware writes either; false when it is neither.
bool read_cells(const void* fdt, int node, const char* name, u64& out) {
  int length = 0;
  const auto* bytes = static_cast<const u8*>(fdt_getprop(fdt, node, name, &length));
  if (bytes == nullptr || (length != 4 && length != 8)) return false;
  out = 0;
  for (int i = 0; i < length; ++i) out = out << 8 | bytes[i];
  return true;
}
} // namespace

u64 timebase_frequency(const void* fdt) {
  if (fdt_check_header(fdt) != 0) return 0;
  const int cpus = fdt_path_offset(fdt, "/cpus");
  if (cpus < 0) return 0;
  // The devicetree specification lets /cpus carry it for every CPU (QEMU's RISC-V virt machine does), or
  // each CPU node (skiboot does).
  u64 hz = 0;
  if (read_cells(fdt, cpus, "timebase-frequency", hz)) return hz;
  int cpu = 0;
  fdt_for_each_subnode(cpu, fdt, cpus) {
    if (read_cells(fdt, cpu, "timebase-frequency", hz)) return hz;
  }
  return 0;
}

const char* bootargs(const void* fdt) {
  if (fdt_check_header(fdt) != 0) return "";
  const int chosen = fdt_path_offset(fdt, "/chosen");
  if (chosen < 0) return "";
  int length = 0;
  const auto* value = static_cast<const char*>(fdt_getprop(fdt, chosen, "bootargs", &length));
  if (value == nullptr || length <= 0) return "";
  if (strnlen(value, static_cast<usize>(length)) == static_cast<usize>(length)) return ""; // not terminated
  return value;
}

usize cpu_threads(const void* fdt, u32* out, usize capacity) {
  if (fdt_check_header(fdt) != 0) return 0;
  const int cpus = fdt_path_offset(fdt, "/cpus");
  if (cpus < 0) return 0;
  usize count = 0;
  int cpu = 0;
  fdt_for_each_subnode(cpu, fdt, cpus) {
    int length = 0;
    const auto* type = static_cast<const char*>(fdt_getprop(fdt, cpu, "device_type", &length));
    if (type == nullptr || length != 4 || memcmp(type, "cpu", 4) != 0) continue;
    const auto* status = static_cast<const char*>(fdt_getprop(fdt, cpu, "status", &length));
    if (status != nullptr && (length != 5 || memcmp(status, "okay", 5) != 0)) continue;
    const auto* cells = static_cast<const u8*>(fdt_getprop(fdt, cpu, "ibm,ppc-interrupt-server#s", &length));
    if (cells == nullptr) cells = static_cast<const u8*>(fdt_getprop(fdt, cpu, "reg", &length));
    if (cells == nullptr || length <= 0 || length % 4 != 0) continue;
    for (int at = 0; at < length && count < capacity; at += 4)
      out[count++] = static_cast<u32>(cells[at]) << 24 | static_cast<u32>(cells[at + 1]) << 16 |
                     static_cast<u32>(cells[at + 2]) << 8 | cells[at + 3];
  }
  return count;
}

MemoryRange initrd(const void* fdt) {
  if (fdt_check_header(fdt) != 0) return {};
  const int chosen = fdt_path_offset(fdt, "/chosen");
  u64 start = 0, end = 0;
  if (chosen < 0 || !read_cells(fdt, chosen, "linux,initrd-start", start) ||
      !read_cells(fdt, chosen, "linux,initrd-end", end) || end <= start)
    return {};
  return MemoryRange{start, end - start};
}

namespace {
// `value` as `cells` big-endian 32-bit cells at `out`; false when it does not fit them.
bool put_cells(u8* out, int cells, u64 value) {
  if (cells < 1 || cells > 2 || (cells == 1 && value >> 32 != 0)) return false;
  for (int i = cells * 4 - 1; i >= 0; --i, value >>= 8) out[i] = static_cast<u8>(value);
  return true;
}
} // namespace

namespace {
// A CPU node's properties but reg, copied out of the tree: adding nodes moves everything in it.
struct CpuTemplate {
  static constexpr usize max_properties = 8;
  static constexpr usize max_bytes = 64;
  char names[max_properties][32] = {};
  u8 values[max_properties][max_bytes] = {};
  int lengths[max_properties] = {};
  usize count = 0;
};

bool copy_template(const void* fdt, int node, CpuTemplate& out) {
  int property = 0;
  fdt_for_each_property_offset(property, fdt, node) {
    const char* name = nullptr;
    int length = 0;
    const void* value = fdt_getprop_by_offset(fdt, property, &name, &length);
    if (value == nullptr || name == nullptr || StrView(name) == StrView("reg")) continue;
    if (out.count == CpuTemplate::max_properties || length < 0 || static_cast<usize>(length) > CpuTemplate::max_bytes ||
        strlen(name) >= sizeof out.names[0])
      return false;
    format_to(out.names[out.count], "{}", name);
    memcpy(out.values[out.count], value, static_cast<usize>(length));
    out.lengths[out.count++] = length;
  }
  return true;
}

int first_cpu_child(const void* fdt, int cpus) {
  int node = 0;
  fdt_for_each_subnode(node, fdt, cpus) {
    int length = 0;
    const auto* type = static_cast<const char*>(fdt_getprop(fdt, node, "device_type", &length));
    if (type != nullptr && length == 4 && memcmp(type, "cpu", 4) == 0) return node;
  }
  return -1;
}

// /cpus's CPU nodes replaced by one per ID, each with the first one's properties and the ID as reg.
bool replace_cpus(void* fdt, const u32* ids, usize count) {
  const int cpus = fdt_path_offset(fdt, "/cpus");
  if (cpus < 0) return false;
  CpuTemplate cpu;
  int node = first_cpu_child(fdt, cpus);
  if (node < 0 || !copy_template(fdt, node, cpu)) return false;
  // Deleting a node moves only what follows it: /cpus stays where it is.
  for (; node >= 0; node = first_cpu_child(fdt, cpus))
    if (fdt_del_node(fdt, node) != 0) return false;
  // A new node goes before its siblings: the last first, so that they end in the firmware's order.
  for (usize i = count; i-- > 0;) {
    char name[32];
    format_to(name, "cpu@{:x}", ids[i]);
    const int added = fdt_add_subnode(fdt, cpus, name);
    if (added < 0) return false;
    for (usize p = 0; p < cpu.count; ++p)
      if (fdt_setprop(fdt, added, cpu.names[p], cpu.values[p], cpu.lengths[p]) != 0) return false;
    if (fdt_setprop_u32(fdt, added, "reg", ids[i]) != 0) return false;
  }
  return true;
}
} // namespace

bool with_firmware_facts(const void* board, const FirmwareFacts& facts, void* out, usize capacity) {
  constexpr usize max_ranges = 32;
  const MemoryRange* ram = facts.ram;
  const usize ram_count = facts.ram_count;
  if (ram_count == 0 || ram_count > max_ranges || capacity > 0x7fff'ffff || fdt_check_header(board) != 0 ||
      fdt_open_into(board, out, static_cast<int>(capacity)) != 0)
    return false;
  while (fdt_num_mem_rsv(out) > 0)
    if (fdt_del_mem_rsv(out, 0) != 0) return false;
  for (usize i = 0; i < facts.reserved_count; ++i)
    if (fdt_add_mem_rsv(out, facts.reserved[i].base, facts.reserved[i].size) != 0) return false;
  if (facts.model != nullptr && facts.model[0] != '\0' && fdt_setprop_string(out, 0, "model", facts.model) != 0)
    return false;
  if (facts.cpu_count != 0 && !replace_cpus(out, facts.cpu_ids, facts.cpu_count)) return false;
  // Memory nodes are found by their device_type, whatever their names (as read_board finds them).
  for (int node = fdt_node_offset_by_prop_value(out, -1, "device_type", "memory", sizeof "memory"); node >= 0;
       node = fdt_node_offset_by_prop_value(out, -1, "device_type", "memory", sizeof "memory"))
    if (fdt_del_node(out, node) != 0) return false;
  const int address_cells = fdt_address_cells(out, 0);
  const int size_cells = fdt_size_cells(out, 0);
  u8 reg[max_ranges * 16];
  usize used = 0;
  for (usize i = 0; i < ram_count; ++i) {
    if (!put_cells(reg + used, address_cells, ram[i].base)) return false;
    used += static_cast<usize>(address_cells) * 4;
    if (!put_cells(reg + used, size_cells, ram[i].size)) return false;
    used += static_cast<usize>(size_cells) * 4;
  }
  char name[32];
  format_to(name, "memory@{:x}", ram[0].base);
  const int node = fdt_add_subnode(out, 0, name);
  return node >= 0 && fdt_setprop_string(out, node, "device_type", "memory") == 0 &&
         fdt_setprop(out, node, "reg", reg, static_cast<int>(used)) == 0 && fdt_pack(out) == 0;
}

} // namespace hv::fdt

// What a port reads from the firmware's device tree besides the board. See hv/firmware_tree.hpp.
#include <hv/firmware_tree.hpp>
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

MemoryRange initrd(const void* fdt) {
  if (fdt_check_header(fdt) != 0) return {};
  const int chosen = fdt_path_offset(fdt, "/chosen");
  u64 start = 0, end = 0;
  if (chosen < 0 || !read_cells(fdt, chosen, "linux,initrd-start", start) ||
      !read_cells(fdt, chosen, "linux,initrd-end", end) || end <= start)
    return {};
  return MemoryRange{start, end - start};
}

} // namespace hv::fdt

// SPDX-License-Identifier: Apache-2.0
// Reads the board's device tree with libfdt. See hv/board.hpp.
#include <hv/board.hpp>
#include <hv/format.hpp>

extern "C" {
#include <libfdt.h>
}

namespace hv {
namespace {

template <class... Args> bool fail(BoardError& error, FormatString<type_identity_t<Args>...> fmt, const Args&... args) {
  format_to(error.message, fmt, args...);
  return false;
}

u64 read_cells(const fdt32_t* cells, int count) {
  u64 value = 0;
  for (int i = 0; i < count; ++i) value = (value << 32) | fdt32_to_cpu(cells[i]);
  return value;
}

StrView string_property(const void* fdt, int node, const char* name, StrView fallback) {
  int length = 0;
  const auto* value = static_cast<const char*>(fdt_getprop(fdt, node, name, &length));
  if (value == nullptr || length <= 0) return fallback;
  // A property's strings must be NUL-terminated within the property; take the first.
  usize n = strnlen(value, static_cast<usize>(length));
  if (n == static_cast<usize>(length)) return fallback;
  return {value, n};
}

/// Appends the (address, size) pairs of `node`'s reg to `out`. `what` names the node in messages.
bool read_reg(const void* fdt, int node, int address_cells, int size_cells, MemoryRange* out, usize& count,
              const char* what, BoardError& error) {
  int length = 0;
  const auto* reg = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, "reg", &length));
  if (reg == nullptr) return fail(error, "device tree: {} has no reg property", what);
  if (address_cells == 0) return fail(error, "device tree: {}: #address-cells is 0, so reg has no address", what);
  const int entry_cells = address_cells + size_cells;
  const int entry_bytes = entry_cells * 4;
  if (length <= 0 || length % entry_bytes != 0)
    return fail(error, "device tree: {}: reg is {} bytes, not a multiple of {} (#address-cells {} + #size-cells {})",
                what, length, entry_bytes, address_cells, size_cells);
  for (int i = 0; i < length / entry_bytes; ++i) {
    if (count == Board::max_ranges)
      return fail(error, "device tree: more than {} ranges in {}", Board::max_ranges, what);
    const fdt32_t* entry = reg + static_cast<usize>(i) * static_cast<usize>(entry_cells);
    MemoryRange r{read_cells(entry, address_cells), read_cells(entry + address_cells, size_cells)};
    if (r.size == 0) continue;
    if (r.base + r.size < r.base) return fail(error, "device tree: {}: range at {:#x} wraps around", what, r.base);
    out[count++] = r;
  }
  return true;
}

int cells_property(const void* fdt, int node, const char* name, int fallback, BoardError& error) {
  int length = 0;
  const auto* value = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, name, &length));
  if (value == nullptr) return fallback;
  if (length != 4) {
    fail(error, "device tree: {} is {} bytes, not 4", name, length);
    return -1;
  }
  u32 cells = fdt32_to_cpu(*value);
  if (cells > 2) {
    fail(error, "device tree: {} is {}; addresses and sizes of more than 2 cells are not supported", name, cells);
    return -1;
  }
  return static_cast<int>(cells);
}

/// Whether a node named `name` is what a path component `want` (no unit address) names, as
/// fdt_path_offset matches it: `want` itself or `want` with a unit address ("cpus", "cpus@0").
bool names(const char* name, StrView want) {
  if (name == nullptr) return false;
  const usize n = strnlen(name, want.size() + 1);
  if (n < want.size() || StrView(name, want.size()) != want) return false;
  return name[want.size()] == '\0' || name[want.size()] == '@';
}

} // namespace

bool read_board(const void* blob, usize available, Board& board, BoardError& error) {
  board = Board{};
  error = BoardError{};
  if (blob == nullptr) return fail(error, "device tree: none was handed over");
  if (available < sizeof(fdt_header))
    return fail(error, "device tree: truncated: {} bytes, smaller than a header", available);
  int rc = fdt_check_header(blob);
  if (rc != 0) return fail(error, "device tree: bad header: {}", fdt_strerror(rc));
  const usize total = fdt_totalsize(blob);
  if (total > available)
    return fail(error, "device tree: truncated: the header says {} bytes but only {} are there", total, available);
  rc = fdt_check_full(blob, total);
  if (rc != 0) return fail(error, "device tree: malformed: {}", fdt_strerror(rc));

  const int root = 0;
  board.model = string_property(blob, root, "model", "unknown");
  board.compatible = string_property(blob, root, "compatible", "unknown");
  const int address_cells = cells_property(blob, root, "#address-cells", 2, error);
  const int size_cells = cells_property(blob, root, "#size-cells", 1, error);
  if (address_cells < 0 || size_cells < 0) return false;
  if (address_cells == 0) return fail(error, "device tree: / has #address-cells 0; memory needs an address");

  // Memory: every child of / whose device_type is "memory", whatever it is named. One walk over the
  // children, which also finds /reserved-memory, /cpus and /chosen (the first of each name, as a path
  // lookup would): a firmware tree has thousands of nodes, and every lookup from / or from a match's
  // parent walks them again.
  int reserved_node = -1;
  int cpus = -1;
  int chosen = -1;
  int node = 0;
  fdt_for_each_subnode(node, blob, root) {
    const char* name = fdt_get_name(blob, node, nullptr);
    if (reserved_node < 0 && names(name, "reserved-memory")) reserved_node = node;
    if (cpus < 0 && names(name, "cpus")) cpus = node;
    if (chosen < 0 && names(name, "chosen")) chosen = node;
    if (string_property(blob, node, "device_type", "") != StrView("memory")) continue;
    if (!read_reg(blob, node, address_cells, size_cells, board.memory, board.memory_count,
                  name != nullptr ? name : "memory", error))
      return false;
  }
  if (board.memory_count == 0) return fail(error, "device tree: no memory node (device_type = \"memory\") under /");

  // Reservations: the header's table, then /reserved-memory's children.
  const int reservations = fdt_num_mem_rsv(blob);
  for (int i = 0; i < reservations; ++i) {
    u64 base = 0;
    u64 size = 0;
    if (fdt_get_mem_rsv(blob, i, &base, &size) != 0 || size == 0) continue;
    if (board.reserved_count == Board::max_ranges)
      return fail(error, "device tree: more than {} reserved ranges", Board::max_ranges);
    board.reserved[board.reserved_count++] = MemoryRange{base, size};
  }
  if (reserved_node >= 0) {
    const int rac = cells_property(blob, reserved_node, "#address-cells", address_cells, error);
    const int rsc = cells_property(blob, reserved_node, "#size-cells", size_cells, error);
    if (rac < 0 || rsc < 0) return false;
    int child = 0;
    fdt_for_each_subnode(child, blob, reserved_node) {
      int length = 0;
      if (fdt_getprop(blob, child, "reg", &length) == nullptr) continue; // dynamically placed: nothing fixed to avoid
      if (!read_reg(blob, child, rac, rsc, board.reserved, board.reserved_count, "a /reserved-memory node", error))
        return false;
    }
  }

  // CPUs.
  if (cpus < 0) return fail(error, "device tree: no /cpus node");
  int cpu = 0;
  fdt_for_each_subnode(cpu, blob, cpus) {
    if (string_property(blob, cpu, "device_type", "") == StrView("cpu")) ++board.cpu_count;
  }
  if (board.cpu_count == 0) return fail(error, "device tree: /cpus has no node with device_type = \"cpu\"");

  if (chosen >= 0) board.bootargs = string_property(blob, chosen, "bootargs", "");
  return true;
}

usize device_tree_size(const void* blob) {
  if (blob == nullptr || fdt_check_header(blob) != 0) return 0;
  return fdt_totalsize(blob);
}

} // namespace hv

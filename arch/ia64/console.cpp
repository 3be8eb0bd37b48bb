// SPDX-License-Identifier: Apache-2.0
// The IA-64 port's console: the ns16550 that the built-in device tree names.
#include <ia64/internal.hpp>

extern "C" {
#include <libfdt.h>
}

namespace hv::ia64 {
namespace {

/// Where the console's registers are: physical in `device`, and the address the port uses for them
/// (device_offset | physical, valid in physical mode and, once Paging maps it, in virtual mode).
struct Uart {
  MemoryRange device{};
  uptr base = 0;
  unsigned shift = 0; // reg-shift: registers 2^shift bytes apart
};
Uart uart;

// ns16550 registers (in units of 2^reg-shift bytes) and bits.
constexpr unsigned thr = 0, ier = 1, fcr = 2, lcr = 3, mcr = 4, lsr = 5, dll = 0, dlm = 1;
constexpr u8 lsr_thr_empty = 0x20;
constexpr u8 lcr_8n1 = 0x03, lcr_dlab = 0x80;

void uart_write(unsigned reg, u8 value) {
  *reinterpret_cast<volatile u8*>(uart.base + (static_cast<uptr>(reg) << uart.shift)) = value;
}
u8 uart_read(unsigned reg) {
  return *reinterpret_cast<volatile u8*>(uart.base + (static_cast<uptr>(reg) << uart.shift));
}

u64 read_cells(const fdt32_t* cells, int count) {
  u64 value = 0;
  for (int i = 0; i < count; ++i) value = (value << 32) | fdt32_to_cpu(cells[i]);
  return value;
}

u64 number_property(const void* fdt, int node, const char* name) {
  int length = 0;
  const auto* value = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, name, &length));
  if (value == nullptr || (length != 4 && length != 8)) return 0;
  return read_cells(value, length / 4);
}

/// The node /chosen/stdout-path names (without its ":options"), else the first ns16550a.
int console_node(const void* fdt) {
  const int chosen = fdt_path_offset(fdt, "/chosen");
  if (chosen >= 0) {
    int length = 0;
    const auto* path = static_cast<const char*>(fdt_getprop(fdt, chosen, "stdout-path", &length));
    if (path != nullptr && length > 1) {
      int n = 0;
      while (n < length && path[n] != '\0' && path[n] != ':') ++n;
      const int node = fdt_path_offset_namelen(fdt, path, n);
      if (node >= 0) return node;
    }
  }
  return fdt_node_offset_by_compatible(fdt, -1, "ns16550a");
}

} // namespace

MemoryRange console_device() { return uart.device; }

} // namespace hv::ia64

namespace hv::port {
using namespace hv::ia64;

void Console::init() {
  const void* fdt = hv_ia64_board_dtb;
  if (fdt_check_header(fdt) != 0) return;
  const int node = console_node(fdt);
  if (node < 0) return;
  const int parent = fdt_parent_offset(fdt, node);
  const int address_cells = parent >= 0 ? fdt_address_cells(fdt, parent) : 2;
  const int size_cells = parent >= 0 ? fdt_size_cells(fdt, parent) : 1;
  int length = 0;
  const auto* reg = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, "reg", &length));
  if (reg == nullptr || address_cells < 1 || address_cells > 2 || size_cells < 0 || size_cells > 2 ||
      length < 4 * (address_cells + size_cells))
    return;
  const u64 pa = read_cells(reg, address_cells);
  const u64 size = size_cells > 0 ? read_cells(reg + address_cells, size_cells) : 8;
  uart.shift = static_cast<unsigned>(number_property(fdt, node, "reg-shift"));
  uart.device = MemoryRange{align_down(pa, Paging::page_size),
                            align_up(pa + size, Paging::page_size) - align_down(pa, Paging::page_size)};
  uart.base = static_cast<uptr>(device_offset | pa);

  uart_write(ier, 0);
  const u64 clock = number_property(fdt, node, "clock-frequency");
  const u64 baud = number_property(fdt, node, "current-speed");
  if (clock != 0 && baud != 0) {
    const u64 divisor = clock / (16 * baud);
    uart_write(lcr, lcr_dlab);
    uart_write(dll, static_cast<u8>(divisor & 0xff));
    uart_write(dlm, static_cast<u8>((divisor >> 8) & 0xff));
  }
  uart_write(lcr, lcr_8n1);
  uart_write(fcr, 0x07); // FIFOs on and cleared
  uart_write(mcr, 0x03); // DTR, RTS
}

void Console::write(const char* text, usize length) {
  if (uart.base == 0) return;
  for (usize i = 0; i < length; ++i) {
    if (text[i] == '\n') {
      while ((uart_read(lsr) & lsr_thr_empty) == 0) {
      }
      uart_write(thr, '\r');
    }
    while ((uart_read(lsr) & lsr_thr_empty) == 0) {
    }
    uart_write(thr, static_cast<u8>(text[i]));
  }
}

} // namespace hv::port

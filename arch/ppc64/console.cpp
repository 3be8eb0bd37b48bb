// SPDX-License-Identifier: Apache-2.0
// The console: OPAL's, which skiboot connects to the machine's serial port.
#include <port.hpp>

#include <ppc64/byte_order.hpp>
#include <ppc64/image.hpp>
#include <ppc64/opal.hpp>

namespace hv::port {
namespace {

// How often a write may make no progress before the text is dropped: firmware whose console stays
// busy must not hang the hypervisor (nor a panic that is trying to say why).
constexpr int max_stalls = 100000;
constexpr u64 terminal = 0;

void write_raw(const char* text, usize length) {
  int stalls = 0;
  while (length > 0 && stalls < max_stalls) {
    // In: how many bytes to write; out: how many OPAL took. Big-endian, as firmware reads it.
    u64 chunk = ppc64::to_big_endian(length);
    const i64 rc = ppc64::opal::call(ppc64::opal::token::console_write, terminal, ppc64::physical_address(&chunk),
                                     ppc64::physical_address(text));
    if (rc != ppc64::opal::success && rc != ppc64::opal::busy && rc != ppc64::opal::busy_event) return;
    u64 written = rc == ppc64::opal::success ? ppc64::from_big_endian(chunk) : 0;
    if (written > length) written = length;
    text += written;
    length -= written;
    if (written == 0) {
      ++stalls;
      ppc64::opal::call(ppc64::opal::token::poll_events, 0); // lets OPAL drain its buffer to the UART
    }
  }
}

} // namespace

// Nothing to do: OPAL's console is ready when skiboot starts the image.
void Console::init() {}

void Console::write(const char* text, usize length) {
  usize start = 0;
  for (usize i = 0; i < length; ++i) {
    if (text[i] != '\n') continue;
    write_raw(text + start, i - start);
    write_raw("\r\n", 2);
    start = i + 1;
  }
  write_raw(text + start, length - start);
}

} // namespace hv::port

// SPDX-License-Identifier: Apache-2.0
// console_io (18): (cmd, count, buffer), a guest's lines on the hypervisor's console.
// CONSOLEIO_write prints `count` bytes of the guest's buffer, each line prefixed with "(dN) ". Control
// characters other than newline and tab are shown as '.', so a guest cannot drive the terminal. -EFAULT
// when the buffer cannot be read (what was read before the fault is printed); -EINVAL, printing nothing,
// for more than max_console_write bytes in one call, which keeps the hypercall short: the family splits a
// long write into preemptible pieces instead, but its guests write a line or a few at a time.
// CONSOLEIO_read: -ENOSYS, there is no console input yet.
#include <hv/abi/hypercall.hpp>
#include <hv/console.hpp>

#include "hypercall_family.hpp"

namespace hv::hypercalls {
namespace {

/// The most one CONSOLEIO_write prints: 64 KiB, a few hundred lines.
constexpr u64 max_console_write = u64{64} * 1024;

void console_emit(Domain& d, const char* text, usize n) {
  char out[160];
  usize used = 0;
  auto flush = [&] {
    if (used != 0) console_write(out, used);
    used = 0;
  };
  for (usize i = 0; i < n; ++i) {
    if (!d.console_mid_line) {
      flush();
      print("(d{}) ", d.id);
      d.console_mid_line = true;
    }
    char c = text[i];
    if (c == '\n')
      d.console_mid_line = false;
    else if (c != '\t' && (c < 0x20 || c > 0x7e))
      c = '.';
    out[used++] = c;
    if (used == sizeof out) flush();
  }
  flush();
}

} // namespace

i64 console_io(HypercallEnv&, Domain& caller, Vcpu& vcpu, u64 cmd, u64 count, u64 buffer) {
  if (cmd != abi::consoleio::write) return enosys;
  count &= 0xffff'ffff; // an unsigned int in the ABI
  if (count > max_console_write) return einval;
  const GuestMemory guest(vcpu);
  char chunk[128];
  for (u64 done = 0; done < count;) {
    const usize n = static_cast<usize>(count - done < sizeof chunk ? count - done : sizeof chunk);
    u64 at = 0;
    if (!GuestMemory::element(buffer, done, 1, at) || !guest.copy_from(at, chunk, n)) return efault;
    console_emit(caller, chunk, n);
    done += n;
  }
  return 0;
}

} // namespace hv::hypercalls

// SPDX-License-Identifier: Apache-2.0
// hello: the smallest well-behaved guest. Checks the hypervisor's version, prints through console_io
// and through the emulated serial port where the architecture has one, has a bad buffer refused, and
// powers off. With "bench" on its command line it also times a null hypercall and a trapped instruction.
#include "../lib/guest.hpp"

namespace guest {

namespace {
constexpr ulong beyond_memory = 0xf000'0000; // far past any test guest's RAM

// Round trips timed back to back; the figure is the same every run under -icount.
u64 time_hypercall() {
  const u64 start = arch::timestamp();
  hypercall(hv::abi::hypercall::xen_version, hv::abi::xenver::version);
  return arch::timestamp() - start;
}
u64 time_trapped_instruction() {
  const u64 start = arch::timestamp();
  arch::trapped_instruction();
  return arch::timestamp() - start;
}
} // namespace

void guest_main() {
  const long version = hypercall(hv::abi::hypercall::xen_version, hv::abi::xenver::version);
  expect("xen_version", version, (4 << 16) | 17);
  Line() << "hello from guest (hypervisor " << (version >> 16) << "." << (version & 0xffff) << ")";
  if (arch::serial_write("hello via the serial port\n")) Line() << "hello: serial port written";
  const char debug[] = "hello via the debug port\n";
  if (arch::debug_port_write(debug, sizeof debug - 1)) Line() << "hello: debug port written";

  const char text[] = "never printed";
  expect("console_io with a buffer outside memory",
         hypercall(hv::abi::hypercall::console_io, hv::abi::consoleio::write, sizeof text, beyond_memory),
         static_cast<i64>(hv::Err::fault));

  if (has_option("bench")) {
    time_hypercall(); // the first call warms nothing here, but keeps the two timed ones alike
    Line() << "bench: null hypercall round trip " << time_hypercall();
    time_trapped_instruction();
    Line() << "bench: trapped instruction round trip " << time_trapped_instruction();
  }
  Line() << "hello: done, powering off";
}

} // namespace guest

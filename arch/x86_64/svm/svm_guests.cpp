// The test guests built into the x86_64 image (tests/guests/x86/), for Virtualization::builtin_guest.
#include <port.hpp>

extern "C" {
extern const hv::u8 hv_guest_hello_start[];
extern const hv::u8 hv_guest_hello_end[];
}

namespace hv::port {
namespace {
// Where tests/guests/x86/hello.S is assembled to run (its GUEST_LOAD), and the PC's COM1 it writes to.
constexpr PhysAddr hello_load_gpa = 0x10000;
constexpr u32 com1_port = 0x3f8;
} // namespace

bool Virtualization::builtin_guest(StrView wanted, GuestImage& image) {
  if (wanted == StrView("hello")) {
    image.bytes = hv_guest_hello_start;
    image.size = static_cast<usize>(hv_guest_hello_end - hv_guest_hello_start);
    image.load_gpa = hello_load_gpa;
    image.entry = hello_load_gpa;
    image.console_port = com1_port;
    return true;
  }
  return false;
}

} // namespace hv::port

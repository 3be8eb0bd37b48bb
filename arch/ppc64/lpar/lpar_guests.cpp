// The test guests built into the ppc64 image (tests/guests/ppc64/), for Virtualization::builtin_guest.
#include "lpar_state.hpp"

extern "C" {
extern const hv::u8 hv_guest_hello_start[];
extern const hv::u8 hv_guest_hello_end[];
}

namespace hv::port {
namespace {
// Where tests/guests/ppc64/hello.S is meant to run: above the guest's own real-mode vectors (0-0x1000).
constexpr PhysAddr hello_load_gpa = 0x10000;
} // namespace

bool Virtualization::builtin_guest(StrView wanted, GuestImage& image) {
  if (wanted == StrView("hello")) {
    image.bytes = hv_guest_hello_start;
    image.size = static_cast<usize>(hv_guest_hello_end - hv_guest_hello_start);
    image.load_gpa = hello_load_gpa;
    image.entry = hello_load_gpa;
    image.console_port = 0; // no emulated UART: POWER has no port I/O
    return true;
  }
  return false;
}

} // namespace hv::port

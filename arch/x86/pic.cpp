// SPDX-License-Identifier: Apache-2.0
#include <x86/io.hpp>
#include <x86/pic.hpp>

namespace hv::x86::pic {
namespace {

constexpr u16 primary_command = 0x20;
constexpr u16 primary_data = 0x21;
constexpr u16 secondary_command = 0xa0;
constexpr u16 secondary_data = 0xa1;

constexpr u8 icw1_init_with_icw4 = 0x11;
constexpr u8 icw3_secondary_on_line_2 = 0x04; // to the primary: which line has the secondary
constexpr u8 icw3_cascade_identity_2 = 0x02;  // to the secondary: its line on the primary
constexpr u8 icw4_8086_mode = 0x01;
constexpr u8 all_lines_masked = 0xff;

} // namespace

void remap_and_mask_all(u8 first_vector) {
  outb(primary_command, icw1_init_with_icw4);
  outb(secondary_command, icw1_init_with_icw4);
  outb(primary_data, first_vector);
  outb(secondary_data, static_cast<u8>(first_vector + 8));
  outb(primary_data, icw3_secondary_on_line_2);
  outb(secondary_data, icw3_cascade_identity_2);
  outb(primary_data, icw4_8086_mode);
  outb(secondary_data, icw4_8086_mode);
  outb(primary_data, all_lines_masked);
  outb(secondary_data, all_lines_masked);
}

} // namespace hv::x86::pic

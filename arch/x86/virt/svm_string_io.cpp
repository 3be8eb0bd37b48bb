// SPDX-License-Identifier: Apache-2.0
// String port I/O (OUTS, INS, with or without REP), one element per exit: what a guest's early console
// uses (Linux writes its first lines to the family's debug port with `rep outsb`). The element moves
// between the guest's memory and the ordinary port_io exit, which common code handles as any OUT or IN;
// with REP, the instruction stays at its place until the count runs out, as the CPU itself may
// interrupt it between elements. Segments are taken as flat (a PVH guest's, and long mode's); an element
// split across two pages is refused.
#include "svm_state.hpp"

#include <string.h>

namespace hv::x86::svm {
namespace {

constexpr u64 ioio_rep = 1u << 3;
constexpr u64 ioio_address16 = 1u << 7;
constexpr u64 ioio_address32 = 1u << 8;
constexpr u64 rflags_direction = 1u << 10;

} // namespace

bool begin_string_io(port::Virtualization::Vcpu& vcpu, GuestExit& exit) {
  Vmcb& vmcb = *vcpu.vmcb;
  GuestRegisters& r = vcpu.registers;
  const u64 info = vmcb.control.exit_info1;
  const u64 mask = (info & ioio_address16) != 0 ? 0xffff : (info & ioio_address32) != 0 ? 0xffff'ffff : ~u64{0};
  const bool rep = (info & ioio_rep) != 0;
  if (rep && (r.rcx & mask) == 0) return false; // nothing to move: not an I/O at all
  u64& index = exit.io.write ? r.rsi : r.rdi;
  const u64 linear = index & mask;
  if (exit.io.write) {
    const u8* source = guest_linear(vcpu, linear, exit.io.size, false);
    if (source == nullptr) return false;
    exit.io.value = 0;
    memcpy(&exit.io.value, source, exit.io.size);
  } else {
    vcpu.string_in_to = linear; // complete() stores the value there
  }
  const u64 step = (vmcb.state.rflags & rflags_direction) != 0 ? -u64{exit.io.size} : u64{exit.io.size};
  index = (index & ~mask) | ((index + step) & mask);
  bool again = false;
  if (rep) {
    r.rcx = (r.rcx & ~mask) | ((r.rcx - 1) & mask);
    again = (r.rcx & mask) != 0;
  }
  vmcb.state.rip = again ? vmcb.state.rip : vmcb.control.exit_info2;
  vmcb.control.interrupt_shadow = 0;
  return true;
}

void finish_string_in(port::Virtualization::Vcpu& vcpu, const GuestExit& done) {
  u8* target = guest_linear(vcpu, vcpu.string_in_to, done.io.size, true);
  if (target != nullptr) memcpy(target, &done.result[0], done.io.size); // little-endian: the low bytes
}

} // namespace hv::x86::svm

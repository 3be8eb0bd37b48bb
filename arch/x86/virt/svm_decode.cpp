// SPDX-License-Identifier: Apache-2.0
// The few instructions the backend settles alone and must read to do so (svm_state.hpp): QEMU has no
// decode assists and no NRIP save, so their length and operands come from their bytes at the guest's pc,
// read through its own page tables.
#include "svm_state.hpp"

namespace hv::x86::svm {
namespace {

constexpr u64 longest_instruction = 15;

bool guest_byte(const port::Virtualization::Vcpu& vcpu, u64 linear, u8& out) {
  const u8* byte = guest_linear(vcpu, linear, 1, false);
  if (byte == nullptr) return false;
  out = *byte;
  return true;
}

// Operand size, address size, repeat, lock and segment prefixes: none changes what is read here.
bool legacy_prefix(u8 byte) {
  switch (byte) {
  case 0x66:
  case 0x67:
  case 0xf0:
  case 0xf2:
  case 0xf3:
  case 0x2e:
  case 0x36:
  case 0x3e:
  case 0x26:
  case 0x64:
  case 0x65: return true;
  default: return false;
  }
}

} // namespace

bool read_two_byte_instruction(const port::Virtualization::Vcpu& vcpu, bool has_modrm, TwoByteInstruction& out) {
  // Outside 64-bit code the code segment's base counts: real mode's is the selector times 16 (a vCPU
  // a startup IPI started runs there first), protected mode's the descriptor's.
  const Vmcb& vmcb = *vcpu.vmcb;
  const u64 pc = in_64bit_mode(vmcb) ? vmcb.state.rip : (vmcb.state.cs.base + vmcb.state.rip) & 0xffff'ffff;
  out.rex = 0;
  for (u64 at = 0; at < longest_instruction; ++at) {
    u8 byte = 0;
    if (!guest_byte(vcpu, pc + at, byte)) return false;
    if (byte >= 0x40 && byte <= 0x4f) { // REX, which counts only in 64-bit mode and only last; kept anyway
      out.rex = byte & 0xf;
      continue;
    }
    if (legacy_prefix(byte)) continue;
    if (byte != 0x0f || !guest_byte(vcpu, pc + at + 1, out.opcode)) return false;
    out.modrm = 0;
    if (has_modrm && !guest_byte(vcpu, pc + at + 2, out.modrm)) return false;
    out.length = at + (has_modrm ? 3 : 2);
    return out.length <= longest_instruction;
  }
  return false;
}

u64& general_register(port::Virtualization::Vcpu& vcpu, u32 index) {
  GuestRegisters& r = vcpu.registers;
  u64* const in_block[16] = {nullptr, &r.rcx, &r.rdx, &r.rbx, nullptr, &r.rbp, &r.rsi, &r.rdi,
                             &r.r8,   &r.r9,  &r.r10, &r.r11, &r.r12,  &r.r13, &r.r14, &r.r15};
  if (index == 0) return vcpu.vmcb->state.rax;
  if (index == 4) return vcpu.vmcb->state.rsp;
  return *in_block[index & 15];
}

} // namespace hv::x86::svm

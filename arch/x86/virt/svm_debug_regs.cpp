// SPDX-License-Identifier: Apache-2.0
// The debug address registers DR0-DR3, which no VMCB field holds: each vCPU keeps its own, and no guest
// reads, or breaks on, another's. MOV to and from DR0-DR3 and MOV to DR7 are intercepted; reads are
// answered from the vCPU's copy, writes go into it (DR7 into the VMCB, where VMRUN loads it), and the
// copy is loaded into the CPU before an entry whose DR7 enables a breakpoint, unless the CPU holds it
// already. A guest that never enables one costs one test per entry. DR6 and DR7 are the VMCB's.
//
// QEMU has no decode assists: the instruction (0f 21 /r: MOV reg, DRn; 0f 23 /r: MOV DRn, reg, with
// optional prefixes) is read at the guest's pc, through its own page tables.
#include "svm_state.hpp"

namespace hv::x86::svm {
namespace {

constexpr u64 exit_write_dr7 = exit_write_dr0 + 7;
constexpr u64 dr7_reserved_one = 0x400; // bit 10 reads as one
constexpr u64 dr7_kept = 0xffff'23ff;   // enables, LE/GE, GD, the breakpoints' conditions and lengths

// The byte at the guest's linear `linear`; false when its tables or the domain's do not map it.
bool guest_byte(const port::Virtualization::Vcpu& vcpu, u64 linear, u8& out) {
  const u8* byte = guest_linear(vcpu, linear, 1, false);
  if (byte == nullptr) return false;
  out = *byte;
  return true;
}

// The general register `index` (the instruction encoding's: 0 RAX, 1 RCX, ... 15 R15).
u64& general_register(port::Virtualization::Vcpu& vcpu, u32 index) {
  GuestRegisters& r = vcpu.registers;
  u64* const in_block[16] = {nullptr, &r.rcx, &r.rdx, &r.rbx, nullptr, &r.rbp, &r.rsi, &r.rdi,
                             &r.r8,   &r.r9,  &r.r10, &r.r11, &r.r12,  &r.r13, &r.r14, &r.r15};
  if (index == 0) return vcpu.vmcb->state.rax;
  if (index == 4) return vcpu.vmcb->state.rsp;
  return *in_block[index];
}

// The MOV's general register and length, from its bytes at the guest's pc: prefixes, 0f, 21 or 23, ModRM.
bool decode_mov_dr(const port::Virtualization::Vcpu& vcpu, u32& gpr, u64& length) {
  const u64 pc = vcpu.vmcb->state.rip;
  u32 rex_b = 0;
  for (u64 at = 0; at < 15; ++at) {
    u8 byte = 0;
    if (!guest_byte(vcpu, pc + at, byte)) return false;
    if (byte >= 0x40 && byte <= 0x4f) { // REX: only B (the register operand's high bit) matters
      rex_b = (byte & 1) << 3;
      continue;
    }
    if (byte == 0x66 || byte == 0x67 || byte == 0xf2 || byte == 0xf3 || byte == 0x2e || byte == 0x36 || byte == 0x3e ||
        byte == 0x26 || byte == 0x64 || byte == 0x65)
      continue; // operand size, address size, repeat and segment prefixes change nothing here
    u8 opcode = 0, modrm = 0;
    if (byte != 0x0f || !guest_byte(vcpu, pc + at + 1, opcode) || !guest_byte(vcpu, pc + at + 2, modrm)) return false;
    if ((opcode != 0x21 && opcode != 0x23) || (modrm >> 6) != 3) return false;
    gpr = (modrm & 7) | rex_b;
    length = at + 3;
    return true;
  }
  return false;
}

} // namespace

bool settle_debug_register(port::Virtualization::Vcpu& vcpu) {
  Vmcb& vmcb = *vcpu.vmcb;
  const u64 code = vmcb.control.exit_code;
  u32 gpr = 0;
  u64 length = 0;
  if (!decode_mov_dr(vcpu, gpr, length)) return false;
  u64& reg = general_register(vcpu, gpr);
  // Outside 64-bit mode the register is 32 bits wide.
  const u64 width =
      (vmcb.state.efer & efer_lma) != 0 && (vmcb.state.cs.attributes & 1u << 9) != 0 ? ~u64{0} : 0xffff'ffff;
  if (code >= exit_read_dr0 && code < exit_read_dr0 + 4) {
    reg = vcpu.debug_address[code - exit_read_dr0] & width;
  } else if (code >= exit_write_dr0 && code < exit_write_dr0 + 4) {
    vcpu.debug_address[code - exit_write_dr0] = reg & width;
    if (this_cpu().debug_owner == &vcpu) this_cpu().debug_owner = nullptr; // the CPU's copy is stale now
  } else if (code == exit_write_dr7) {
    if (reg >> 32 != 0) return false; // bits 63:32 must be zero; the other reserved bits read as fixed
    vmcb.state.dr7 = (reg & dr7_kept) | dr7_reserved_one;
  } else {
    return false;
  }
  vmcb.state.rip += length;
  vmcb.control.interrupt_shadow = 0;
  return true;
}

// A vCPU that wrote DR0-DR3 on another CPU since it last ran here is no longer this CPU's owner: arrive()
// (svm_run.cpp) drops it when it comes back.
void load_debug_registers(const port::Virtualization::Vcpu& vcpu) {
  const port::Virtualization::Vcpu*& debug_owner = this_cpu().debug_owner;
  if (debug_owner == &vcpu) return;
  asm volatile("mov %0, %%db0" : : "r"(vcpu.debug_address[0]));
  asm volatile("mov %0, %%db1" : : "r"(vcpu.debug_address[1]));
  asm volatile("mov %0, %%db2" : : "r"(vcpu.debug_address[2]));
  asm volatile("mov %0, %%db3" : : "r"(vcpu.debug_address[3]));
  debug_owner = &vcpu;
}

// It runs nowhere now, so every CPU's record may be cleared: the CPU that holds it compares, never uses it.
void forget_debug_registers(const port::Virtualization::Vcpu& vcpu) {
  for (CpuState& cpu : cpus)
    if (__atomic_load_n(&cpu.debug_owner, __ATOMIC_RELAXED) == &vcpu)
      __atomic_store_n(&cpu.debug_owner, nullptr, __ATOMIC_RELAXED);
}

} // namespace hv::x86::svm

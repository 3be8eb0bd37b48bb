// SPDX-License-Identifier: Apache-2.0
// The debug address registers DR0-DR3, which no VMCB field holds: each vCPU keeps its own, and no guest
// reads, or breaks on, another's. MOV to and from DR0-DR3 and MOV to DR7 are intercepted; reads are
// answered from the vCPU's copy, writes go into it (DR7 into the VMCB, where VMRUN loads it), and the
// copy is loaded into the CPU before an entry whose DR7 enables a breakpoint, unless the CPU holds it
// already. A guest that never enables one costs one test per entry. DR6 and DR7 are the VMCB's.
#include "svm_state.hpp"

namespace hv::x86::svm {
namespace {

constexpr u64 exit_write_dr7 = exit_write_dr0 + 7;
constexpr u64 dr7_reserved_one = 0x400; // bit 10 reads as one
constexpr u64 dr7_kept = 0xffff'23ff;   // enables, LE/GE, GD, the breakpoints' conditions and lengths

// The MOV's general register and length: 0f 21 /r (MOV reg, DRn) or 0f 23 /r (MOV DRn, reg).
bool decode_mov_dr(const port::Virtualization::Vcpu& vcpu, u32& gpr, u64& length) {
  TwoByteInstruction insn;
  if (!read_two_byte_instruction(vcpu, true, insn)) return false;
  if ((insn.opcode != 0x21 && insn.opcode != 0x23) || (insn.modrm >> 6) != 3) return false;
  gpr = (insn.modrm & 7) | (insn.rex & 1u) << 3;
  length = insn.length;
  return true;
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
  const u64 width = in_64bit_mode(vmcb) ? ~u64{0} : 0xffff'ffff;
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

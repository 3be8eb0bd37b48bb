// SPDX-License-Identifier: Apache-2.0
// The control-register and cache instructions the backend intercepts and settles alone: MOV to CR4
// (judged by x86/guest_cr4.hpp), and INVD and WBINVD, which would reach the machine's caches: INVD
// drops lines other domains and the hypervisor have written, WBINVD stalls every CPU sharing the cache.
// Both complete as no-ops, as the family's HVM guests see them: guest memory is coherent, and a guest
// has no device whose DMA would need the caches written back.
#include "svm_state.hpp"

#include <x86/guest_cr4.hpp>
#include <x86/instructions.hpp>

namespace hv::x86::svm {
namespace {

constexpr u8 opcode_mov_to_cr = 0x22;
constexpr u8 opcode_invd = 0x08;
constexpr u8 opcode_wbinvd = 0x09; // also WBNOINVD, with an F3 prefix
constexpr u32 cr4_number = 4;

void step_over(Vmcb& vmcb, u64 length) {
  vmcb.state.rip += length;
  vmcb.control.interrupt_shadow = 0;
}

} // namespace

bool settle_cr4_write(port::Virtualization::Vcpu& vcpu) {
  Vmcb& vmcb = *vcpu.vmcb;
  TwoByteInstruction insn;
  if (!read_two_byte_instruction(vcpu, true, insn) || insn.opcode != opcode_mov_to_cr) return false;
  if ((((insn.modrm >> 3) & 7) | (insn.rex & 4u) << 1) != cr4_number) return false;
  u64 value = general_register(vcpu, (insn.modrm & 7) | (insn.rex & 1u) << 3);
  if (!in_64bit_mode(vmcb)) value &= 0xffff'ffff;
  const CpuidResult features = cpuid(1), extended = cpuid(7, 0);
  const Cr4Write w = judge_cr4_write(vmcb.state.cr4, value, vmcb.state.efer, vmcb.state.cr3,
                                     guest_cr4_bits(features.ecx, extended.ebx, extended.ecx));
  if (!w.allowed) return false;
  vmcb.state.cr4 = value;
  if (w.flush_tlb) vcpu.generation = ~u64{0}; // the next entry flushes its ASID (renew_tlb)
  step_over(vmcb, insn.length);
  return true;
}

bool settle_cache_instruction(port::Virtualization::Vcpu& vcpu) {
  TwoByteInstruction insn;
  if (!read_two_byte_instruction(vcpu, false, insn) || (insn.opcode != opcode_invd && insn.opcode != opcode_wbinvd))
    return false;
  step_over(*vcpu.vmcb, insn.length);
  return true;
}

} // namespace hv::x86::svm

// SPDX-License-Identifier: Apache-2.0
// Virtualization::initialise_vcpu: VCPUOP_initialise's vcpu_hvm_context (hv/abi/hvm_vcpu.hpp) into a
// vCPU's VMCB and saved registers, 32-bit protected mode with the segments the record gives, or long mode
// with flat ones, as the family starts an HVM or PVH guest's secondary vCPU.
#include "svm_state.hpp"

#include <hv/abi/hvm_vcpu.hpp>
#include <hv/string.hpp>

namespace hv::port {
namespace {

constexpr u64 cr0_protection = 1u << 0;
constexpr u64 cr0_extension_type = 1u << 4;
constexpr u64 cr0_paging = 1ull << 31;
constexpr u64 cr4_pae = 1u << 5;
constexpr u64 rflags_reserved_one = 1u << 1;
constexpr u16 code_selector = 0x08; // what create_vcpu's PVH start uses: the record names no selectors
constexpr u16 data_selector = 0x10;
constexpr u16 attr_code64 = 0xa9b; // present, ring 0, execute/read, accessed; L, 4 KiB granular
constexpr u16 attr_data = 0xc93;   // present, ring 0, read/write, accessed; 4 KiB granular, 32-bit
constexpr u16 attr_task_state = 0x08b;
constexpr u16 ar_present = 1u << 7;
constexpr u16 ar_unused = 0xf000; // bits 12-15 must be clear

// Paging needs protection on, and long mode (LME with paging) needs PAE: a CPU refuses anything else.
bool consistent(u64 cr0, u64 cr4, u64 efer) {
  if ((cr0 & cr0_paging) != 0 && (cr0 & cr0_protection) == 0) return false;
  return (efer & x86::efer_lme) == 0 || (cr0 & cr0_paging) == 0 || (cr4 & cr4_pae) != 0;
}

// The registers both modes give, in the records' common order, widened.
struct Registers {
  u64 ax, cx, dx, bx, sp, bp, si, di, ip, flags, cr0, cr3, cr4, efer;
};

void load(Virtualization::Vcpu& vcpu, const Registers& r) {
  x86::VmcbState& s = vcpu.vmcb->state;
  s.cr0 = r.cr0 | cr0_extension_type;
  s.cr3 = r.cr3;
  s.cr4 = r.cr4;
  s.efer = r.efer | x86::efer_svme; // VMRUN insists; the guest never sees it (svm_vcpu.cpp)
  s.rip = r.ip;
  s.rsp = r.sp;
  s.rax = r.ax;
  s.rflags = r.flags | rflags_reserved_one;
  x86::GuestRegisters& g = vcpu.registers;
  g = x86::GuestRegisters{};
  g.rbx = r.bx;
  g.rcx = r.cx;
  g.rdx = r.dx;
  g.rsi = r.si;
  g.rdi = r.di;
  g.rbp = r.bp;
}

bool start_32(Virtualization::Vcpu& vcpu, const abi::VcpuHvmX86_32& r) {
  if ((r.cr0 & cr0_protection) == 0 || !consistent(r.cr0, r.cr4, r.efer)) return false;
  if (((r.cs_ar | r.ds_ar | r.ss_ar | r.es_ar | r.tr_ar) & ar_unused) != 0) return false;
  if ((r.cs_ar & ar_present) == 0) return false;
  x86::VmcbState& s = vcpu.vmcb->state;
  s.cs = x86::VmcbSegment{code_selector, r.cs_ar, r.cs_limit, r.cs_base};
  s.ds = x86::VmcbSegment{data_selector, r.ds_ar, r.ds_limit, r.ds_base};
  s.ss = x86::VmcbSegment{data_selector, r.ss_ar, r.ss_limit, r.ss_base};
  s.es = x86::VmcbSegment{data_selector, r.es_ar, r.es_limit, r.es_base};
  s.fs = s.gs = s.ds;
  s.tr = r.tr_ar != 0 ? x86::VmcbSegment{0, r.tr_ar, r.tr_limit, r.tr_base}
                      : x86::VmcbSegment{0, attr_task_state, 0x67, 0};
  s.cpl = static_cast<u8>((r.ss_ar >> 5) & 3);
  load(vcpu, {r.eax, r.ecx, r.edx, r.ebx, r.esp, r.ebp, r.esi, r.edi, r.eip, r.eflags, r.cr0, r.cr3, r.cr4, r.efer});
  return true;
}

bool start_64(Virtualization::Vcpu& vcpu, const abi::VcpuHvmX86_64& r) {
  // Long mode: protection and paging on, PAE, LME (LMA follows from them).
  if ((r.cr0 & (cr0_protection | cr0_paging)) != (cr0_protection | cr0_paging) || (r.cr4 & cr4_pae) == 0 ||
      (r.efer & x86::efer_lme) == 0)
    return false;
  x86::VmcbState& s = vcpu.vmcb->state;
  s.cs = x86::VmcbSegment{code_selector, attr_code64, 0xffff'ffff, 0};
  s.ds = s.es = s.ss = s.fs = s.gs = x86::VmcbSegment{data_selector, attr_data, 0xffff'ffff, 0};
  s.tr = x86::VmcbSegment{0, attr_task_state, 0x67, 0};
  s.cpl = 0;
  load(vcpu, {r.rax, r.rcx, r.rdx, r.rbx, r.rsp, r.rbp, r.rsi, r.rdi, r.rip, r.rflags, r.cr0, r.cr3, r.cr4,
              r.efer | x86::efer_lma});
  return true;
}

} // namespace

static_assert(Virtualization::vcpu_context_bytes == sizeof(abi::VcpuHvmContext));

bool Virtualization::initialise_vcpu(Vcpu& vcpu, const u8* context) {
  if (vcpu.vmcb == nullptr) return false; // create_vcpu never made it (a domain still being built by domctl)
  abi::VcpuHvmContext c;
  memcpy(&c, context, sizeof c);
  if (c.mode == abi::vcpu_hvm_mode::bits32) return start_32(vcpu, c.regs.x86_32);
  if (c.mode == abi::vcpu_hvm_mode::bits64) return start_64(vcpu, c.regs.x86_64);
  return false;
}

} // namespace hv::port

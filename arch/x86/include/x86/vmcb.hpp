// SPDX-License-Identifier: Apache-2.0
// The SVM virtual machine control block: one 4 KiB page per vCPU, the control area (what to intercept,
// where the guest's tables are, why it exited) at 0 and the guest's state save area at 0x400. Offsets are
// the AMD64 APM vol. 2, appendix B (tables B-1 and B-2); each field's offset is asserted below so that a
// slip in the padding shows at compile time. The same layout serves both x86 modes: every field is fixed
// width.
#pragma once

#include <hv/types.hpp>

namespace hv::x86 {

/// A segment as VMRUN loads it: the selector, the descriptor's attribute bits packed into 12 bits
/// (descriptor bits 40-47 as bits 0-7, bits 52-55 as bits 8-11), limit and base.
struct VmcbSegment {
  u16 selector;
  u16 attributes;
  u32 limit;
  u64 base;
};
static_assert(sizeof(VmcbSegment) == 16);

struct VmcbControl {
  u32 intercept_cr;         // 0x000: reads in bits 0-15, writes in 16-31
  u32 intercept_dr;         // 0x004
  u32 intercept_exceptions; // 0x008: one bit per vector
  u32 intercept_misc1;      // 0x00c: INTR, ..., CPUID, HLT, IOIO, MSR, SHUTDOWN
  u32 intercept_misc2;      // 0x010: VMRUN, VMMCALL, ...
  u32 intercept_misc3;      // 0x014
  u8 reserved_018[0x03c - 0x018];
  u16 pause_filter_threshold; // 0x03c
  u16 pause_filter_count;     // 0x03e
  u64 iopm_base_pa;           // 0x040
  u64 msrpm_base_pa;          // 0x048
  u64 tsc_offset;             // 0x050
  u32 guest_asid;             // 0x058
  u8 tlb_control;             // 0x05c
  u8 reserved_05d[3];
  u64 virtual_interrupt;   // 0x060: V_TPR, V_IRQ, ..., V_INTR_MASKING (bit 24)
  u64 interrupt_shadow;    // 0x068
  u64 exit_code;           // 0x070
  u64 exit_info1;          // 0x078
  u64 exit_info2;          // 0x080
  u64 exit_interrupt_info; // 0x088
  u64 nested_control;      // 0x090: bit 0 enables nested paging
  u64 avic_apic_bar;       // 0x098
  u64 ghcb_pa;             // 0x0a0
  u64 event_injection;     // 0x0a8
  u64 nested_cr3;          // 0x0b0
  u64 virtualization_ext;  // 0x0b8: LBR virtualization, virtual VMSAVE/VMLOAD
  u32 clean_bits;          // 0x0c0
  u32 reserved_0c4;
  u64 next_rip;             // 0x0c8: stays 0 under QEMU (no NRIP save)
  u8 instruction_length;    // 0x0d0: decode assists, not emulated by QEMU
  u8 instruction_bytes[15]; // 0x0d1
  u8 reserved_0e0[0x400 - 0x0e0];
};

struct VmcbState {
  VmcbSegment es, cs, ss, ds, fs, gs; // 0x000-0x05f
  VmcbSegment gdtr, ldtr, idtr, tr;   // 0x060-0x09f
  u8 reserved_0a0[0x0cb - 0x0a0];
  u8 cpl; // 0x0cb
  u32 reserved_0cc;
  u64 efer; // 0x0d0
  u8 reserved_0d8[0x148 - 0x0d8];
  u64 cr4;    // 0x148
  u64 cr3;    // 0x150
  u64 cr0;    // 0x158
  u64 dr7;    // 0x160
  u64 dr6;    // 0x168
  u64 rflags; // 0x170
  u64 rip;    // 0x178
  u8 reserved_180[0x1d8 - 0x180];
  u64 rsp;                                     // 0x1d8
  u64 s_cet, ssp, isst_addr;                   // 0x1e0
  u64 rax;                                     // 0x1f8
  u64 star, lstar, cstar, sfmask;              // 0x200
  u64 kernel_gs_base;                          // 0x220
  u64 sysenter_cs, sysenter_esp, sysenter_eip; // 0x228
  u64 cr2;                                     // 0x240
  u8 reserved_248[0x268 - 0x248];
  u64 guest_pat;                                            // 0x268
  u64 debug_control;                                        // 0x270
  u64 branch_from, branch_to, exception_from, exception_to; // 0x278
  u8 reserved_298[0xc00 - 0x298];
};

struct Vmcb {
  VmcbControl control;
  VmcbState state;
};

#define HV_VMCB_AT(member, offset) static_assert(__builtin_offsetof(Vmcb, member) == (offset), "VMCB: " #member)
HV_VMCB_AT(control.intercept_misc1, 0x00c);
HV_VMCB_AT(control.intercept_misc2, 0x010);
HV_VMCB_AT(control.iopm_base_pa, 0x040);
HV_VMCB_AT(control.msrpm_base_pa, 0x048);
HV_VMCB_AT(control.guest_asid, 0x058);
HV_VMCB_AT(control.tlb_control, 0x05c);
HV_VMCB_AT(control.virtual_interrupt, 0x060);
HV_VMCB_AT(control.exit_code, 0x070);
HV_VMCB_AT(control.exit_info1, 0x078);
HV_VMCB_AT(control.exit_info2, 0x080);
HV_VMCB_AT(control.exit_interrupt_info, 0x088);
HV_VMCB_AT(control.nested_control, 0x090);
HV_VMCB_AT(control.event_injection, 0x0a8);
HV_VMCB_AT(control.nested_cr3, 0x0b0);
HV_VMCB_AT(control.clean_bits, 0x0c0);
HV_VMCB_AT(control.next_rip, 0x0c8);
HV_VMCB_AT(state.es, 0x400);
HV_VMCB_AT(state.cs, 0x410);
HV_VMCB_AT(state.gdtr, 0x460);
HV_VMCB_AT(state.tr, 0x490);
HV_VMCB_AT(state.cpl, 0x4cb);
HV_VMCB_AT(state.efer, 0x4d0);
HV_VMCB_AT(state.cr4, 0x548);
HV_VMCB_AT(state.cr3, 0x550);
HV_VMCB_AT(state.cr0, 0x558);
HV_VMCB_AT(state.dr7, 0x560);
HV_VMCB_AT(state.dr6, 0x568);
HV_VMCB_AT(state.rflags, 0x570);
HV_VMCB_AT(state.rip, 0x578);
HV_VMCB_AT(state.rsp, 0x5d8);
HV_VMCB_AT(state.rax, 0x5f8);
HV_VMCB_AT(state.star, 0x600);
HV_VMCB_AT(state.kernel_gs_base, 0x620);
HV_VMCB_AT(state.cr2, 0x640);
HV_VMCB_AT(state.guest_pat, 0x668);
#undef HV_VMCB_AT
static_assert(sizeof(Vmcb) == 4096, "a VMCB is one page");

// Intercept bits (APM vol. 2, 15.9-15.14 and table B-1).
inline constexpr u32 intercept1_intr = 1u << 0;
inline constexpr u32 intercept1_cpuid = 1u << 18;
inline constexpr u32 intercept1_invd = 1u << 22;
inline constexpr u32 intercept1_hlt = 1u << 24;
inline constexpr u32 intercept1_invlpga = 1u << 26;
inline constexpr u32 intercept1_ioio = 1u << 27;
inline constexpr u32 intercept1_msr = 1u << 28;
inline constexpr u32 intercept1_shutdown = 1u << 31;
inline constexpr u32 intercept2_vmrun = 1u << 0; // VMRUN refuses a VMCB without it
inline constexpr u32 intercept2_vmmcall = 1u << 1;
inline constexpr u32 intercept2_vmload = 1u << 2;
inline constexpr u32 intercept2_vmsave = 1u << 3;
inline constexpr u32 intercept2_stgi = 1u << 4;
inline constexpr u32 intercept2_clgi = 1u << 5;
inline constexpr u32 intercept2_skinit = 1u << 6;
inline constexpr u32 intercept2_wbinvd = 1u << 9;
inline constexpr u32 intercept2_xsetbv = 1u << 13;
inline constexpr u32 intercept_cr_write_cr4 = 1u << (16 + 4);

inline constexpr u64 virtual_interrupt_masking = 1ull << 24; // guest IF masks only virtual interrupts
inline constexpr u64 virtual_interrupt_request = 1ull << 8;  // V_IRQ: a virtual interrupt is pending
inline constexpr u64 virtual_interrupt_ignore_tpr = 1ull << 20;
inline constexpr u64 virtual_interrupt_priority_shift = 16;
inline constexpr u64 virtual_interrupt_vector_shift = 32;
inline constexpr u64 nested_paging_enable = 1ull << 0;
inline constexpr u8 tlb_flush_all = 1;

// EVENTINJ, and EXITINTINFO in the same format (APM vol. 2, "Event Injection"): vector in bits 0-7.
inline constexpr u64 event_valid = 1ull << 31;
inline constexpr u64 event_error_code_valid = 1ull << 11;
inline constexpr u64 event_type_mask = 7ull << 8;
inline constexpr u64 event_type_interrupt = 0;
inline constexpr u64 event_type_exception = 3ull << 8;

/// The EVENTINJ that delivers again an event an exit interrupted on its way into the guest
/// (`interrupted`, EXITINTINFO, valid), given the virtual interrupt line (`line`) after the exit; 0 when
/// none is needed. An external interrupt is one the line was delivering (nothing else injects one).
/// QEMU reports it as an exception of its vector (type 3), which its own VMRUN refuses above vector 31
/// (VMEXIT_INVALID: the guest would be lost), and leaves V_IRQ set, so that the line delivers it again
/// by itself; hardware reports type 0 and may have cleared the line, and then it is injected as an
/// interrupt. An exception or software interrupt goes back as it was reported.
constexpr u64 redelivery(u64 interrupted, u64 line) {
  const u64 vector = interrupted & 0xff, type = interrupted & event_type_mask;
  if (type != event_type_interrupt && (type != event_type_exception || vector < 32)) return interrupted;
  if ((line & virtual_interrupt_request) != 0 && (line >> virtual_interrupt_vector_shift & 0xff) == vector) return 0;
  return event_valid | event_type_interrupt | vector;
}

// Exit codes (APM vol. 2, appendix C).
inline constexpr u64 exit_write_cr4 = 0x14;
inline constexpr u64 exit_read_dr0 = 0x20;  // MOV from DRn: 0x20 + n
inline constexpr u64 exit_write_dr0 = 0x30; // MOV to DRn: 0x30 + n
inline constexpr u64 exit_intr = 0x60;
inline constexpr u64 exit_cpuid = 0x72;
inline constexpr u64 exit_invd = 0x76;
inline constexpr u64 exit_hlt = 0x78;
inline constexpr u64 exit_invlpga = 0x7a;
inline constexpr u64 exit_ioio = 0x7b;
inline constexpr u64 exit_msr = 0x7c;
inline constexpr u64 exit_shutdown = 0x7f;
inline constexpr u64 exit_vmrun = 0x80;
inline constexpr u64 exit_vmmcall = 0x81;
inline constexpr u64 exit_vmload = 0x82;
inline constexpr u64 exit_vmsave = 0x83;
inline constexpr u64 exit_stgi = 0x84;
inline constexpr u64 exit_clgi = 0x85;
inline constexpr u64 exit_skinit = 0x86;
inline constexpr u64 exit_wbinvd = 0x89;
inline constexpr u64 exit_xsetbv = 0x8d;
inline constexpr u64 exit_npf = 0x400;
inline constexpr u64 exit_invalid = ~0ull; // VMRUN found the guest state illegal

// EXITINFO1 of an IOIO exit.
inline constexpr u64 ioio_in = 1u << 0;
inline constexpr u64 ioio_string = 1u << 2;
inline constexpr u64 ioio_size8 = 1u << 4;
inline constexpr u64 ioio_size16 = 1u << 5;
inline constexpr u64 ioio_size32 = 1u << 6;

// EXITINFO1 of a nested page fault: the page-fault error code bits.
inline constexpr u64 npf_write = 1u << 1;
inline constexpr u64 npf_fetch = 1u << 4;

// The I/O and MSR permission maps' sizes (one bit per port; two per MSR over three ranges).
inline constexpr usize iopm_bytes = 3 * 4096;
inline constexpr usize msrpm_bytes = 2 * 4096;

} // namespace hv::x86

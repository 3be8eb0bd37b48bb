// SPDX-License-Identifier: Apache-2.0
// The interruption vector table and its common path.
//
// The IVT is 32 KiB, aligned to 32 KiB (cr.iva takes bits 63:15). Entries 0-19 are 64 bundles
// (0x400 bytes) apart, entries 20-67 16 bundles (0x100 bytes) apart; the hardware enters an entry with
// psr.ic, psr.i and psr.bn clear (no collection, interrupts masked, bank 0 of r16-r31), the interrupted
// state in cr.ipsr/cr.iip/cr.isr/cr.ifa/cr.iim, and translation (psr.it/dt/rt) as it was.
//
// Every entry gets its own symbol, ivt_<offset>_<name>, which tests/ia64/check-layout checks against the
// architected offsets. Each loads its offset into bank-0 r17 and branches to hv_ia64_ivt_common, which
// saves the interrupted state in a TrapFrame (ia64/trap_frame.h) on the memory stack, turns collection
// back on, switches to bank 1, calls hv_ia64_trap(TrapFrame*) (traps.cpp) and resumes with rfi from the
// frame, which the dispatcher may have changed (past a break instruction).
//
// The hypervisor runs on its own stacks only (no guest or user context yet), so the interrupted sp and
// backing store are the hypervisor's: the frame goes below the interrupted sp and the register stack
// simply continues after a cover.
#include "ia64/trap_frame.h"

#define PSR_IC (1 << 13)
#define PSR_I (1 << 14)

// .proc/.endp rather than .size: the assembler bundles lazily, so "." does not yet include the
// entry's last bundle where a .size expression would be evaluated.
#define IVT_ENTRY(offset, name)                                   \
	.org hv_ia64_ivt + offset;                                \
	.global ivt_##offset##_##name;                            \
	.proc ivt_##offset##_##name;                              \
ivt_##offset##_##name:                                            \
	mov r17 = offset;;                                        \
	br.sptk.many hv_ia64_ivt_common;;                         \
	.endp ivt_##offset##_##name

	.section .ivt, "ax", @progbits
	.align 32768
	.global hv_ia64_ivt
	.type hv_ia64_ivt, @object
hv_ia64_ivt:
	// Entries 0-19: 0x400 bytes each.
	IVT_ENTRY(0x0000, vhpt_translation)
	IVT_ENTRY(0x0400, instruction_tlb)
	IVT_ENTRY(0x0800, data_tlb)
	IVT_ENTRY(0x0c00, alternate_instruction_tlb)
	IVT_ENTRY(0x1000, alternate_data_tlb)

	// Data nested TLB: a data TLB miss while psr.ic was off. The port's code never runs with
	// collection off while touching memory that is not pinned by a translation register, so this means
	// the trap path itself is broken; the interruption registers still describe the outer trap and
	// cannot be trusted. Stop here rather than loop through the common path.
	.org hv_ia64_ivt + 0x1400
	.global ivt_0x1400_data_nested_tlb
	.proc ivt_0x1400_data_nested_tlb
ivt_0x1400_data_nested_tlb:
	mov r17 = 0x1400
	;;
1:	hint @pause
	br.sptk.few 1b
	;;
	.endp ivt_0x1400_data_nested_tlb

	IVT_ENTRY(0x1800, instruction_key_miss)
	IVT_ENTRY(0x1c00, data_key_miss)
	IVT_ENTRY(0x2000, dirty_bit)
	IVT_ENTRY(0x2400, instruction_access_bit)
	IVT_ENTRY(0x2800, data_access_bit)
	IVT_ENTRY(0x2c00, break_instruction)
	IVT_ENTRY(0x3000, external_interrupt)
	IVT_ENTRY(0x3400, reserved)
	IVT_ENTRY(0x3800, reserved)
	IVT_ENTRY(0x3c00, reserved)
	IVT_ENTRY(0x4000, reserved)
	IVT_ENTRY(0x4400, reserved)
	IVT_ENTRY(0x4800, reserved)
	IVT_ENTRY(0x4c00, reserved)
	// Entries 20-67: 0x100 bytes each.
	IVT_ENTRY(0x5000, page_not_present)
	IVT_ENTRY(0x5100, key_permission)
	IVT_ENTRY(0x5200, instruction_access_rights)
	IVT_ENTRY(0x5300, data_access_rights)
	IVT_ENTRY(0x5400, general_exception)
	IVT_ENTRY(0x5500, disabled_fp_register)
	IVT_ENTRY(0x5600, nat_consumption)
	IVT_ENTRY(0x5700, speculation)
	IVT_ENTRY(0x5800, reserved)
	IVT_ENTRY(0x5900, debug)
	IVT_ENTRY(0x5a00, unaligned_reference)
	IVT_ENTRY(0x5b00, unsupported_data_reference)
	IVT_ENTRY(0x5c00, floating_point_fault)
	IVT_ENTRY(0x5d00, floating_point_trap)
	IVT_ENTRY(0x5e00, lower_privilege_transfer_trap)
	IVT_ENTRY(0x5f00, taken_branch_trap)
	IVT_ENTRY(0x6000, single_step_trap)
	IVT_ENTRY(0x6100, virtualization)
	IVT_ENTRY(0x6200, reserved)
	IVT_ENTRY(0x6300, reserved)
	IVT_ENTRY(0x6400, reserved)
	IVT_ENTRY(0x6500, reserved)
	IVT_ENTRY(0x6600, reserved)
	IVT_ENTRY(0x6700, reserved)
	IVT_ENTRY(0x6800, reserved)
	IVT_ENTRY(0x6900, ia32_exception)
	IVT_ENTRY(0x6a00, ia32_intercept)
	IVT_ENTRY(0x6b00, ia32_interrupt)
	IVT_ENTRY(0x6c00, reserved)
	IVT_ENTRY(0x6d00, reserved)
	IVT_ENTRY(0x6e00, reserved)
	IVT_ENTRY(0x6f00, reserved)
	IVT_ENTRY(0x7000, reserved)
	IVT_ENTRY(0x7100, reserved)
	IVT_ENTRY(0x7200, reserved)
	IVT_ENTRY(0x7300, reserved)
	IVT_ENTRY(0x7400, reserved)
	IVT_ENTRY(0x7500, reserved)
	IVT_ENTRY(0x7600, reserved)
	IVT_ENTRY(0x7700, reserved)
	IVT_ENTRY(0x7800, reserved)
	IVT_ENTRY(0x7900, reserved)
	IVT_ENTRY(0x7a00, reserved)
	IVT_ENTRY(0x7b00, reserved)
	IVT_ENTRY(0x7c00, reserved)
	IVT_ENTRY(0x7d00, reserved)
	IVT_ENTRY(0x7e00, reserved)
	IVT_ENTRY(0x7f00, reserved)
	.org hv_ia64_ivt + 0x8000
	.size hv_ia64_ivt, 0x8000

// ----------------------------------------------------------------------------------------------------
// The common path. Entered with psr.ic = 0, bank 0, r17 = the vector's IVT offset. Until collection is
// back on, only bank-0 r16-r31 may be used: r1-r15 and bank-1 r16-r31 belong to the interrupted code.

#define SAVE_GR(n) st8.spill [r31] = r##n, 8 ;;
#define LOAD_GR(n) ld8.fill r##n = [r31], 8 ;;
#define SAVE_GR3(n) st8.spill [r3] = r##n, 8 ;;
#define LOAD_GR3(n) ld8.fill r##n = [r3], 8 ;;

	.text
	.align 32
	.global hv_ia64_ivt_common
	.proc hv_ia64_ivt_common
hv_ia64_ivt_common:
	mov r16 = r12                      // the interrupted sp
	mov r18 = cr.ipsr
	mov r19 = cr.iip
	;;
	adds r30 = -TF_SIZE, r12           // the frame, below the interrupted sp (16-byte aligned)
	mov r20 = cr.isr
	mov r21 = cr.ifa
	;;
	mov r22 = cr.iim
	mov r23 = pr
	mov r24 = ar.unat                  // the interrupted NaT collection, before any spill changes it
	;;
	cover                              // the interrupted frame joins the dirty partition; cr.ifs names it
	;;
	mov r25 = cr.ifs
	mov r31 = r30
	;;
	st8 [r31] = r17, 8                 // TF_VECTOR
	;;
	st8 [r31] = r18, 8                 // TF_IPSR
	;;
	st8 [r31] = r19, 8                 // TF_IIP
	;;
	st8 [r31] = r25, 8                 // TF_IFS
	;;
	st8 [r31] = r20, 8                 // TF_ISR
	;;
	st8 [r31] = r21, 8                 // TF_IFA
	;;
	st8 [r31] = r22, 8                 // TF_IIM
	;;
	st8 [r31] = r23, 8                 // TF_PR
	;;
	st8 [r31] = r24, 16                // TF_UNAT (TF_UNAT_SPILL is stored below)
	mov r17 = ar.pfs
	mov r18 = ar.rsc
	;;
	st8 [r31] = r17, 8                 // TF_PFS
	mov r19 = ar.ccv
	mov r20 = ar.fpsr
	;;
	st8 [r31] = r18, 8                 // TF_RSC
	mov r21 = b0
	mov r22 = b6
	;;
	st8 [r31] = r19, 8                 // TF_CCV
	mov r23 = b7
	;;
	st8 [r31] = r20, 8                 // TF_FPSR
	;;
	st8 [r31] = r21, 8                 // TF_B0
	;;
	st8 [r31] = r22, 8                 // TF_B6
	;;
	st8 [r31] = r23, 8                 // TF_B7
	;;
	st8 [r31] = r16, 8                 // TF_SP
	;;
	adds r31 = TF_GR_OFFSET(1), r30
	;;
	SAVE_GR(1)
	SAVE_GR(2)
	SAVE_GR(3)
	adds r31 = TF_GR_OFFSET(8), r30
	;;
	SAVE_GR(8)
	SAVE_GR(9)
	SAVE_GR(10)
	SAVE_GR(11)
	adds r31 = TF_GR_OFFSET(14), r30
	;;
	SAVE_GR(14)
	SAVE_GR(15)
	// The scratch floating-point registers of the low partition, which the compiler uses for integer
	// multiply and divide (f32-f127 it may not use: -mfixed-range in arch/ia64/meson.build).
	adds r31 = TF_FR_OFFSET(6), r30
	;;
	stf.spill [r31] = f6, 16
	;;
	stf.spill [r31] = f7, 16
	;;
	stf.spill [r31] = f8, 16
	;;
	stf.spill [r31] = f9, 16
	;;
	stf.spill [r31] = f10, 16
	;;
	stf.spill [r31] = f11, 16
	;;
	stf.spill [r31] = f12, 16
	;;
	stf.spill [r31] = f13, 16
	;;
	stf.spill [r31] = f14, 16
	;;
	stf.spill [r31] = f15, 16
	;;
	// Everything the interruption registers held is saved: collection back on, so that a fault in the
	// dispatcher is an ordinary nested trap with its own frame.
	mov r2 = r30                       // the frame, in a register both banks see (r2 is saved)
	ssm PSR_IC
	;;
	srlz.d
	;;
	bsw.1
	;;
	// Bank 1: the interrupted r16-r31. Only r2, r3, r14 and r15 (saved above) are free here.
	adds r3 = TF_GR_OFFSET(16), r2
	;;
	SAVE_GR3(16)
	SAVE_GR3(17)
	SAVE_GR3(18)
	SAVE_GR3(19)
	SAVE_GR3(20)
	SAVE_GR3(21)
	SAVE_GR3(22)
	SAVE_GR3(23)
	SAVE_GR3(24)
	SAVE_GR3(25)
	SAVE_GR3(26)
	SAVE_GR3(27)
	SAVE_GR3(28)
	SAVE_GR3(29)
	SAVE_GR3(30)
	SAVE_GR3(31)
	adds r14 = TF_UNAT_SPILL, r2
	mov r15 = ar.unat
	;;
	st8 [r14] = r15
	;;
	// Call the dispatcher: a fresh register frame (loc0 = ar.pfs, loc1 = the frame), the hypervisor's
	// gp, and a memory stack below the frame with the 16-byte scratch area the callee owns.
	alloc r32 = ar.pfs, 0, 2, 1, 0
	;;
	mov r33 = r2
	mov r34 = r2
	movl r1 = __gp
	;;
	adds r12 = -16, r2
	br.call.sptk.many b0 = hv_ia64_trap
	;;
	// Back: collection off again before the interruption registers are written.
	rsm PSR_IC | PSR_I
	;;
	srlz.d
	mov r2 = r33
	;;
	adds r16 = TF_IPSR, r2
	adds r17 = TF_IIP, r2
	;;
	ld8 r18 = [r16]
	ld8 r19 = [r17]
	adds r16 = TF_IFS, r2
	;;
	ld8 r20 = [r16]
	mov cr.ipsr = r18
	;;
	mov cr.iip = r19
	;;
	mov cr.ifs = r20
	adds r16 = TF_PFS, r2
	;;
	ld8 r17 = [r16]
	adds r16 = TF_CCV, r2
	;;
	ld8 r18 = [r16], 8                 // TF_CCV
	;;
	ld8 r19 = [r16], 8                 // TF_FPSR
	mov ar.pfs = r17
	;;
	ld8 r20 = [r16], 8                 // TF_B0
	mov ar.ccv = r18
	;;
	ld8 r21 = [r16], 8                 // TF_B6
	mov ar.fpsr = r19
	;;
	ld8 r22 = [r16], 8                 // TF_B7
	mov b0 = r20
	;;
	mov b6 = r21
	mov b7 = r22
	adds r31 = TF_FR_OFFSET(6), r2
	;;
	ldf.fill f6 = [r31], 16
	;;
	ldf.fill f7 = [r31], 16
	;;
	ldf.fill f8 = [r31], 16
	;;
	ldf.fill f9 = [r31], 16
	;;
	ldf.fill f10 = [r31], 16
	;;
	ldf.fill f11 = [r31], 16
	;;
	ldf.fill f12 = [r31], 16
	;;
	ldf.fill f13 = [r31], 16
	;;
	ldf.fill f14 = [r31], 16
	;;
	ldf.fill f15 = [r31], 16
	adds r16 = TF_UNAT_SPILL, r2
	;;
	ld8 r17 = [r16]
	;;
	mov ar.unat = r17                  // the NaT bits of the spilled general registers
	adds r31 = TF_GR_OFFSET(16), r2
	;;
	// Bank 1's r16-r31 last of all in this bank, through r3 (restored later, from bank 0).
	mov r3 = r31
	;;
	LOAD_GR3(16)
	LOAD_GR3(17)
	LOAD_GR3(18)
	LOAD_GR3(19)
	LOAD_GR3(20)
	LOAD_GR3(21)
	LOAD_GR3(22)
	LOAD_GR3(23)
	LOAD_GR3(24)
	LOAD_GR3(25)
	LOAD_GR3(26)
	LOAD_GR3(27)
	LOAD_GR3(28)
	LOAD_GR3(29)
	LOAD_GR3(30)
	LOAD_GR3(31)
	bsw.0
	;;
	// Bank 0 again: r16-r31 are scratch; restore r1-r15, the interrupted ar.unat, predicates and sp.
	mov r16 = r2
	;;
	adds r31 = TF_GR_OFFSET(1), r16
	;;
	LOAD_GR(1)
	LOAD_GR(2)
	LOAD_GR(3)
	adds r31 = TF_GR_OFFSET(8), r16
	;;
	LOAD_GR(8)
	LOAD_GR(9)
	LOAD_GR(10)
	LOAD_GR(11)
	adds r31 = TF_GR_OFFSET(14), r16
	;;
	LOAD_GR(14)
	LOAD_GR(15)
	adds r17 = TF_UNAT, r16
	adds r18 = TF_PR, r16
	adds r19 = TF_SP, r16
	;;
	ld8 r20 = [r17]
	ld8 r21 = [r18]
	ld8 r22 = [r19]
	;;
	mov ar.unat = r20
	mov pr = r21, -1
	mov r12 = r22
	;;
	srlz.d
	;;
	rfi                                // restores psr, ip (with the slot) and the covered frame
	;;
	.endp hv_ia64_ivt_common

// SPDX-License-Identifier: Apache-2.0
// The port's own assembly on the simulator, before any of its C++ (no IA-64 C++ compiler is needed):
// arch/ia64/entry.S and trap_entry.S, linked by arch/ia64/image.ld with this program as hv::boot_main and
// hv_ia64_trap. The entry clears .bss, moves the register stack and installs the IVT; a break goes
// through the IVT's common path (cover, bank switch, the frame spilled and filled, rfi with the covered
// frame) and back with every register the program set; then hv_ia64_load_region_registers,
// hv_ia64_load_pta, hv_ia64_pin_image and hv_ia64_switch_to_virtual as Paging::init calls them, and the
// devices reached in virtual mode through data TLB faults (the VHPT walker finds nothing) that the
// stand-in dispatcher refills with hv_ia64_tc_insert. Volume 2's sections as the other programs cite.
// with the port's entry.S and trap_entry.S
// strict
// expect-output: etv.  expect-status: 0
	.include "machine.inc"

	.text
	.global _ZN2hv9boot_mainEv
	.proc _ZN2hv9boot_mainEv
_ZN2hv9boot_mainEv:
	alloc r32 = ar.pfs, 0, 4, 4, 0
	PUTC 'e'
	mov r33 = 11
	mov r34 = 22
	mov r20 = 33                     // bank 1's
	mov r8 = 44
	mov r4 = 55                      // preserved
	cmp.eq p9, p0 = r0, r0
	;;
	break.m 0x4242
	;;
	EXPECT r33, 11, 'a'
	EXPECT r34, 22, 'b'
	EXPECT r20, 33, 'c'
	EXPECT r8, 44, 'd'
	EXPECT r4, 55, 'f'
(p9)	br.cond.sptk.few 1f
	mov r31 = 'p'
	br.sptk.few failure
	;;
1:	movl r14 = trap_count
	;;
	ld8 r15 = [r14]
	;;
	EXPECT r15, 1, 'n'
	PUTC 't'
	// As Paging::init: region registers (IDs 0x100 + region, 4 KiB, walker on), cr.pta (this program's
	// VHPT, long format, walker on), the image pinned by translation register 0 of both sides (64 MiB
	// from 64 MiB, write-back, rwx), then virtual mode with the hypervisor's psr.
	movl out0 = region_registers
	br.call.sptk.many b0 = hv_ia64_load_region_registers
	;;
	movl r14 = vhpt
	;;
	movl r15 = (1 << 8) | (15 << 2) | 1
	;;
	or out0 = r14, r15
	br.call.sptk.many b0 = hv_ia64_load_pta
	;;
	movl out0 = 0x4000000
	movl out1 = 0x4000000 | (3 << 9) | (1 << 6) | (1 << 5) | 1
	mov out2 = 26 << 2
	br.call.sptk.many b0 = hv_ia64_pin_image
	;;
	movl out0 = (1 << 13) | (1 << 17) | (1 << 19) | (1 << 27) | (1 << 36) | (1 << 44)
	br.call.sptk.many b0 = hv_ia64_switch_to_virtual
	;;
	mov r2 = psr
	;;
	tbit.z p6, p0 = r2, 36           // psr.it: virtual mode
	;;
(p6)	mov r31 = 'i'
(p6)	br.cond.spnt.few failure
	PUTC 'v'                         // a data TLB fault, refilled
	PASS                             // another, for the exit device's page
	.endp _ZN2hv9boot_mainEv

// The stand-in for the port's dispatcher: hv_ia64_trap(TrapFrame* frame). A break is counted and
// resumed at the next slot; any other vector is a translation miss of a device page, inserted as an
// uncached 4 KiB translation of its physical page.
	.global hv_ia64_trap
	.proc hv_ia64_trap
hv_ia64_trap:
	alloc r33 = ar.pfs, 1, 10, 4, 0
	mov r34 = b0
	ld8 r35 = [r32]                  // TF_VECTOR
	movl r36 = 0x2c00
	;;
	cmp.eq p6, p7 = r35, r36
(p6)	br.cond.sptk.few 2f
	adds r37 = 40, r32               // TF_IFA
	;;
	ld8 r38 = [r37]
	movl r39 = 0x0003fffffffff000
	;;
	dep out0 = 0, r38, 0, 12
	and r40 = r38, r39
	movl r41 = (2 << 9) | (1 << 6) | (1 << 5) | (4 << 2) | 1
	;;
	or out1 = r40, r41
	mov out2 = 12 << 2
	mov out3 = 0
	br.call.sptk.many b0 = hv_ia64_tc_insert
	;;
	br.sptk.few 3f
	;;
2:	movl r37 = trap_count
	;;
	ld8 r38 = [r37]
	;;
	adds r38 = 1, r38
	;;
	st8 [r37] = r38
	adds r39 = 8, r32                // TF_IPSR
	adds r40 = 16, r32               // TF_IIP
	;;
	ld8 r41 = [r39]
	ld8 r42 = [r40]
	;;
	extr.u r43 = r41, 41, 2
	;;
	cmp.eq p6, p7 = 2, r43
	;;
(p6)	dep r41 = 0, r41, 41, 2
(p6)	adds r42 = 16, r42
(p7)	adds r43 = 1, r43
	;;
(p7)	dep r41 = r43, r41, 41, 2
	;;
	st8 [r39] = r41
	st8 [r40] = r42
3:	mov ar.pfs = r33
	mov b0 = r34
	;;
	br.ret.sptk.many b0
	;;
	.endp hv_ia64_trap

	.data
	.align 8
region_registers:
	data8 (0x100 << 8) | (12 << 2) | 1, (0x101 << 8) | (12 << 2) | 1, (0x102 << 8) | (12 << 2) | 1
	data8 (0x103 << 8) | (12 << 2) | 1, (0x104 << 8) | (12 << 2) | 1, (0x105 << 8) | (12 << 2) | 1
	data8 (0x106 << 8) | (12 << 2) | 1, (0x107 << 8) | (12 << 2) | 1
trap_count:
	data8 0

	.section .bss.vhpt, "aw", @nobits
	.align 32768
vhpt:
	.skip 32768

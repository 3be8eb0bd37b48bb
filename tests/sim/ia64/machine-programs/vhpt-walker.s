// SPDX-License-Identifier: Apache-2.0
// The long-format VHPT walker (volume 2, section 4.1.5 "Virtual Hash Page Table"; 4.1.5.2 long format:
// 32-byte entries of pte, itir and tag, thash and ttag give an address's entry and tag; cr.pta: base,
// size, vf, ve; vector 0x0800 "Data TLB": the walker found no entry, cr.iha its address). The VHPT lies
// in memory that a translation register maps. A page with an entry is translated with no fault; a page
// without one faults once, the handler writes the entry at cr.iha, and the walker then finds it.
// expect-output: vw.  expect-status: 0
	.include "machine.inc"

	.text
	.global _start
	.proc _start
_start:
	INSTALL_IVT
	MAP_PROGRAM_AND_DEVICES 1
	// The VHPT: 32 KiB at 0x300000 (inside the identity-mapped 4 MiB), long format, walker on.
	movl r2 = 0x300000 | (1 << 8) | (15 << 2) | 1
	;;
	mov cr.pta = r2
	;;
	srlz.d
	;;
	VIRTUAL_MODE virtual
virtual:
	PUTC 'v'
	// An entry for the page at 0x2000000000004000 -> physical 0x900000.
	movl r8 = 0x2000000000004010
	;;
	thash r9 = r8
	ttag r10 = r8
	movl r11 = 0x900000 | (2 << 9) | (1 << 6) | (1 << 5) | 1
	;;
	// thash's entry lies inside the VHPT.
	movl r12 = 0x300000
	;;
	sub r13 = r9, r12
	mov r14 = 0x7fff
	;;
	cmp.ltu p6, p0 = r14, r13
	;;
(p6)	mov r31 = 'h'
(p6)	br.cond.spnt.few failure
	st8 [r9] = r11, 8                // pte
	mov r14 = 12 << 2
	;;
	st8 [r9] = r14, 8                // itir
	;;
	st8 [r9] = r10                   // tag
	;;
	movl r15 = 0x5555
	;;
	st8 [r8] = r15                   // translated by the walker: no fault
	;;
	EXPECT r17, 0, 'f'
	// A page without an entry: one data TLB fault, whose handler writes the entry.
	movl r8 = 0x2000000000009000
	;;
	ld8 r15 = [r8]
	;;
	EXPECT r17, 1, 'g'
	ld8 r15 = [r8]
	;;
	EXPECT r17, 1, 'k'
	PASS
	.endp _start

	IVT_WITH 0x0800, data_tlb
	.proc data_tlb
data_tlb:
	mov r16 = cr.ifa
	mov r18 = cr.iha
	;;
	thash r19 = r16
	ttag r20 = r16
	;;
	cmp.ne p6, p0 = r18, r19
	;;
(p6)	mov r31 = 'a'
(p6)	br.cond.spnt.few failure
	PUTC 'w'
	movl r21 = 0xa00000 | (2 << 9) | (1 << 6) | (1 << 5) | 1
	mov r22 = 12 << 2
	;;
	st8 [r18] = r21, 8
	;;
	st8 [r18] = r22, 8
	;;
	st8 [r18] = r20
	;;
	COUNT_IN_BANK1
	rfi
	;;
	.endp data_tlb

// SPDX-License-Identifier: Apache-2.0
// The break instruction fault through the IVT and the return with rfi (volume 2, section 5.5
// "Interruption Handling": psr.ic, psr.i and psr.bn cleared on entry, the interrupted psr, ip and slot in
// cr.ipsr, cr.iip and ipsr.ri; section 3.3.5 "Interruption Control Registers": cr.iim holds the break
// immediate, isr.ei the slot; section 3.3.7 "Banked General Registers": the handler runs on bank 0;
// section 8 "Interruption Vector Descriptions": Break Instruction vector at offset 0x2c00).
// expect-output: ib.  expect-status: 0
	.include "machine.inc"
	.text
	.global _start
	.proc _start
_start:
	INSTALL_IVT
	COLLECTION_ON
	bsw.1
	;;
	mov r16 = 7                      // bank 1
	;;
	break.m 0x1234
	;;
	EXPECT r16, 7, 'r'               // bank 1 again after rfi, untouched by the handler's bank 0
	EXPECT r17, 1, 'h'               // the handler ran once
	PASS
	.endp _start

	IVT_WITH 0x2c00, break_handler
	.proc break_handler
break_handler:
	mov r16 = 99                     // bank 0: not the interrupted code's r16
	mov r8 = cr.iim
	mov r9 = psr
	;;
	EXPECT r8, 0x1234, 'm'
	tbit.nz p6, p0 = r9, 13          // psr.ic clear in the handler
	tbit.nz p7, p0 = r9, 44          // psr.bn clear: bank 0
	;;
(p6)	mov r31 = 'c'
(p6)	br.cond.spnt.few failure
(p7)	mov r31 = 'n'
(p7)	br.cond.spnt.few failure
	;;
	PUTC 'i'
	mov r18 = cr.ipsr
	mov r19 = cr.iip
	mov r21 = cr.isr
	;;
	extr.u r20 = r18, 41, 2          // ipsr.ri: the break's slot
	extr.u r22 = r21, 41, 2          // isr.ei: the same slot
	;;
	cmp.ne p6, p0 = r20, r22
	;;
(p6)	mov r31 = 'e'
(p6)	br.cond.spnt.few failure
	tbit.z p6, p0 = r18, 44          // the interrupted psr had bank 1
	;;
(p6)	mov r31 = 'p'
(p6)	br.cond.spnt.few failure
	bsw.1
	;;
	adds r17 = 1, r17                // bank 1's r17: counts the handler's runs
	bsw.0
	;;
	PUTC 'b'
	// Resume after the break: the next slot, or the next bundle after slot 2.
	cmp.eq p6, p7 = 2, r20
	;;
(p6)	dep r18 = 0, r18, 41, 2
(p6)	adds r19 = 16, r19
(p7)	adds r20 = 1, r20
	;;
(p7)	dep r18 = r20, r18, 41, 2
	;;
	mov cr.ipsr = r18
	mov cr.iip = r19
	;;
	rfi
	;;
	.endp break_handler

// SPDX-License-Identifier: Apache-2.0
// The interval timer and external interrupts (volume 2, section 3.3.4.2 "Interval Time Counter and
// Match Register": ar.itc counts, reaching cr.itm makes cr.itv's vector pending unless itv.m masks it;
// section 5.8 "Interrupts": cr.tpr.mmi masks every external interrupt, a pending one shows in cr.irr,
// psr.i lets it in at an instruction boundary through vector 0x3000 "External Interrupt", cr.ivr
// acknowledges it (15 when nothing is deliverable), cr.eoi ends it). The timer fires while TPR masks
// it: nothing is taken, cr.irr3 shows vector 0xef pending; unmasked, it is taken at once.
// expect-output: pte.  expect-status: 0
	.include "machine.inc"
	.text
	.global _start
	.proc _start
_start:
	INSTALL_IVT
	COLLECTION_ON
	bsw.1
	movl r2 = 1 << 16                // tpr.mmi: every external interrupt masked
	;;
	mov cr.tpr = r2
	;;
	srlz.d
	mov r17 = 0
	;;
	mov r3 = 0xef
	;;
	mov cr.itv = r3                  // vector 0xef, unmasked
	mov r4 = ar.itc
	;;
	adds r4 = 100, r4
	;;
	mov cr.itm = r4
	;;
	srlz.d
	ssm 1 << 14                      // psr.i
	;;
	srlz.d
	mov r5 = 200
	;;
1:	adds r5 = -1, r5                 // wait well past the match
	;;
	cmp.ne p6, p0 = r5, r0
(p6)	br.cond.sptk.few 1b
	;;
	EXPECT r17, 0, 'm'               // masked by TPR: not taken
	mov r6 = cr.irr3
	;;
	extr.u r7 = r6, 47, 1            // vector 0xef = 3 * 64 + 47
	;;
	EXPECT r7, 1, 'r'
	PUTC 'p'
	mov cr.tpr = r0
	;;
	srlz.d
	;;
	nop.m 0
	;;
	EXPECT r17, 1, 't'               // taken as soon as unmasked
	mov r8 = cr.ivr                  // nothing left: the spurious vector
	;;
	EXPECT r8, 15, 's'
	PASS
	.endp _start

	IVT_WITH 0x3000, external
	.proc external
external:
	mov r16 = cr.ivr
	;;
	srlz.d
	EXPECT r16, 0xef, 'v'
	PUTC 't'
	mov cr.eoi = r0
	;;
	srlz.d
	COUNT_IN_BANK1
	PUTC 'e'
	rfi
	;;
	.endp external

// SPDX-License-Identifier: Apache-2.0
// A privileged operation at privilege level 3 is a General Exception (volume 2, section 5.6 and
// section 8, vector 0x5400 "General Exception": isr.code 0x10 for a privileged operation; section 3.3.2:
// psr.cpl, set by rfi from cr.ipsr and cleared by the interruption). The program drops to level 3 with
// rfi and executes rsm; the handler finds the fault, the interrupted level and its own level 0.
// expect-output: ug.  expect-status: 0
	.include "machine.inc"
	.text
	.global _start
	.proc _start
_start:
	INSTALL_IVT
	movl r2 = (1 << 13) | (1 << 44) | (3 << 32) // psr.ic, bn, cpl 3: physical mode still
	movl r3 = user
	;;
	mov cr.ipsr = r2
	mov cr.iip = r3
	mov cr.ifs = r0
	;;
	rfi
	;;
user:
	PUTC 'u'                         // the devices answer at any level in physical mode
	rsm 1 << 14                      // privileged
	;;
	mov r31 = 'x'
	br.sptk.few failure
	;;
	.endp _start

	IVT_WITH 0x5400, general_exception
	.proc general_exception
general_exception:
	mov r16 = cr.isr
	mov r17 = cr.ipsr
	mov r18 = psr
	;;
	extr.u r19 = r16, 0, 16          // isr.code
	extr.u r20 = r17, 32, 2          // the interrupted psr.cpl
	extr.u r21 = r18, 32, 2          // this handler's
	;;
	EXPECT r19, 0x10, 'c'
	EXPECT r20, 3, 'i'
	EXPECT r21, 0, 'h'
	PUTC 'g'
	PASS
	.endp general_exception

// SPDX-License-Identifier: Apache-2.0
// With interruption collection on, the interruption control registers are out of bounds (volume 2,
// section 3.3.5 "Interruption Control Registers"; volume 3, "mov cr": reading or writing CR16-CR25
// with psr.ic 1 is an Illegal Operation fault, the General Exception vector 0x5400 with isr.code 0).
// The program turns collection on and reads cr.ifa: the fault, and the handler (collection off) reads
// the same register freely.
// expect-output: i.  expect-status: 0
	.include "machine.inc"
	.text
	.global _start
	.proc _start
_start:
	INSTALL_IVT
	COLLECTION_ON
	mov r8 = cr.ifa                  // psr.ic is 1
	;;
	mov r31 = 'x'
	br.sptk.few failure
	;;
	.endp _start

	IVT_WITH 0x5400, general_exception
	.proc general_exception
general_exception:
	mov r16 = cr.isr
	mov r17 = cr.ifa                 // psr.ic is 0 here
	;;
	extr.u r18 = r16, 0, 16          // isr.code: 0, an illegal operation
	;;
	EXPECT r18, 0, 'c'
	PUTC 'i'
	PASS
	.endp general_exception

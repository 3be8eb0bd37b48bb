// SPDX-License-Identifier: Apache-2.0
// Parallel and unconditional compares, tbit, deposit, extract and shifts (volume 3: cmp's table of
// compare types, tbit, dep, extr, shrp). Each check prints '.' or the letter of the check that failed.
// expect-output: ........  expect-status: 0
	.text
	.global _start
	.proc _start
_start:
	mov r8 = '.'
	mov r9 = 'a'
	// .unc under a false predicate clears both targets
	cmp.eq p1, p0 = r0, r0
	cmp.ne p2, p0 = r0, r0
	;;
(p2)	cmp.eq.unc p3, p4 = r0, r0
	;;
(p3)	mov r8 = r9
(p4)	mov r8 = r9
	;;
	break.m 0x100001
	// .and: a false relation clears both, a true one leaves them
	mov r8 = '.'
	mov r9 = 'b'
	cmp.eq p5, p6 = r0, r0
	;;
	cmp.eq.and p5, p6 = 1, r0
	;;
(p5)	mov r8 = r9
(p6)	mov r8 = r9
	;;
	break.m 0x100001
	// .or: a true relation sets both
	mov r8 = 'c'
	cmp.ne p7, p8 = r0, r0
	;;
	cmp.eq.or p7, p8 = 0, r0
	;;
(p7)	mov r8 = '.'
	;;
(p8)	break.m 0x100001
	// tbit
	mov r10 = 0x40
	mov r8 = 'd'
	;;
	tbit.nz p9, p10 = r10, 6
	;;
(p9)	mov r8 = '.'
	;;
	break.m 0x100001
	// dep.z, extr (signed), extr.u
	mov r8 = 'e'
	mov r10 = 0xff
	;;
	dep.z r11 = r10, 8, 4            // 0xf00
	extr r12 = r10, 4, 4             // 0b1111 signed: -1
	extr.u r13 = r10, 4, 4           // 15
	;;
	cmp.eq p11, p0 = -1, r12
	;;
(p11)	cmp.eq p11, p0 = 15, r13
	movl r14 = 0xf00
	;;
(p11)	cmp.eq p11, p0 = r11, r14
	;;
(p11)	mov r8 = '.'
	;;
	break.m 0x100001
	// shrp: the low 64 bits of (r2:r3) >> count
	mov r8 = 'f'
	mov r10 = 1
	mov r11 = 0
	;;
	shrp r12 = r10, r11, 4           // 1 << 60
	movl r13 = 0x1000000000000000
	;;
	cmp.eq p12, p0 = r12, r13
	;;
(p12)	mov r8 = '.'
	;;
	break.m 0x100001
	// shl and shr by register, past 63
	mov r8 = 'g'
	mov r10 = -8
	mov r11 = 70
	mov r14 = 2
	;;
	shr r12 = r10, r11               // sign fills: -1
	shl r13 = r10, r11               // 0
	shr.u r15 = r10, r14             // 0x3ffffffffffffffe
	;;
	cmp.eq p13, p0 = -1, r12
	movl r16 = 0x3ffffffffffffffe
	;;
(p13)	cmp.eq p13, p0 = r0, r13
	;;
(p13)	cmp.eq p13, p0 = r15, r16
	;;
(p13)	mov r8 = '.'
	;;
	break.m 0x100001
	// mov pr = r, mask and mov r = pr
	mov r8 = 'h'
	movl r10 = 0x8000000000000043    // p0 (always reads 1), p1, p6, p63
	;;
	mov pr = r10, -1
	;;
	mov r11 = pr
	;;
	cmp.eq p14, p0 = r10, r11        // reads back as written
	;;
(p14)	mov r8 = '.'
	;;
	break.m 0x100001
	mov r8 = 0
	break.m 0x100000
	.endp _start

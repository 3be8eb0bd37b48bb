// SPDX-License-Identifier: Apache-2.0
// Parallel arithmetic and data arrangement on halfwords and words (volume 3: padd, unpack, mux1, pmpy2):
// modular and signed-saturating adds, the low words interleaved, the bytes reversed, the even halfwords'
// signed products. expect-output: .....  expect-status: 0
	.text
	.global _start
	.proc _start
_start:
	movl r10 = 0x7fff00018000ffff
	movl r11 = 0x00010001ffff0001
	;;
	padd2 r12 = r10, r11
	padd2.sss r13 = r10, r11
	unpack4.l r14 = r10, r11
	mux1 r15 = r10, @rev
	pmpy2.r r16 = r10, r11
	;;
	movl r20 = 0x800000027fff0000
	movl r21 = 0x7fff000280000000
	movl r22 = 0x8000ffffffff0001
	movl r23 = 0xffff00800100ff7f
	movl r24 = 0x00000001ffffffff
	;;
	mov r8 = 'm'
	cmp.eq p6, p0 = r12, r20
	;;
(p6)	mov r8 = '.'
	;;
	break.m 0x100001
	mov r8 = 's'
	cmp.eq p6, p0 = r13, r21
	;;
(p6)	mov r8 = '.'
	;;
	break.m 0x100001
	mov r8 = 'u'
	cmp.eq p6, p0 = r14, r22
	;;
(p6)	mov r8 = '.'
	;;
	break.m 0x100001
	mov r8 = 'r'
	cmp.eq p6, p0 = r15, r23
	;;
(p6)	mov r8 = '.'
	;;
	break.m 0x100001
	mov r8 = 'p'
	cmp.eq p6, p0 = r16, r24
	;;
(p6)	mov r8 = '.'
	;;
	break.m 0x100001
	mov r8 = 0
	break.m 0x100000
	.endp _start

// SPDX-License-Identifier: Apache-2.0
// Integer multiplication in the floating-point unit, as GCC emits it: setf.sig, xma.l, xma.h, xma.hu,
// getf.sig (volume 3: xma). (2^64 - 1) * 3: low 2^64 - 3, unsigned high 2, signed high -1.
// expect-output: ...  expect-status: 0
	.text
	.global _start
	.proc _start
_start:
	mov r10 = -1
	mov r11 = 3
	;;
	setf.sig f6 = r10
	setf.sig f7 = r11
	;;
	xmpy.l f8 = f6, f7
	xmpy.hu f9 = f6, f7
	xmpy.h f10 = f6, f7
	;;
	getf.sig r12 = f8
	getf.sig r13 = f9
	getf.sig r14 = f10
	;;
	mov r8 = 'l'
	cmp.eq p6, p0 = -3, r12
	;;
(p6)	mov r8 = '.'
	;;
	break.m 0x100001
	mov r8 = 'u'
	cmp.eq p6, p0 = 2, r13
	;;
(p6)	mov r8 = '.'
	;;
	break.m 0x100001
	mov r8 = 'h'
	cmp.eq p6, p0 = -1, r14
	;;
(p6)	mov r8 = '.'
	;;
	break.m 0x100001
	mov r8 = 0
	break.m 0x100000
	.endp _start

// SPDX-License-Identifier: Apache-2.0
// A call with a register stack frame, a counted loop, stores and loads with base update, a compare and
// predicated moves. expect-output: o  expect-status: 10
	.text
	.global _start
	.proc _start
_start:
	alloc r14 = ar.pfs, 0, 2, 1, 0
	mov r32 = 10
	mov out0 = 10
	br.call.sptk.many b0 = sum
	movl r15 = buffer
	;;
	st8 [r15] = r8, 8
	;;
	ld8 r16 = [r15], -8
	;;
	ld8 r17 = [r15]
	cmp.eq p6, p7 = 55, r17
	;;
(p6)	mov r8 = 'o'
(p7)	mov r8 = 'x'
	;;
	break.m 0x100001
	mov r8 = r32                     // still 10: the callee's frame is not the caller's
	;;
	break.m 0x100000
	.endp _start

	.proc sum
sum:	// u64 sum(u64 n): 1 + ... + n
	alloc r16 = ar.pfs, 1, 2, 0, 0
	mov r8 = 0
	adds r34 = -1, r32
	;;
	mov ar.lc = r34
	mov r33 = 1
	;;
1:	add r8 = r8, r33
	adds r33 = 1, r33
	br.cloop.sptk.few 1b
	;;
	mov ar.pfs = r16
	br.ret.sptk.many b0
	;;
	.endp sum

	.data
buffer:	.skip 16

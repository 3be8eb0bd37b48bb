// SPDX-License-Identifier: Apache-2.0
// The smallest runtime a C program needs on ia64-run: the entry (gp, then main; its result is the exit
// status) and putchar, both through the simulator's break calls (tests/sim/ia64/core.hpp).
	.explicit
	.text
	.global _start
	.proc _start
_start:
	alloc r14 = ar.pfs, 0, 0, 1, 0
	movl gp = __gp
	;;
	br.call.sptk.many b0 = main
	;;
	break.m 0x100000                 // r8: main's result
	.endp _start

	.global putchar
	.proc putchar
putchar:
	mov r8 = r32
	;;
	break.m 0x100001
	br.ret.sptk.many b0
	;;
	.endp putchar

// SPDX-License-Identifier: Apache-2.0
// Strict mode makes a missing serialization visible (volume 2, section 3.2 "Serialization": a change of
// psr.dt by rsm or ssm takes effect for later memory references only after srlz.d). The program turns
// data translation off and loads without the srlz.d between: ia64-machine --strict stops the run and
// names the write.
// strict
// expect-output: s  expect-status: 124
// expect-error: strict: psr.dt/rt written at
	.include "machine.inc"
	.text
	.global _start
	.proc _start
_start:
	PUTC 's'
	rsm 1 << 17
	movl r2 = 0x100000
	;;
	ld8 r3 = [r2]                    // no srlz.d since the rsm
	;;
	PUTC 'x'
	EXIT 0
	.endp _start

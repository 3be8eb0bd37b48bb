// SPDX-License-Identifier: Apache-2.0
// Protected mode's trap entry: one stub per vector, trap_stub_size (16) bytes apart, each pushing an
// error code where the CPU does not (so that every frame has the same shape) and its vector number;
// then trap_common saves the general registers and calls hv_x86_trap (traps.cpp) with the frame, whose
// layout traps.cpp's TrapFrame mirrors. Interrupt gates have masked interrupts on the way in. The
// double fault's vector is a task gate (traps.cpp), so its stub here is never used.

#define TRAP_STUB_SIZE 16

// Vectors whose exception pushes an error code: #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX.
.macro trap_stub vector
	.fill hv_x86_trap_stubs + (\vector) * TRAP_STUB_SIZE - ., 1, 0xcc
	.if ((\vector) == 8) | ((\vector) == 10) | ((\vector) == 11) | ((\vector) == 12) | ((\vector) == 13) | ((\vector) == 14) | ((\vector) == 17) | ((\vector) == 21) | ((\vector) == 29) | ((\vector) == 30)
	.else
	pushl $0
	.endif
	pushl $(\vector)
	jmp trap_common
.endm

	.section .text.trap_entry, "ax"
	.code32
	.p2align 4
	.globl hv_x86_trap_stubs
hv_x86_trap_stubs:
.irp high, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
.irp low, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	trap_stub (\high*16+\low)
.endr
.endr

trap_common:
	pushal
	mov %esp, %eax
	push %eax                      // the frame, hv_x86_trap's argument
	cld
	call hv_x86_trap
	add $4, %esp
	popal
	add $8, %esp                   // vector and error code
	iretl

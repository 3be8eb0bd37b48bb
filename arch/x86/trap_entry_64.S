// SPDX-License-Identifier: Apache-2.0
// Long mode's trap entry: one stub per vector, trap_stub_size (16) bytes apart, each pushing an error
// code where the CPU does not (so that every frame has the same shape) and its vector number; then
// trap_common saves the general registers and calls hv_x86_trap (traps.cpp) with the frame, whose
// layout traps.cpp's TrapFrame mirrors. Interrupt gates have masked interrupts on the way in.

#define TRAP_STUB_SIZE 16

// Vectors whose exception pushes an error code: #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX.
.macro trap_stub vector
	.fill hv_x86_trap_stubs + (\vector) * TRAP_STUB_SIZE - ., 1, 0xcc
	.if ((\vector) == 8) | ((\vector) == 10) | ((\vector) == 11) | ((\vector) == 12) | ((\vector) == 13) | ((\vector) == 14) | ((\vector) == 17) | ((\vector) == 21) | ((\vector) == 29) | ((\vector) == 30)
	.else
	pushq $0
	.endif
	pushq $(\vector)
	jmp trap_common
.endm

	.section .text.trap_entry, "ax"
	.code64
	.p2align 4
	.globl hv_x86_trap_stubs
hv_x86_trap_stubs:
.irp high, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
.irp low, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	trap_stub (\high*16+\low)
.endr
.endr

trap_common:
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, %rdi                 // 16-byte aligned: the CPU aligned it, and 22 quadwords are pushed
	cld
	call hv_x86_trap
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
	add $16, %rsp                  // vector and error code
	iretq

// SPDX-License-Identifier: Apache-2.0
// hv_svm_enter(vmcb_pa = RDI, registers = RSI, host_vmsave_pa = RDX): one trip into the guest.
//
// VMRUN loads and #VMEXIT saves only part of the guest's state (the VMCB's save area: RAX, RSP, RIP,
// RFLAGS, segments, control registers); the other general registers are swapped here with the
// GuestRegisters block (svm.hpp: rbx rcx rdx rsi rdi rbp r8..r15 at 8-byte steps). The hidden state
// VMRUN leaves alone (FS/GS/TR/LDTR, KernelGsBase, the SYSCALL/SYSENTER MSRs) is swapped with
// VMSAVE/VMLOAD, so that the host's task register (its fault stacks) is back before anything can trap.
//
// Interrupts: GIF is cleared first, then IF set, so that physical interrupts stay held in the hypervisor
// but, with V_INTR_MASKING and the INTR intercept, end the guest's run; after the exit IF is cleared
// before GIF is set, and the interrupt stays pending for the hypervisor.

#define R_RBX 0
#define R_RCX 8
#define R_RDX 16
#define R_RSI 24
#define R_RDI 32
#define R_RBP 40
#define R_R8 48
#define R_R9 56
#define R_R10 64
#define R_R11 72
#define R_R12 80
#define R_R13 88
#define R_R14 96
#define R_R15 104

	.section .text.svm, "ax"
	.code64
	.globl hv_svm_enter
hv_svm_enter:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	push %rsi                      // the register block, for after the exit
	push %rdx                      // the host's VMSAVE area, likewise
	push %rdi                      // the VMCB, likewise

	clgi
	mov %rdx, %rax
	vmsave                         // the host's hidden state
	mov %rdi, %rax
	vmload                         // the guest's

	mov R_RBX(%rsi), %rbx
	mov R_RCX(%rsi), %rcx
	mov R_RDX(%rsi), %rdx
	mov R_RDI(%rsi), %rdi
	mov R_RBP(%rsi), %rbp
	mov R_R8(%rsi), %r8
	mov R_R9(%rsi), %r9
	mov R_R10(%rsi), %r10
	mov R_R11(%rsi), %r11
	mov R_R12(%rsi), %r12
	mov R_R13(%rsi), %r13
	mov R_R14(%rsi), %r14
	mov R_R15(%rsi), %r15
	mov R_RSI(%rsi), %rsi          // last: it was the pointer
	sti                            // held by GIF = 0 until VMRUN sets it for the guest
	vmrun                          // RAX = the VMCB; returns at #VMEXIT with RAX and RSP the host's
	cli

	push %rsi                      // the guest's RSI, while RSI points at the block again
	mov 24(%rsp), %rsi             // (stack: guest RSI, VMCB, VMSAVE area, block)
	mov %rbx, R_RBX(%rsi)
	mov %rcx, R_RCX(%rsi)
	mov %rdx, R_RDX(%rsi)
	mov %rdi, R_RDI(%rsi)
	mov %rbp, R_RBP(%rsi)
	mov %r8, R_R8(%rsi)
	mov %r9, R_R9(%rsi)
	mov %r10, R_R10(%rsi)
	mov %r11, R_R11(%rsi)
	mov %r12, R_R12(%rsi)
	mov %r13, R_R13(%rsi)
	mov %r14, R_R14(%rsi)
	mov %r15, R_R15(%rsi)
	pop %rax
	mov %rax, R_RSI(%rsi)

	pop %rax                       // the VMCB
	vmsave                         // the guest's hidden state, for its next VMLOAD
	pop %rax                       // the host's area
	vmload
	stgi
	add $8, %rsp                   // the block
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret

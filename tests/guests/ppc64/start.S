// SPDX-License-Identifier: Apache-2.0
// POWER test guests' entry and interrupt vectors (docs/guest-abi.md, "POWER (ppc64)"). The hypervisor
// enters guest_start in real mode, 64-bit, privileged, MSR[EE]=0, with r3 = the boot device tree. The
// image is linked at guest-physical 0, so .vectors is the guest's own real-mode vector page: the
// external interrupt (0x500) is the event upcall, the program interrupt (0x700) what the hypervisor
// reflects for an illegal instruction. Every other vector holds zeros, an illegal instruction, so an
// unexpected interrupt becomes a program interrupt that the guest reports before it crashes itself.

#define STACK_HEADER 32
// An interrupt frame: the ELFv2 header, the registers below, then room for the 288-byte protected zone
// under the interrupted code's r1, which it may be using without having moved r1.
#define FRAME 512
#define SAVE STACK_HEADER
#define SAVED_SRR0 (SAVE + 128)
#define SAVED_SRR1 (SAVE + 136)

// Everything a C++ handler may change, and SRR0/SRR1, which a hypercall (`sc 1`) made inside it
// overwrites.
.macro save_registers
	stdu 1, -FRAME(1)
	std 0, SAVE + 0(1)
	std 2, SAVE + 8(1)
	.irp n, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
	std \n, SAVE + 8 * (\n - 1)(1)
	.endr
	mfcr 0
	std 0, SAVE + 96(1)
	mflr 0
	std 0, SAVE + 104(1)
	mfctr 0
	std 0, SAVE + 112(1)
	mfxer 0
	std 0, SAVE + 120(1)
	mfsrr0 0
	std 0, SAVED_SRR0(1)
	mfsrr1 0
	std 0, SAVED_SRR1(1)
	lis 2, .TOC.@ha
	addi 2, 2, .TOC.@l
.endm

.macro restore_registers
	ld 0, SAVED_SRR1(1)
	mtsrr1 0
	ld 0, SAVED_SRR0(1)
	mtsrr0 0
	ld 0, SAVE + 120(1)
	mtxer 0
	ld 0, SAVE + 112(1)
	mtctr 0
	ld 0, SAVE + 104(1)
	mtlr 0
	ld 0, SAVE + 96(1)
	mtcr 0
	.irp n, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
	ld \n, SAVE + 8 * (\n - 1)(1)
	.endr
	ld 2, SAVE + 8(1)
	ld 0, SAVE + 0(1)
	addi 1, 1, FRAME
.endm

	.section .vectors, "ax"
	.org 0x500
	b upcall_entry

	.org 0x700
	b program_entry

	.org 0x900
	// The guest's own decrementer, which no test guest uses: pushed back as far as it goes.
	mtsprg 1, 3
	lis 3, 0x7fff
	ori 3, 3, 0xffff
	mtdec 3
	mfsprg 3, 1
	rfid

	.org 0x1000

	.section .text.entry, "ax"
	.globl guest_start
guest_start:
	lis 2, .TOC.@ha
	addi 2, 2, .TOC.@l
	lis 1, stack_top@ha
	addi 1, 1, stack_top@l
	li 0, 0
	stdu 0, -STACK_HEADER(1) // a null back chain ends stack walks here
	bl guest_entry           // (the boot device tree); never returns
	nop
	b .

upcall_entry:
	save_registers
	bl guest_upcall
	nop
	restore_registers
	rfid

// The handler gets {SRR0, SRR1} and may move SRR0 past the instruction.
program_entry:
	save_registers
	addi 3, 1, SAVED_SRR0
	bl guest_program_interrupt
	nop
	restore_registers
	rfid

	.bss
	.balign 16
	.space 16384
stack_top:

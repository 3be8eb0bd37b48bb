// SPDX-License-Identifier: Apache-2.0
// The LPAR backend's self-test guest (arch/ppc64/virt/lpar_selftest.cpp runs it with "lpar-selftest=1"):
// the exits the hello guest never makes. It is loaded at guest-physical 0, so that its external
// interrupt handler sits at the real-mode vector 0x500, and entered at 0x1000 with the test in r3:
//
//   1  spin forever with MSR[EE]=0 and its own decrementer expired: only the hypervisor's decrementer
//      can end its run, and the hypervisor must not inherit the guest's pending decrementer interrupt
//   2  touch memory outside its 64 KiB: a store, a load, then a jump (the driver steps over each)
//   3  report "ready" with EE=0 (the driver raises the upcall), run a while with EE still 0, report
//      "enabling", set EE, spin; the handler at 0x500 reports each upcall with where it interrupted
//   4  four illegal instructions, which the CPU refers to the hypervisor (HEAI) and the hypervisor reflects
//      back as program interrupts; the handler at 0x700 steps over each and counts it in r9; then "done"
//      with the count in r4 and the timebase ticks the four took in r5
//   5  an illegal instruction inside the program-interrupt vector: the hypervisor stops the CPU
//
// Reports are `sc 1` with a marker in r3 (numbers no hypercall uses) and data in r4 and r5.

#define MARK_READY 0x1001
#define MARK_ENABLING 0x1002
#define MARK_DONE 0x1003
#define MARK_UPCALL 0x1500
#define MSR_EE 0x8000
#define OUTSIDE_STORE 0x40000000
#define OUTSIDE_LOAD 0x10008
#define OUTSIDE_JUMP 0x300000
// A word with a primary opcode POWER9 leaves unassigned: an illegal instruction, which a guest's CPU
// refers to the hypervisor.
#define ILLEGAL_WORD 0x14000000

	.section .rodata.guest_selftest, "a"
	.globl hv_guest_selftest_start, hv_guest_selftest_end
	.p2align 4
hv_guest_selftest_start:

	.org 0x500
	// External interrupt: report it with SRR0/SRR1, which `sc 1` overwrites, so they are kept in r4/r5.
	mfsrr0 4
	mfsrr1 5
	li 3, MARK_UPCALL
	sc 1
	mtsrr0 4
	mtsrr1 5
	rfid

	.org 0x700
	// Program interrupt: step over the instruction SRR0 names, and count it.
	mfsrr0 10
	addi 10, 10, 4
	mtsrr0 10
	addi 9, 9, 1
	rfid

	.org 0x780
	.globl hv_guest_selftest_broken_handler
hv_guest_selftest_broken_handler:
	.long ILLEGAL_WORD

	.org 0x1000
	cmpdi 3, 1
	beq spin
	cmpdi 3, 2
	beq outside
	cmpdi 3, 3
	beq upcall
	cmpdi 3, 4
	beq emulation
	cmpdi 3, 5
	beq hv_guest_selftest_broken_handler
	b .

spin:
	li 5, 1
	mtdec 5
1:	b 1b

outside:
	lis 4, OUTSIDE_STORE@h
	stw 0, 0(4)
	lis 6, OUTSIDE_LOAD@h
	ld 5, OUTSIDE_LOAD@l(6)
	lis 7, OUTSIDE_JUMP@h
	mtctr 7
	bctr

upcall:
	li 3, MARK_READY
	sc 1
	li 7, 10000
	mtctr 7
1:	bdnz 1b
	li 3, MARK_ENABLING
	sc 1
	mfmsr 7
	ori 7, 7, MSR_EE
	mtmsrd 7, 1
	.globl hv_guest_selftest_enabled
hv_guest_selftest_enabled:
	b hv_guest_selftest_enabled

emulation:
	li 9, 0
	mftb 11
	.rept 4
	.long ILLEGAL_WORD
	.endr
	mftb 12
	subf 5, 11, 12
	mr 4, 9
	li 3, MARK_DONE
	sc 1
	b .

hv_guest_selftest_end:

// The LPAR backend's self-test guest (arch/ppc64/lpar/lpar_selftest.cpp runs it with "lpar-selftest=1"):
// the exits the hello guest never makes. It is loaded at guest-physical 0, so that its external
// interrupt handler sits at the real-mode vector 0x500, and entered at 0x1000 with the test in r3:
//
//   1  spin forever with MSR[EE]=0 and its own decrementer expired: only the hypervisor's decrementer
//      can end its run, and the hypervisor must not inherit the guest's pending decrementer interrupt
//   2  touch memory outside its 64 KiB: a store, a load, then a jump (the driver steps over each)
//   3  report "ready" with EE=0 (the driver raises the upcall), run a while with EE still 0, report
//      "enabling", set EE, spin; the handler at 0x500 reports each upcall with where it interrupted
//   4  four instructions the CPU refers to the hypervisor (HEAI), then "done", for the exit's timing
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

	.org 0x1000
	cmpdi 3, 1
	beq spin
	cmpdi 3, 2
	beq outside
	cmpdi 3, 3
	beq upcall
	cmpdi 3, 4
	beq emulation
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
	.rept 4
	.long ILLEGAL_WORD
	.endr
	li 3, MARK_DONE
	sc 1
	b .

hv_guest_selftest_end:

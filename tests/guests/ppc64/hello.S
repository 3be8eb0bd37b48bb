// The "hello" test guest for POWER: checks the hypervisor's version, prints through the console_io
// hypercall, tries a bad buffer, blocks once, makes a few back-to-back exits for the benchmark, and powers
// itself off with sched_op. What the x86 hello guest does, less what POWER has no equivalent of (CPUID
// leaves, port I/O, a COM1).
//
// It is raw bytes, not an ELF: the hypervisor copies hv_guest_hello_start..end to guest-physical
// GUEST_LOAD and enters there as the POWER guest boot protocol says (docs/guest-abi.md): real mode, 64-bit,
// MSR[LE] in the hypervisor's byte order (the assembler emits this file in the build's byte order). Data
// is reached relative to r31, which holds the guest-physical address of `base`, so the code runs where it
// is loaded and not where the hypervisor's image holds it. Hypercalls: `sc 1`, number in r3, arguments in
// r4-r8, result in r3. Any check that fails shuts the guest down with reason "crash", which fails the
// scenario.
//
// Guest-physical memory (2 MiB from 0, zeroed):
//   0x00000  the guest's own interrupt vectors (none: an interrupt here would find zeros, an illegal
//            instruction, and the hypervisor would crash the domain)
//   0x10000  this code and its data
//   0x7f000  the sched_shutdown argument

#define GUEST_LOAD 0x10000
#define SHUTDOWN_ARG 0x7f000
#define GUEST_RAM_END 0x200000

// The family's hypercall ABI.
#define HYPERVISOR_xen_version 17
#define HYPERVISOR_console_io 18
#define HYPERVISOR_sched_op 29
#define XENVER_version 0
#define CONSOLEIO_write 0
#define SCHEDOP_block 1
#define SCHEDOP_shutdown 2
#define SHUTDOWN_poweroff 0
#define SHUTDOWN_crash 3
#define EFAULT 14
#define VERSION_4_17 0x40011

	.section .rodata.guest_hello, "a"
	.globl hv_guest_hello_start, hv_guest_hello_end
	.p2align 4
hv_guest_hello_start:
	bcl 20, 31, base
base:
	mflr 31

	// (a) xen_version(XENVER_version): 4.17.
	li 3, HYPERVISOR_xen_version
	li 4, XENVER_version
	sc 1
	lis 9, VERSION_4_17@h
	ori 9, 9, VERSION_4_17@l
	cmpd 3, 9
	bne crash

	// (b) console_io(CONSOLEIO_write, count, buffer): returns the count written.
	li 3, HYPERVISOR_console_io
	li 4, CONSOLEIO_write
	li 5, console_text_end - console_text
	addi 6, 31, console_text - base
	sc 1
	cmpdi 3, console_text_end - console_text
	bne crash

	// A buffer outside guest memory, and one that runs off its end: both -EFAULT, nothing printed.
	li 3, HYPERVISOR_console_io
	li 4, CONSOLEIO_write
	li 5, 16
	lis 6, 0x4000
	sc 1
	cmpdi 3, -EFAULT
	bne crash
	li 3, HYPERVISOR_console_io
	li 4, CONSOLEIO_write
	li 5, 16
	lis 6, (GUEST_RAM_END - 8)@h
	ori 6, 6, (GUEST_RAM_END - 8)@l
	sc 1
	cmpdi 3, -EFAULT
	bne crash

	// (c) How a POWER guest waits for an event: sched_op(SCHEDOP_block). With nothing to wait for the
	// hypervisor may refuse it or return at once; either way the guest goes on.
	li 3, HYPERVISOR_sched_op
	li 4, SCHEDOP_block
	sc 1

	// Back-to-back exits for bench=1: the hypervisor times consecutive entries.
	.rept 4
	li 3, HYPERVISOR_xen_version
	li 4, XENVER_version
	sc 1
	.endr

	// (d) sched_op(SCHEDOP_shutdown, &{reason = poweroff}): does not return.
	li 9, SHUTDOWN_poweroff
	b shutdown

crash:
	li 9, SHUTDOWN_crash
shutdown:
	lis 5, SHUTDOWN_ARG@h
	ori 5, 5, SHUTDOWN_ARG@l
	stw 9, 0(5)
	li 3, HYPERVISOR_sched_op
	li 4, SCHEDOP_shutdown
	sc 1
1:	b 1b

console_text:
	.ascii "hello from guest\n"
console_text_end:
	.p2align 2
hv_guest_hello_end:

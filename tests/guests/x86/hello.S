// The "hello" test guest: a PVH-style guest that checks the hypervisor's identity, prints through the
// console_io hypercall and through an emulated COM1, tries a bad buffer, halts once, makes a few
// back-to-back exits for the benchmark, and powers itself off with sched_op.
//
// It is raw bytes, not an ELF: the hypervisor copies hv_guest_hello_start..end to guest-physical
// GUEST_LOAD and enters there (arch/x86_64/svm/svm_guests.cpp), in 32-bit protected mode with paging off
// and flat segments, as the PVH boot protocol starts a guest. Addresses are computed as G(label), the
// label's guest-physical address, so the code runs where it is loaded and not where the hypervisor's
// image holds it. Any check that fails shuts the guest down with reason "crash", which fails the scenario.
//
// Guest-physical memory (2 MiB from 0, zeroed):
//   0x10000  this code and its data
//   0x70000  the page tables for long mode (one 2 MiB page, identity)
//   0x7f000  the sched_shutdown argument
//   0x80000  top of the stack

#define GUEST_LOAD 0x10000
#define G(label) ((label) - hv_guest_hello_start + GUEST_LOAD)
#define TABLES 0x70000
#define SHUTDOWN_ARG 0x7f000
#define STACK_TOP 0x80000
#define GUEST_RAM_END 0x200000

// The family's hypercall ABI.
#define HYPERVISOR_xen_version 17
#define HYPERVISOR_console_io 18
#define HYPERVISOR_sched_op 29
#define XENVER_version 0
#define CONSOLEIO_write 0
#define SCHEDOP_shutdown 2
#define SHUTDOWN_poweroff 0
#define SHUTDOWN_crash 3
#define EFAULT 14

#define COM1 0x3f8
#define COM1_LINE_STATUS (COM1 + 5)
#define LINE_STATUS_TRANSMIT_EMPTY 0x20

	.section .rodata.guest_hello, "a"
	.globl hv_guest_hello_start, hv_guest_hello_end
	.p2align 4
	.code32
hv_guest_hello_start:
	mov $STACK_TOP, %esp

	// (a) the hypervisor leaves: "XenVMMXenVMM" in EBX, ECX, EDX.
	mov $0x40000000, %eax
	xor %ecx, %ecx
	cpuid
	cmp $0x566e6558, %ebx
	jne crash32
	cmp $0x65584d4d, %ecx
	jne crash32
	cmp $0x4d4d566e, %edx
	jne crash32

	// The 32-bit hypercall convention once (EBX, ECX, ...): xen_version must answer, not fail.
	mov $HYPERVISOR_xen_version, %eax
	mov $XENVER_version, %ebx
	xor %ecx, %ecx
	vmmcall
	test %eax, %eax
	js crash32

	// Long mode, for the 64-bit convention: identity-map the first 2 MiB, PAE, EFER.LME, paging.
	movl $(TABLES + 0x1000 + 3), TABLES
	movl $(TABLES + 0x2000 + 3), TABLES + 0x1000
	movl $0x83, TABLES + 0x2000
	mov $TABLES, %eax
	mov %eax, %cr3
	mov %cr4, %eax
	or $0x20, %eax
	mov %eax, %cr4
	mov $0xc0000080, %ecx
	rdmsr
	or $0x100, %eax
	wrmsr
	mov %cr0, %eax
	or $0x80000000, %eax
	mov %eax, %cr0
	lgdt G(gdt_pointer)
	ljmp $0x08, $G(long_mode)

crash32:
	movl $SHUTDOWN_crash, SHUTDOWN_ARG
	mov $HYPERVISOR_sched_op, %eax
	mov $SCHEDOP_shutdown, %ebx
	mov $SHUTDOWN_ARG, %ecx
	vmmcall
1:	hlt
	jmp 1b

	.code64
long_mode:
	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov $STACK_TOP, %esp

	// (b) console_io(CONSOLEIO_write, count, buffer): returns the count written.
	mov $HYPERVISOR_console_io, %eax
	mov $CONSOLEIO_write, %edi
	mov $(console_text_end - console_text), %esi
	mov $G(console_text), %edx
	vmmcall
	cmp $(console_text_end - console_text), %rax
	jne crash

	// A buffer outside guest memory, and one that runs off its end: both -EFAULT, nothing printed.
	mov $HYPERVISOR_console_io, %eax
	mov $CONSOLEIO_write, %edi
	mov $16, %esi
	mov $0x40000000, %edx
	vmmcall
	cmp $-EFAULT, %rax
	jne crash
	mov $HYPERVISOR_console_io, %eax
	mov $CONSOLEIO_write, %edi
	mov $16, %esi
	mov $(GUEST_RAM_END - 8), %edx
	vmmcall
	cmp $-EFAULT, %rax
	jne crash

	// (c) the emulated COM1, polled as on a PC.
	mov $G(com1_text), %esi
	mov $(com1_text_end - com1_text), %ecx
2:	mov $COM1_LINE_STATUS, %dx
3:	inb %dx, %al
	test $LINE_STATUS_TRANSMIT_EMPTY, %al
	jz 3b
	mov $COM1, %dx
	lodsb
	outb %al, %dx
	loop 2b

	// One halt with interrupts off: the hypervisor sees it and resumes after it.
	hlt

	// Back-to-back exits for bench=1: the hypervisor times consecutive entries.
	.rept 4
	mov $HYPERVISOR_xen_version, %eax
	xor %edi, %edi
	vmmcall
	.endr
	.rept 4
	xor %eax, %eax
	cpuid
	.endr

	// (d) sched_op(SCHEDOP_shutdown, &{reason = poweroff}): does not return.
	movl $SHUTDOWN_poweroff, SHUTDOWN_ARG
	mov $HYPERVISOR_sched_op, %eax
	mov $SCHEDOP_shutdown, %edi
	mov $SHUTDOWN_ARG, %esi
	vmmcall

crash:
	movl $SHUTDOWN_crash, SHUTDOWN_ARG
	mov $HYPERVISOR_sched_op, %eax
	mov $SCHEDOP_shutdown, %edi
	mov $SHUTDOWN_ARG, %esi
	vmmcall
4:	hlt
	jmp 4b

	.p2align 3
gdt:
	.quad 0
	.quad 0x00af9a000000ffff       // 0x08: 64-bit code
	.quad 0x00cf92000000ffff       // 0x10: data
gdt_end:
gdt_pointer:
	.word gdt_end - gdt - 1
	.long G(gdt)

console_text:
	.ascii "hello from guest\n"
console_text_end:
com1_text:
	.ascii "hello via COM1\n"
com1_text_end:
hv_guest_hello_end:

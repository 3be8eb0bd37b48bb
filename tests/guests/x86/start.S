// SPDX-License-Identifier: Apache-2.0
// x86 test guests' entry: the PVH boot protocol enters at the address in the image's
// XEN_ELFNOTE_PHYS32_ENTRY note, in 32-bit protected mode with paging off, flat segments whose
// descriptors the guest must still provide, interrupts off, and EBX = the start info's address.

#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define CODE_SELECTOR 0x08
#define DATA_SELECTOR 0x10

	.section .note.Xen, "a", @note
	.p2align 2
	.long 4                         // name size: "Xen\0"
	.long 4                         // descriptor size: a 32-bit entry address
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.long guest_start

	.text
	.code32
	.globl guest_start
guest_start:
	cli
	mov %ebx, guest_start_info
	lgdt gdt_pointer
	ljmp $CODE_SELECTOR, $1f
1:	mov $DATA_SELECTOR, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs
	mov $stack_top, %esp
	cld
	call guest_entry
	ud2

// Interrupt entries. The upcall: all registers saved, the C++ handler, back to where the guest was.
	.globl guest_upcall_entry
guest_upcall_entry:
	pushal
	cld
	call guest_upcall
	popal
	iret

// #GP pushes an error code; the handler gets the frame (after PUSHAL: EDI..EAX, then the error code,
// EIP, CS, EFLAGS) and may move EIP past the faulting instruction.
	.globl guest_general_protection_entry
guest_general_protection_entry:
	pushal
	cld
	push %esp
	call guest_general_protection
	add $4, %esp
	popal
	add $4, %esp
	iret

// #UD pushes no error code; the handler gets the frame (EDI..EAX, then EIP, CS, EFLAGS) likewise.
	.globl guest_invalid_opcode_entry
guest_invalid_opcode_entry:
	pushal
	cld
	push %esp
	call guest_invalid_opcode
	add $4, %esp
	popal
	iret

	.section .rodata
	.p2align 3
gdt:
	.quad 0
	.quad 0x00cf9b000000ffff        // 0x08: flat 32-bit code, ring 0
	.quad 0x00cf93000000ffff        // 0x10: flat 32-bit data, ring 0
gdt_end:
gdt_pointer:
	.word gdt_end - gdt - 1
	.long gdt

	.bss
	.globl guest_start_info
	.p2align 2
guest_start_info:
	.long 0
	.p2align 4
	.skip 16384
stack_top:

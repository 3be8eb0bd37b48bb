// SPDX-License-Identifier: Apache-2.0
// The x86_32 image's entry: the PVH note that tells the loader where to enter, and the few steps from
// the loader's 32-bit protected mode (paging off, EBX = start info) to C++: a GDT of our own (the
// loader's lies in low memory the frame allocator may hand out), a clear .bss and a stack. Paging
// stays off until Paging::init turns PAE paging on with the hypervisor's own tables.
//
// A secondary CPU comes from trampoline.S (32-bit protected mode, paging off) to
// hv_x86_secondary_entry32, and on to hv_x86_secondary_start with the stack smp.cpp chose for it.

#define BOOT_CODE_SELECTOR 0x08
#define BOOT_DATA_SELECTOR 0x10
#define XEN_ELFNOTE_PHYS32_ENTRY 18

	.section .note.Xen, "a", @note
	.p2align 2
	.long 4                        // name size: "Xen" and its NUL
	.long 4                        // descriptor size: a 32-bit address in an ELF32 image
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.p2align 2
	.long hv_pvh_entry

	.section .text.entry, "ax"
	.code32
	.globl hv_pvh_entry
hv_pvh_entry:
	cli
	cld
	mov %ebx, %esi                 // the start info, for hv_x86_start; nothing below touches ESI

	lgdt boot_gdt_pointer
	ljmp $BOOT_CODE_SELECTOR, $1f
1:	mov $BOOT_DATA_SELECTOR, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs

	// .bss holds the stack: make sure it is zero whatever the loader did.
	mov $hv_bss_start, %edi
	mov $hv_bss_end, %ecx
	sub %edi, %ecx
	xor %eax, %eax
	rep stosb

	mov $boot_stack_top, %esp
	sub $12, %esp                  // the i386 ABI wants ESP 16-byte aligned at the call
	push %esi
	call hv_x86_start
2:	cli
	hlt
	jmp 2b

	.globl hv_x86_secondary_entry32
hv_x86_secondary_entry32:
	mov $BOOT_DATA_SELECTOR, %eax  // the trampoline's GDT has the same selectors; DS is still real mode's
	mov %eax, %ds
	lgdt boot_gdt_pointer
	ljmp $BOOT_CODE_SELECTOR, $3f
3:	mov $BOOT_DATA_SELECTOR, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs
	mov hv_x86_secondary_stack, %esp
	call hv_x86_secondary_start
	jmp 2b

	.section .rodata.boot_gdt, "a"
	.p2align 3
// Only until load_trap_tables installs the real GDT.
boot_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff       // 0x08: 32-bit code, ring 0, flat
	.quad 0x00cf92000000ffff       // 0x10: data, ring 0, flat
boot_gdt_end:
boot_gdt_pointer:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt

	.section .bss.boot_stack, "aw", @nobits
	.p2align 4
	.skip 16384
boot_stack_top:

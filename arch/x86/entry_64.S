// SPDX-License-Identifier: Apache-2.0
// The x86_64 image's entry: the PVH note that tells the loader where to enter, and the way from the
// 32-bit protected mode the loader leaves (paging off, EBX = start info) to long mode and C++.
//
// Long mode requires paging, so this builds boot tables first: 0-4 GiB identity-mapped with 2 MiB
// pages, enough for the image, all RAM the frame allocator hands out before Paging::init, and the
// devices. Paging::init replaces them with the hypervisor's own tables.
//
// A secondary CPU comes the same way from trampoline.S (32-bit protected mode, paging off) to
// hv_x86_secondary_entry32: the boot tables stay in .bss for it, since the hypervisor's root may lie
// above 4 GiB, out of a 32-bit CR3's reach; hv_x86_secondary_start then switches to the hypervisor's.

#define MSR_EFER 0xc0000080
#define EFER_LONG_MODE_ENABLE (1 << 8)
#define CR0_PROTECTION_AND_PAGING 0x80000001
#define CR4_PAE (1 << 5)
#define PTE_PRESENT_WRITABLE 0x3
#define PTE_PRESENT_WRITABLE_LARGE 0x83
#define BOOT_CODE_SELECTOR 0x08
#define BOOT_DATA_SELECTOR 0x10
#define XEN_ELFNOTE_PHYS32_ENTRY 18

// The entry as 8 bytes: QEMU (10.0 and earlier) reads an address-sized value from an ELF64 image's note,
// later versions read 32 bits; a little-endian quad serves both.
	.section .note.Xen, "a", @note
	.p2align 2
	.long 4                        // name size: "Xen" and its NUL
	.long 8                        // descriptor size
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.p2align 2
	.quad hv_pvh_entry

	.section .text.entry, "ax"
	.code32
	.globl hv_pvh_entry
hv_pvh_entry:
	cli
	cld
	mov %ebx, %esi                 // the start info, for hv_x86_start; nothing below touches ESI

	// .bss holds the boot tables and the stack: make sure it is zero whatever the loader did.
	mov $hv_bss_start, %edi
	mov $hv_bss_end, %ecx
	sub %edi, %ecx
	xor %eax, %eax
	rep stosb

	// PML4[0] -> PDPT; PDPT[0..3] -> four directories; each directory entry maps 2 MiB.
	movl $(boot_pdpt + PTE_PRESENT_WRITABLE), boot_pml4
	mov $boot_pdpt, %edi
	mov $(boot_directories + PTE_PRESENT_WRITABLE), %eax
	mov $4, %ecx
1:	mov %eax, (%edi)
	add $8, %edi
	add $4096, %eax
	loop 1b
	mov $boot_directories, %edi
	mov $PTE_PRESENT_WRITABLE_LARGE, %eax
	mov $(4 * 512), %ecx
2:	mov %eax, (%edi)
	add $8, %edi
	add $(2 << 20), %eax
	loop 2b
	xor %ebp, %ebp                 // the boot CPU
	jmp enter_long_mode

	.globl hv_x86_secondary_entry32
hv_x86_secondary_entry32:
	mov $BOOT_DATA_SELECTOR, %eax  // the trampoline's GDT has the boot GDT's selectors
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov $1, %ebp                   // a secondary CPU

enter_long_mode:
	mov %cr4, %eax
	or $CR4_PAE, %eax
	mov %eax, %cr4
	mov $boot_pml4, %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx
	rdmsr
	or $EFER_LONG_MODE_ENABLE, %eax
	wrmsr
	mov %cr0, %eax
	or $CR0_PROTECTION_AND_PAGING, %eax
	mov %eax, %cr0                 // now in compatibility mode: the far jump enters 64-bit code

	lgdt boot_gdt_pointer
	ljmp $BOOT_CODE_SELECTOR, $long_mode

	.code64
long_mode:
	mov $BOOT_DATA_SELECTOR, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs
	test %ebp, %ebp
	jnz 4f
	mov $boot_stack_top, %rsp
	mov %esi, %edi
	call hv_x86_start
3:	cli
	hlt
	jmp 3b
4:	mov hv_x86_secondary_stack(%rip), %rsp
	call hv_x86_secondary_start
	jmp 3b

	.section .rodata.boot_gdt, "a"
	.p2align 3
// Only for the switch and until load_trap_tables installs the real GDT.
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff       // 0x08: 64-bit code, ring 0
	.quad 0x00cf92000000ffff       // 0x10: data, ring 0
boot_gdt_end:
boot_gdt_pointer:
	.word boot_gdt_end - boot_gdt - 1
	.quad boot_gdt

	.section .bss.boot_tables, "aw", @nobits
	.p2align 12
boot_pml4:
	.skip 4096
boot_pdpt:
	.skip 4096
boot_directories:
	.skip 4 * 4096

	.section .bss.boot_stack, "aw", @nobits
	.p2align 4
	.skip 16384
boot_stack_top:

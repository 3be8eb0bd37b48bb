// SPDX-License-Identifier: Apache-2.0
// Where a secondary CPU wakes: its startup IPI starts it in real mode at CS = page << 8, IP = 0, so this
// code is copied to that page (smp.cpp) and never runs where it is linked. It loads a flat GDT of its own
// (addressed by its place in that page), enters 32-bit protected mode and jumps to the image's secondary
// entry (entry_64.S, entry_32.S), which expects the same selectors as the boot entry.

// A page of the first MiB that firmware no longer uses once the loader has handed over: above the
// real-mode vectors, the BIOS data area and the boot sector's 0x7C00, far below the EBDA. The frame
// allocator never hands the first MiB out (x86/memory_map.hpp).
#define TRAMPOLINE_BASE 0x8000
#define CODE_SELECTOR 0x08
#define CR0_PROTECTION 0x1
#define CR0_CACHE_OFF 0x60000000       // CD and NW, both set by INIT: the caches would stay off

	.globl hv_x86_trampoline_base
	.set hv_x86_trampoline_base, TRAMPOLINE_BASE

	.section .rodata.trampoline, "a"
	.p2align 4
	.globl hv_x86_trampoline_start
	.globl hv_x86_trampoline_end
	.code16
hv_x86_trampoline_start:
	cli
	cld
	mov %cs, %ax
	mov %ax, %ds
	lgdtl gdt_pointer - hv_x86_trampoline_start
	mov %cr0, %eax
	or $CR0_PROTECTION, %eax
	and $~CR0_CACHE_OFF, %eax
	mov %eax, %cr0
	ljmpl $CODE_SELECTOR, $hv_x86_secondary_entry32

	.p2align 3
gdt:
	.quad 0
	.quad 0x00cf9a000000ffff       // 0x08: 32-bit code, ring 0, flat
	.quad 0x00cf92000000ffff       // 0x10: data, ring 0, flat
gdt_end:
gdt_pointer:
	.word gdt_end - gdt - 1
	.long TRAMPOLINE_BASE + (gdt - hv_x86_trampoline_start)
hv_x86_trampoline_end:
	.code32

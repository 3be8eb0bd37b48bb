// SPDX-License-Identifier: Apache-2.0
// The IA-64 port's entry point and the few operations that only assembly can do: switching translation
// on with rfi, loading the region registers and cr.pta, pinning the image with translation registers,
// inserting and purging translations, and reading memory by physical address.
//
// Entry state (what an EFI-style loader leaves): physical mode (psr.it/dt/rt clear), privilege level 0,
// the image loaded at its link address, and r28 (of the register bank in use) holding the physical
// address of the loader's boot information (ia64/boot_info.hpp), or 0 when there is none: the register
// that IA-64 boot loaders have always passed their boot parameters in. Nothing else is assumed: no
// firmware stack, no gp, no valid backing store, and no SAL or PAL call is made anywhere in the port.

#define PSR_IC (1 << 13)
#define PSR_I (1 << 14)
#define PSR_DT (1 << 17)
#define PSR_DFH (1 << 19)

/* The floating-point status register value the software conventions give as the default: all traps
   disabled, round to nearest, 64-bit precision in sf0, sf1 with widest range exponent for the compiler's
   divide and square root sequences. */
#define FPSR_DEFAULT 0x0009804c0270033f

	.section .text.entry, "ax", @progbits
	.align 32
	.global hv_ia64_entry
	.proc hv_ia64_entry
hv_ia64_entry:
	// The loader's r28 is in the bank in use now; bsw below may switch it away.
	mov r9 = r28
	// Interrupts and collection off, bank 1 for r16-r31 (the trap path assumes the hypervisor runs on
	// bank 1), the high floating-point partition disabled.
	rsm PSR_I | PSR_IC
	;;
	srlz.d
	;;
	bsw.1
	;;
	ssm PSR_DFH
	;;
	srlz.d
	movl r1 = __gp
	;;
	// Clear .bss (which holds the stacks, the VHPT and every zero-initialized object).
	movl r14 = __bss_start
	movl r15 = __bss_end
	;;
1:	cmp.ltu p6, p7 = r14, r15
	;;
(p6)	st8 [r14] = r0, 8
(p6)	br.cond.sptk.few 1b
	;;
	// Only now: hv_ia64_boot_info_pa is in .bss.
	movl r14 = hv_ia64_boot_info_pa
	;;
	st8 [r14] = r9
	;;
	// Register stack: enforced lazy mode to move it, invalidate whatever the loader left, then put the
	// backing store at hv_ia64_boot_rbs (it grows up) and go back to eager mode.
	mov ar.rsc = 0
	;;
	loadrs
	;;
	movl r14 = hv_ia64_boot_rbs
	;;
	mov ar.bspstore = r14
	;;
	mov ar.rnat = r0
	;;
	mov ar.rsc = 3
	// Memory stack: grows down from the top of hv_ia64_boot_stack, less the callee's 16-byte scratch area.
	movl r12 = hv_ia64_boot_stack_top - 16
	movl r14 = FPSR_DEFAULT
	;;
	mov ar.fpsr = r14
	mov r13 = r0
	;;
	// The IVT from the first instruction on, so that even an early fault reaches the trap path, and
	// collection on so that it is reported with its state.
	movl r14 = hv_ia64_ivt
	;;
	mov cr.iva = r14
	;;
	srlz.i
	;;
	ssm PSR_IC
	;;
	srlz.d
	;;
	alloc r14 = ar.pfs, 0, 0, 0, 0
	;;
	br.call.sptk.many b0 = _ZN2hv9boot_mainEv   // hv::boot_main(): never returns
	;;
2:	hint @pause
	br.sptk.few 2b
	;;
	.endp hv_ia64_entry

	.text

// void hv_ia64_install_ivt(const void* ivt): cr.iva = ivt (32 KiB aligned).
	.align 32
	.global hv_ia64_install_ivt
	.proc hv_ia64_install_ivt
hv_ia64_install_ivt:
	mov cr.iva = r32
	;;
	srlz.i
	;;
	br.ret.sptk.many b0
	;;
	.endp hv_ia64_install_ivt

// void hv_ia64_load_region_registers(const u64 values[8]): rr[n] = values[n] for the eight regions.
// Called in physical mode: rewriting the region register of the region one runs in with translation on
// would change the translation of the very next fetch.
	.align 32
	.global hv_ia64_load_region_registers
	.proc hv_ia64_load_region_registers
hv_ia64_load_region_registers:
	// All eight values first: after a region register write, no data access may come before srlz.d.
	adds r14 = 8, r32
	ld8 r16 = [r32], 16
	;;
	ld8 r17 = [r14], 16
	ld8 r18 = [r32], 16
	;;
	ld8 r19 = [r14], 16
	ld8 r20 = [r32], 16
	;;
	ld8 r21 = [r14], 16
	ld8 r22 = [r32], 16
	;;
	ld8 r23 = [r14], 16
	mov r15 = r0                       // a virtual address in region 0; + 2^61 per region
	movl r24 = 0x2000000000000000
	;;
	mov rr[r15] = r16
	add r15 = r15, r24
	;;
	mov rr[r15] = r17
	add r15 = r15, r24
	;;
	mov rr[r15] = r18
	add r15 = r15, r24
	;;
	mov rr[r15] = r19
	add r15 = r15, r24
	;;
	mov rr[r15] = r20
	add r15 = r15, r24
	;;
	mov rr[r15] = r21
	add r15 = r15, r24
	;;
	mov rr[r15] = r22
	add r15 = r15, r24
	;;
	mov rr[r15] = r23
	;;
	srlz.d
	;;
	srlz.i
	;;
	br.ret.sptk.many b0
	;;
	.endp hv_ia64_load_region_registers

// void hv_ia64_load_pta(u64 pta): cr.pta = pta (VHPT base, size, format, walker enable).
	.align 32
	.global hv_ia64_load_pta
	.proc hv_ia64_load_pta
hv_ia64_load_pta:
	mov cr.pta = r32
	;;
	srlz.d
	;;
	srlz.i
	;;
	br.ret.sptk.many b0
	;;
	.endp hv_ia64_load_pta

// void hv_ia64_pin_image(u64 va, u64 pte, u64 itir): translation register 0 of both the instruction
// and the data side maps [va, va + 2^itir.ps) with pte. Whatever overlapped the range (in a TR or the
// TC) is purged first: an overlap between two translations is a machine check.
	.align 32
	.global hv_ia64_pin_image
	.proc hv_ia64_pin_image
hv_ia64_pin_image:
	mov r16 = psr
	rsm PSR_I | PSR_IC
	;;
	srlz.d
	;;
	ptr.i r32, r34
	;;
	ptr.d r32, r34
	;;
	srlz.i
	;;
	mov cr.ifa = r32
	mov cr.itir = r34
	mov r15 = r0                       // translation register 0
	;;
	itr.i itr[r15] = r33
	;;
	srlz.i
	;;
	itr.d dtr[r15] = r33
	;;
	srlz.d
	tbit.nz p6, p0 = r16, 13           // collection back on only if it was on
	;;
(p6)	ssm PSR_IC
	;;
	srlz.d
	;;
	br.ret.sptk.many b0
	;;
	.endp hv_ia64_pin_image

// void hv_ia64_switch_to_virtual(u64 psr): continues at the caller's return address with psr as given
// (translation on). The image is identity-mapped and pinned, so the addresses in use (ip, sp, bsp) stay
// valid across the switch; rfi is the only way to change psr.it.
	.align 32
	.global hv_ia64_switch_to_virtual
	.proc hv_ia64_switch_to_virtual
hv_ia64_switch_to_virtual:
	rsm PSR_I | PSR_IC
	;;
	srlz.d
	movl r14 = 1f
	;;
	mov cr.ipsr = r32
	mov cr.iip = r14
	mov cr.ifs = r0                    // ifs.v = 0: rfi keeps the current register frame
	;;
	srlz.d
	;;
	rfi
	;;
1:	br.ret.sptk.many b0
	;;
	.endp hv_ia64_switch_to_virtual

// void hv_ia64_tc_insert(u64 va, u64 pte, u64 itir, u64 instruction): inserts a translation cache
// entry on the instruction side (instruction != 0) or the data side. itc takes the address and size from
// cr.ifa and cr.itir, which may only be written with collection off; nothing here touches memory while
// it is off.
	.align 32
	.global hv_ia64_tc_insert
	.proc hv_ia64_tc_insert
hv_ia64_tc_insert:
	mov r16 = psr
	rsm PSR_I | PSR_IC
	cmp.ne p6, p7 = r35, r0
	;;
	srlz.d
	;;
	mov cr.ifa = r32
	mov cr.itir = r34
	;;
(p6)	itc.i r33
	;;
(p7)	itc.d r33
	;;
	srlz.d
	tbit.nz p8, p0 = r16, 13
	tbit.nz p9, p0 = r16, 14
	;;
(p8)	ssm PSR_IC
	;;
(p9)	ssm PSR_I
	;;
	srlz.i
	;;
	br.ret.sptk.many b0
	;;
	.endp hv_ia64_tc_insert

// void hv_ia64_purge(u64 va, u64 page_shift): removes the translations covering [va, va + 2^page_shift)
// from this CPU's translation cache.
	.align 32
	.global hv_ia64_purge
	.proc hv_ia64_purge
hv_ia64_purge:
	shl r14 = r33, 2                   // ptc.l takes the size as ITIR does, in bits 7:2
	;;
	ptc.l r32, r14
	;;
	srlz.i
	;;
	br.ret.sptk.many b0
	;;
	.endp hv_ia64_purge

// u64 hv_ia64_phys_load(u64 pa): the doubleword at physical address pa, read with data translation
// off, so that the TLB miss path can walk the page tables without taking misses on the tables.
	.align 32
	.global hv_ia64_phys_load
	.proc hv_ia64_phys_load
hv_ia64_phys_load:
	mov r16 = psr
	rsm PSR_I | PSR_DT
	;;
	srlz.d
	;;
	ld8 r8 = [r32]
	tbit.nz p6, p0 = r16, 17
	tbit.nz p7, p0 = r16, 14
	;;
(p6)	ssm PSR_DT
	;;
	srlz.d
	;;
(p7)	ssm PSR_I
	;;
	br.ret.sptk.many b0
	;;
	.endp hv_ia64_phys_load

// The physical address of the loader's boot information (0: none), as r28 held it at entry.
	.section .bss.boot_info, "aw", @nobits
	.align 8
	.global hv_ia64_boot_info_pa
hv_ia64_boot_info_pa:
	.skip 8

// The boot stacks: the memory stack grows down, the register stack backing store grows up.
	.section .bss.stack, "aw", @nobits
	.align 16
	.global hv_ia64_boot_stack
hv_ia64_boot_stack:
	.skip 64 * 1024
	.global hv_ia64_boot_stack_top
hv_ia64_boot_stack_top:
	.align 16
	.global hv_ia64_boot_rbs
hv_ia64_boot_rbs:
	.skip 64 * 1024

// SPDX-License-Identifier: Apache-2.0
// Translation registers and cache, region registers and the alternate data TLB fault (volume 2, section
// 4.1 "Virtual Addressing": region registers 4.1.2, translation registers and insertion 4.1.1, purges
// 4.1.1.4; section 5.5 for the switch to virtual mode with rfi; vector 0x1000 "Alternate Data TLB": a
// miss in a region whose VHPT walker is off, with cr.ifa the address and cr.itir the region's page size
// and ID; tpa). The program pins itself and the devices with translation registers, switches to
// virtual mode, stores to an unmapped page whose miss handler inserts a translation with itc.d, checks
// the data landed at the physical page, purges the translation with ptc.l and misses again.
// expect-output: vmm.  expect-status: 0
	.include "machine.inc"

	.text
	.global _start
	.proc _start
_start:
	INSTALL_IVT
	MAP_PROGRAM_AND_DEVICES 0
	VIRTUAL_MODE virtual
virtual:
	mov r2 = psr
	;;
	tbit.z p6, p0 = r2, 17
	;;
(p6)	mov r31 = 'd'
(p6)	br.cond.spnt.few failure
	PUTC 'v'                         // through the data translation register of the devices
	movl r8 = 0x2000000000001008
	movl r9 = 0x1122334455667788
	;;
	st8 [r8] = r9                    // misses: the handler maps the page to physical 0x800000
	;;
	EXPECT r17, 1, '1'
	ld8 r10 = [r8]                   // hits
	;;
	EXPECT r17, 1, '2'
	EXPECT r10, 0x1122334455667788, 'l'
	tpa r11 = r8
	;;
	EXPECT r11, 0x800008, 't'
	// The store reached physical 0x800008: read it with data translation off.
	rsm 1 << 17
	;;
	srlz.d
	;;
	movl r12 = 0x800008
	;;
	ld8 r13 = [r12]
	;;
	ssm 1 << 17
	;;
	srlz.d
	;;
	EXPECT r13, 0x1122334455667788, 'p'
	// Purged, the page misses again.
	mov r14 = 12 << 2
	;;
	ptc.l r8, r14
	;;
	srlz.d
	;;
	ld8 r10 = [r8]
	;;
	EXPECT r17, 2, '3'
	PASS
	.endp _start

	IVT_WITH 0x1000, alternate_data_tlb
	.proc alternate_data_tlb
alternate_data_tlb:
	mov r16 = cr.ifa
	mov r18 = cr.itir
	;;
	movl r19 = 0x2000000000001008
	;;
	cmp.ne p6, p0 = r16, r19
	;;
(p6)	mov r31 = 'a'
(p6)	br.cond.spnt.few failure
	EXPECT r18, (0x11 << 8) | (12 << 2), 'i'
	PUTC 'm'
	movl r20 = 0x800000 | (2 << 9) | (1 << 6) | (1 << 5) | 1
	;;
	itc.d r20                        // cr.ifa and cr.itir as the fault left them
	;;
	srlz.d
	COUNT_IN_BANK1
	rfi                              // the store again
	;;
	.endp alternate_data_tlb

// SPDX-License-Identifier: Apache-2.0
// The register stack engine's backing store (volume 2, chapter 6 "Register Stack Engine": ar.bspstore
// and ar.bsp, one doubleword a stacked register and the NaT collection doubleword at every address whose
// bits 8:3 are all ones, section 6.3; flushrs writes the dirty registers and brings ar.bspstore up to
// ar.bsp, section 6.5; loadrs with ar.rsc.loadrs 0 and ar.rsc in enforced lazy mode to move the backing
// store, section 6.11; cover: the frame joins the dirty registers and, with psr.ic clear, cr.ifs names
// it, section 6.6; the return into a frame no longer in the register file fills it from the backing
// store, section 6.5). A caller's five locals become dirty at the call, straddling a NaT collection slot;
// flushrs writes them where the architecture says; the callee changes one there, and the caller gets
// the changed value back; loadrs reaches another backing store (section 6.11).
// expect-output: rfcl.  expect-status: 0
	.include "machine.inc"
	.text
	.global _start
	.proc _start
_start:
	mov ar.rsc = 0
	;;
	loadrs
	;;
	movl r2 = 0x2001e0               // three registers below the NaT collection slot at 0x2001f8
	;;
	mov ar.bspstore = r2
	;;
	mov ar.rsc = 3
	alloc r40 = ar.pfs, 0, 5, 1, 0
	;;
	mov r32 = 1
	mov r33 = 2
	mov r34 = 3
	mov r35 = 4
	mov r36 = 5
	mov r3 = ar.bsp
	;;
	EXPECT r3, 0x2001e0, 'a'         // nothing dirty yet
	PUTC 'r'
	br.call.sptk.many b0 = callee
	;;
	EXPECT r32, 1, 'x'               // the caller's frame is back, filled from the backing store:
	EXPECT r33, 77, 'w'              // with what the callee wrote there
	EXPECT r36, 5, 'y'
	mov r3 = ar.bsp
	;;
	EXPECT r3, 0x2001e0, 'z'
	// cover with psr.ic clear: cr.ifs holds the frame (sof 6, sol 5) with its valid bit.
	cover
	;;
	mov r4 = cr.ifs
	mov r5 = ar.bsp
	;;
	EXPECT r4, 0x8000000000000000 | (5 << 7) | 6, 'i'
	EXPECT r5, 0x200218, 'j'         // six registers past 0x2001e0, and the NaT collection
	PUTC 'c'
	// Another backing store, as a context switch reaches it: three registers written at 0x300000,
	// ar.bspstore moved just past them, loadrs of 24 bytes loads them, and a return into a frame of
	// three registers finds them.
	movl r2 = 0x300000
	mov r3 = 101
	mov r4 = 102
	mov r5 = 103
	;;
	st8 [r2] = r3, 8
	;;
	st8 [r2] = r4, 8
	;;
	st8 [r2] = r5, 8
	mov ar.rsc = 0
	;;
	loadrs
	;;
	mov ar.bspstore = r2             // 0x300018
	;;
	movl r6 = 24 << 16               // ar.rsc.loadrs: 24 bytes
	;;
	mov ar.rsc = r6
	;;
	loadrs
	;;
	mov r7 = ar.bspstore
	movl r8 = 3 | (3 << 7)           // a caller's frame: sof 3, sol 3
	movl r9 = switched
	;;
	EXPECT r7, 0x300000, 'l'
	mov ar.pfs = r8
	mov b6 = r9
	;;
	br.ret.sptk.many b6
	;;
switched:
	EXPECT r32, 101, 'm'
	EXPECT r33, 102, 'n'
	EXPECT r34, 103, 'o'
	mov r10 = ar.bsp
	;;
	EXPECT r10, 0x300000, 'q'
	PUTC 'l'
	PASS
	.endp _start

	.proc callee
callee:
	alloc r16 = ar.pfs, 1, 0, 0, 0
	;;
	mov r3 = ar.bsp
	;;
	// The caller's five locals (ar.bspstore 0x2001e0, 0x1e8, 0x1f0, the NaT slot 0x1f8, 0x200, 0x208).
	EXPECT r3, 0x200210, 'b'
	flushrs
	;;
	mov r4 = ar.bspstore
	;;
	EXPECT r4, 0x200210, 's'
	movl r5 = 0x2001e0
	;;
	ld8 r6 = [r5], 8
	;;
	EXPECT r6, 1, '1'
	ld8 r6 = [r5], 8
	;;
	EXPECT r6, 2, '2'
	ld8 r6 = [r5], 16
	;;
	EXPECT r6, 3, '3'
	ld8 r6 = [r5], 8
	;;
	EXPECT r6, 4, '4'
	ld8 r6 = [r5], 8
	;;
	EXPECT r6, 5, '5'
	movl r5 = 0x2001e8               // the caller's r33 in the backing store
	mov r6 = 77
	;;
	st8 [r5] = r6
	PUTC 'f'
	mov ar.pfs = r16
	;;
	br.ret.sptk.many b0
	;;
	.endp callee

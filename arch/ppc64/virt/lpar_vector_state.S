// SPDX-License-Identifier: Apache-2.0
/* void lpar_vector_save(void* area), void lpar_vector_load(const void* area)

   A guest's floating-point, VMX and VSX state: the 64 VSX registers (the FPRs and VRs are halves and
   aliases of them), FPSCR and VSCR, in a 16-byte aligned area (guest_state.hpp: VectorState). The
   hypervisor itself never touches these registers (it is built soft-float, without VMX or VSX, and runs
   with MSR[FP,VEC,VSX]=0), so they can stay loaded with one vCPU's values across its exits; these two
   only run when another vCPU takes the CPU. MSR[FP,VEC,VSX] are turned on around the accesses and back
   off after. stxv/lxv (Power ISA 3.0) store and load the same byte order, so the round trip is exact in
   either byte order; their displacement form needs no index register, so each register costs one
   instruction (the switch runs on every change of vCPU). */
#include <ppc64/asm.h>

#define VECTOR_FPSCR (64 * 16)
#define VECTOR_VSCR (VECTOR_FPSCR + 16)

.macro facilities_on
  mfmsr %r5
  lis %r6, (MSR_VEC | MSR_VSX)@h
  ori %r6, %r6, MSR_FP
  or %r6, %r5, %r6
  mtmsrd %r6
  isync
.endm

.macro facilities_off
  mtmsrd %r5
  isync
.endm

  .text
  .globl lpar_vector_save
  .type lpar_vector_save, @function
lpar_vector_save:
  facilities_on
  .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63
  stxv \n, 16 * \n(%r3)
  .endr
  mffs 0
  stfd 0, VECTOR_FPSCR(%r3)
  mfvscr 0
  li %r4, VECTOR_VSCR
  stvx 0, %r3, %r4
  facilities_off
  blr
  .size lpar_vector_save, . - lpar_vector_save

  .globl lpar_vector_load
  .type lpar_vector_load, @function
lpar_vector_load:
  facilities_on
  /* FPSCR and VSCR first: they go through f0 and v0, which the loads below then overwrite. */
  lfd 0, VECTOR_FPSCR(%r3)
  mtfsf 255, 0, 1, 0
  li %r4, VECTOR_VSCR
  lvx 0, %r3, %r4
  mtvscr 0
  .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63
  lxv \n, 16 * \n(%r3)
  .endr
  facilities_off
  blr
  .size lpar_vector_load, . - lpar_vector_load

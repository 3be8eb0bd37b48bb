// SPDX-License-Identifier: Apache-2.0
/* Helpers for the port's assembly. */
#ifndef HV_PPC64_ASM_H
#define HV_PPC64_ASM_H

/* SPR numbers (registers.hpp has the same for C++). */
#define SPR_AMR 13
#define SPR_DSCR 17
#define SPR_DSISR 18
#define SPR_DAR 19
#define SPR_DEC 22
#define SPR_SRR0 26
#define SPR_SRR1 27
#define SPR_PIDR 48
#define SPR_IAMR 61
#define SPR_FSCR 153
#define SPR_UAMOR 157
#define SPR_PSPB 159
#define SPR_VRSAVE 256
#define SPR_TIDR 144
#define SPR_SPRG0 272
#define SPR_SPRG1 273
#define SPR_SPRG2 274
#define SPR_SPRG3 275
#define SPR_HSPRG0 304
#define SPR_HSPRG1 305
#define SPR_HDSISR 306
#define SPR_HDAR 307
#define SPR_HSRR0 314
#define SPR_HSRR1 315
#define SPR_LPCR 318
#define SPR_LPIDR 319
#define SPR_HEIR 339
#define SPR_TAR 815
#define SPR_ASDR 816
#define SPR_PPR 896

/* MSR bits as values. */
#define MSR_VEC 0x2000000
#define MSR_VSX 0x800000
#define MSR_FP 0x2000
#define MSR_EE 0x8000
#define MSR_ME 0x1000
#define MSR_IR 0x20
#define MSR_DR 0x10
#define MSR_LE 0x1

/* The ELFv2 stack: a 32-byte header (back chain, CR, LR, TOC save) above the callee's locals, and a
   288-byte zone below r1 that leaf code may use without moving r1. */
#define STACK_HEADER 32
#define STACK_LR_SAVE 16
#define STACK_TOC_SAVE 24
#define STACK_PROTECTED_ZONE 288

/* An instruction word stored big-endian whatever the image's byte order: for code that runs before the
   little-endian image has switched the CPU to little-endian, or in OPAL's big-endian real mode. */
.macro big_endian_word word
  .byte ((\word) >> 24) & 0xff, ((\word) >> 16) & 0xff, ((\word) >> 8) & 0xff, (\word) & 0xff
.endm

/* r2 = the image's TOC, from wherever the code runs (uses LR and \scratch). */
.macro load_toc scratch
  bcl 20, 31, 1f
1:
  mflr \scratch
  addis %r2, \scratch, (.TOC. - 1b)@ha
  addi %r2, %r2, (.TOC. - 1b)@l
.endm

#endif

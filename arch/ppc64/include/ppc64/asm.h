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

/* For the little-endian image: entered big-endian (from skiboot, or OPAL_START_CPU), these eight words
   are big-endian encodings that hrfid to the instruction after them with MSR[LE] set. They touch r11
   and r12 only, so firmware's r3, r8, r9 survive. Nothing for the big-endian image. */
.macro enter_native_byte_order
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  big_endian_word 0x429f0005 /* bcl 20, 31, .+4 */
  big_endian_word 0x7d6802a6 /* mflr r11           (r11 = this word's address) */
  big_endian_word 0x396b001c /* addi r11, r11, 28  (r11 = the word after the eight) */
  big_endian_word 0x7d8000a6 /* mfmsr r12 */
  big_endian_word 0x618c0001 /* ori r12, r12, MSR_LE */
  big_endian_word 0x7d7a4ba6 /* mtspr HSRR0, r11 */
  big_endian_word 0x7d9b4ba6 /* mtspr HSRR1, r12 */
  big_endian_word 0x4c000224 /* hrfid */
#endif
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

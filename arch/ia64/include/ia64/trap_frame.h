// SPDX-License-Identifier: Apache-2.0
/* The trap frame that the IVT's common path (trap_entry.S) builds on the memory stack, as byte offsets, for the
   assembly and for the C++ struct hv::ia64::TrapFrame (traps.cpp checks that the two agree). Plain C
   preprocessor so that assembly can include it. */
#ifndef HV_IA64_TRAP_FRAME_H
#define HV_IA64_TRAP_FRAME_H

#define TF_VECTOR 0      /* IVT offset of the vector taken */
#define TF_IPSR 8        /* cr.ipsr: the interrupted PSR, with ri the restart slot */
#define TF_IIP 16        /* cr.iip: the interrupted bundle */
#define TF_IFS 24        /* cr.ifs after cover: the interrupted register frame */
#define TF_ISR 32        /* cr.isr */
#define TF_IFA 40        /* cr.ifa: the faulting address */
#define TF_IIM 48        /* cr.iim: the break immediate */
#define TF_PR 56         /* predicates */
#define TF_UNAT 64       /* the interrupted ar.unat */
#define TF_UNAT_SPILL 72 /* ar.unat after the general registers were spilled: their NaT bits */
#define TF_PFS 80        /* ar.pfs */
#define TF_RSC 88        /* ar.rsc */
#define TF_CCV 96        /* ar.ccv */
#define TF_FPSR 104      /* ar.fpsr */
#define TF_B0 112
#define TF_B6 120
#define TF_B7 128
#define TF_SP 136        /* the interrupted r12 */
#define TF_GR 144        /* r0-r31 at TF_GR + 8 * n (r0, r12 and r13 unused) */
#define TF_FR 400        /* f6-f15 (the scratch floating-point registers), 16 bytes each, spilled */
#define TF_SIZE 576      /* a multiple of 16: the memory stack stays 16-byte aligned */

#define TF_GR_OFFSET(n) (TF_GR + 8 * (n))
#define TF_FR_OFFSET(n) (TF_FR + 16 * ((n) - 6))

#endif

// SPDX-License-Identifier: Apache-2.0
/* Each hardware thread's own scratch area, which HSPRG0 points to from the thread's first instruction
   in the image on: the vectors (trap_entry.S, virt/lpar_vectors.S) park the interrupted registers there
   before any of them is free to hold a base, so no two threads share a place for them
   (thread_area.hpp has the C++ view and the rules). Offsets in bytes. */
#ifndef HV_PPC64_THREAD_AREA_H
#define HV_PPC64_THREAD_AREA_H

#define AREA_R9 0x00 /* the HEAI fast path's fourth register */
#define AREA_R10 0x08
#define AREA_R12 0x10
#define AREA_CTR 0x18
#define AREA_CR 0x20 /* a word */
#define AREA_RUNNING 0x28 /* the GuestState block of the vCPU this thread runs (lpar_enter.S) */
#define AREA_INDEX 0x30   /* the thread's index among the CPUs common code uses */
#define AREA_SIZE 0x80    /* one cache line of POWER9 each */

#endif

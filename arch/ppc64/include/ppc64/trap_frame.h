// SPDX-License-Identifier: Apache-2.0
/* The layout of the registers the trap entry (trap_entry.S) saves, shared by the assembly and C++
   (trap_frame.hpp checks it against the struct). Offsets in bytes. */
#ifndef HV_PPC64_TRAP_FRAME_H
#define HV_PPC64_TRAP_FRAME_H

#define TRAP_FRAME_GPR(n) (8 * (n))
#define TRAP_FRAME_LR 256
#define TRAP_FRAME_CTR 264
#define TRAP_FRAME_CR 272
#define TRAP_FRAME_XER 280
#define TRAP_FRAME_PC 288
#define TRAP_FRAME_MSR 296
#define TRAP_FRAME_DAR 304
#define TRAP_FRAME_DSISR 312
#define TRAP_FRAME_VECTOR 320
#define TRAP_FRAME_SIZE 336

/* Added to the vector number the vector stub passes when the interrupt saved its state in HSRR0/1
   rather than SRR0/1 (vectors are multiples of 0x20, so bit 0 is free). */
#define TRAP_VECTOR_HYPERVISOR 1

#endif

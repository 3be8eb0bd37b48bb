// SPDX-License-Identifier: Apache-2.0
/* The layout of a vCPU's register block (GuestState, guest_state.hpp), shared by the guest entry and
   exit assembly (virt/lpar_enter.S) and C++, which checks each offset against the struct. Bytes. */
#ifndef HV_PPC64_GUEST_STATE_H
#define HV_PPC64_GUEST_STATE_H

/* What the guest runs with: loaded before hrfid, saved at the exit (lpar_enter.S says which SPRs stay
   loaded across a vCPU's exits instead). */
#define GS_GPR(n) (8 * (n))
#define GS_CR 256
#define GS_LR 264
#define GS_CTR 272
#define GS_XER 280
#define GS_PC 288  /* HSRR0 at entry; at the exit, where the guest resumes */
#define GS_MSR 296 /* HSRR1 at entry; at the exit, the guest's MSR plus the interrupt's status bits */
#define GS_SRR0 304
#define GS_SRR1 312
#define GS_SPRG0 320
#define GS_SPRG1 328
#define GS_SPRG2 336
#define GS_SPRG3 344
#define GS_DAR 352
#define GS_DSISR 360
#define GS_DEC 368
#define GS_PIDR 376
#define GS_AMR 384
#define GS_IAMR 392
#define GS_UAMOR 400
#define GS_TAR 408
#define GS_DSCR 416
#define GS_PPR 424
#define GS_FSCR 432
#define GS_PSPB 440
#define GS_VRSAVE 448
#define GS_LPCR 456
#define GS_LPIDR 464

/* What the exit recorded about why it happened. */
#define GS_EXIT_VECTOR 472 /* vector offset, plus TRAP_VECTOR_HYPERVISOR when HSRR0/1 held the state */

/* The hypervisor's own state while the guest runs, put back at the exit. */
#define GS_HOST_SP 480
#define GS_HOST_MSR 488
#define GS_HOST_LPCR 496

#define GS_TIDR 504

#define GS_SIZE 512

/* The hypervisor's quadrant-0 process (paging.cpp), which never changes: the exit puts it back in PIDR
   without the entry having saved it. */
#define HYPERVISOR_PID 1

#endif

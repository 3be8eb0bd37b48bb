// SPDX-License-Identifier: Apache-2.0
/* void lpar_enter(GuestState* state): one trip into a guest, returning at its next exit.

   Entry: the hypervisor's non-volatile registers go on its stack and the part of its context that the
   guest's replaces and that can change (LPCR, MSR, stack pointer) into the block; then it drops to real mode, because
   the guest's PIDR would otherwise retarget the hypervisor's own quadrant-0 translation under its feet
   (the image is identity mapped, so execution goes on at the next address). LPCR is loaded before DEC
   since LPCR[LD] decides how wide DEC is. The guest's registers follow, r3 last, and hrfid enters the
   guest with HSRR0/1 = its PC and MSR.

   Exit: the real-mode vectors (lpar_vectors.S) arrive at lpar_guest_exit with the vector in r12, the
   thread's own area (ppc64/thread_area.h) in r11, the guest's r11 parked in HSPRG1 and its r10, r12, CR
   and CTR in the area. The block is found through the area, where lpar_enter left it; everything the guest could have changed is stored, the hypervisor's partition
   context is loaded back (LPCR first again), and hrfid returns to lpar_enter's caller with the
   hypervisor's MSR, translation on. Called and returning with MSR[EE]=0 (contract: run() is called with
   interrupts masked), so nothing but a machine check, system reset or HMI can interrupt either path.

   Only what the hypervisor itself uses or depends on is swapped on every trip. The guest's SPRs that
   the hypervisor never reads or writes and that do not act on it (kept_sprs below) stay loaded across
   the exits of the vCPU that owns them: lpar_fpu_save and lpar_fpu_load move them with the vector
   registers, only when another vCPU takes the CPU (common code decides: lpar.hpp), and lpar_kept_save
   and lpar_kept_load keep them across a firmware call, which is not ours to trust with them
   (opal.cpp). What the exit's cause needs beyond the vector (HDAR, HDSISR, ASDR, HEIR) is read by the
   C++ decode of the few exits that need it: nothing between the exit and the decode takes a hypervisor
   storage or emulation interrupt, which alone write those. The hypervisor does not use DEC (its timer
   is HDEC), so the exit parks it rather than restoring a saved value. */
#include <ppc64/asm.h>
#include <ppc64/guest_state.h>
#include <ppc64/thread_area.h>
#include <ppc64/trap_frame.h>

/* lpar_enter's frame: the ELFv2 header, r14-r31, then r2, r13 and CR. A multiple of 16. */
#define FRAME_NV(n) (STACK_HEADER + 8 * ((n) - 14))
#define FRAME_R2 (STACK_HEADER + 8 * 18)
#define FRAME_R13 (FRAME_R2 + 8)
#define FRAME_CR (FRAME_R13 + 8)
#define FRAME_BYTES (FRAME_CR + 16)

/* The guest's SPRs swapped on every trip, with their slots in the block: the hypervisor's own interrupts
   that it resumes from (the breakpoint of the boot scenario's trap test) write them between a guest's
   exits. */
.macro swapped_sprs op
  \op SPR_SRR0, GS_SRR0
  \op SPR_SRR1, GS_SRR1
.endm

/* The guest's SPRs that stay loaded while its vCPU owns the CPU: nothing in the hypervisor writes them
   on a path that returns to a guest (DAR and DSISR only its own storage and alignment interrupts and
   machine checks, which end the run: common/boot/trap.cpp; the vectors' scratch is HSPRG1 and the
   thread's area, not SPRG2), and none acts on it (AMR and IAMR do not
   apply to its privileged pages, radix_tree.cpp; FSCR and PSPB only to problem state; DSCR and PPR only
   tune prefetching and the thread's priority). */
.macro kept_sprs op
  \op SPR_SPRG0, GS_SPRG0
  \op SPR_SPRG1, GS_SPRG1
  \op SPR_SPRG2, GS_SPRG2
  \op SPR_SPRG3, GS_SPRG3
  \op SPR_DAR, GS_DAR
  \op SPR_DSISR, GS_DSISR
  \op SPR_AMR, GS_AMR
  \op SPR_IAMR, GS_IAMR
  \op SPR_UAMOR, GS_UAMOR
  \op SPR_TAR, GS_TAR
  \op SPR_DSCR, GS_DSCR
  \op SPR_PPR, GS_PPR
  \op SPR_FSCR, GS_FSCR
  \op SPR_PSPB, GS_PSPB
  \op SPR_VRSAVE, GS_VRSAVE
  \op SPR_TIDR, GS_TIDR
.endm

/* Through r10, with the block in r11 (the exit) or r3 (the entry). */
.macro save_spr spr, slot
  mfspr %r10, \spr
  std %r10, \slot(%r11)
.endm
.macro load_spr spr, slot
  ld %r10, \slot(%r3)
  mtspr \spr, %r10
.endm

  .text
  .globl lpar_enter
  .type lpar_enter, @function
lpar_enter:
  mflr %r0
  std %r0, STACK_LR_SAVE(%r1)
  stdu %r1, -FRAME_BYTES(%r1)
  .irp n, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
  std %r\n, FRAME_NV(\n)(%r1)
  .endr
  std %r2, FRAME_R2(%r1)
  std %r13, FRAME_R13(%r1)
  mfcr %r0
  std %r0, FRAME_CR(%r1)

  std %r1, GS_HOST_SP(%r3)
  mfmsr %r4
  std %r4, GS_HOST_MSR(%r3)
  mfspr %r5, SPR_LPCR
  std %r5, GS_HOST_LPCR(%r3)
  mfspr %r5, SPR_HSPRG0
  std %r3, AREA_RUNNING(%r5)

  li %r5, MSR_IR | MSR_DR
  andc %r4, %r4, %r5
  mtmsrd %r4
  isync

  load_spr SPR_LPCR, GS_LPCR
  load_spr SPR_LPIDR, GS_LPIDR
  load_spr SPR_PIDR, GS_PIDR
  load_spr SPR_DEC, GS_DEC
  swapped_sprs load_spr
  load_spr SPR_HSRR0, GS_PC
  load_spr SPR_HSRR1, GS_MSR
  isync

  ld %r10, GS_CR(%r3)
  mtcr %r10
  ld %r10, GS_LR(%r3)
  mtlr %r10
  ld %r10, GS_CTR(%r3)
  mtctr %r10
  ld %r10, GS_XER(%r3)
  mtxer %r10
  .irp n, 0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
  ld %r\n, GS_GPR(\n)(%r3)
  .endr
  ld %r3, GS_GPR(3)(%r3)
  hrfid
  .size lpar_enter, . - lpar_enter

  .globl lpar_guest_exit
  .type lpar_guest_exit, @function
lpar_guest_exit:
  /* Real mode, MSR[HV]=1, EE=0. r12 = vector, r11 = the thread's area, r10 free; the guest's r11 is in
     HSPRG1, its r10, r12, CR and CTR in the area. From here r11 holds the block and r12 the area. */
  ld %r10, AREA_RUNNING(%r11)
  std %r12, GS_EXIT_VECTOR(%r10)
  mr %r12, %r11
  mr %r11, %r10
  .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
  std %r\n, GS_GPR(\n)(%r11)
  .endr
  ld %r10, AREA_R10(%r12)
  std %r10, GS_GPR(10)(%r11)
  mfspr %r10, SPR_HSPRG1
  std %r10, GS_GPR(11)(%r11)
  ld %r10, AREA_R12(%r12)
  std %r10, GS_GPR(12)(%r11)
  lwz %r10, AREA_CR(%r12)
  std %r10, GS_CR(%r11)
  ld %r10, AREA_CTR(%r12)
  std %r10, GS_CTR(%r11)
  mflr %r10
  std %r10, GS_LR(%r11)
  mfxer %r10
  std %r10, GS_XER(%r11)

  ld %r12, GS_EXIT_VECTOR(%r11)
  andi. %r10, %r12, TRAP_VECTOR_HYPERVISOR
  beq 1f
  mfspr %r10, SPR_HSRR0
  mfspr %r12, SPR_HSRR1
  b 2f
1:
  mfspr %r10, SPR_SRR0
  mfspr %r12, SPR_SRR1
2:
  std %r10, GS_PC(%r11)
  std %r12, GS_MSR(%r11)
  swapped_sprs save_spr
  save_spr SPR_DEC, GS_DEC
  save_spr SPR_PIDR, GS_PIDR

  ld %r10, GS_HOST_LPCR(%r11)
  mtspr SPR_LPCR, %r10
  li %r10, 0
  mtspr SPR_LPIDR, %r10
  li %r10, HYPERVISOR_PID
  mtspr SPR_PIDR, %r10
  lis %r10, 0x7fff /* positive in either decrementer width: no interrupt pending */
  ori %r10, %r10, 0xffff
  mtspr SPR_DEC, %r10
  isync

  ld %r1, GS_HOST_SP(%r11)
  .irp n, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
  ld %r\n, FRAME_NV(\n)(%r1)
  .endr
  ld %r2, FRAME_R2(%r1)
  ld %r13, FRAME_R13(%r1)
  ld %r10, FRAME_CR(%r1)
  mtcr %r10
  ld %r10, GS_HOST_MSR(%r11)
  mtspr SPR_HSRR1, %r10
  addi %r1, %r1, FRAME_BYTES
  ld %r10, STACK_LR_SAVE(%r1)
  mtlr %r10
  mtspr SPR_HSRR0, %r10
  hrfid
  .size lpar_guest_exit, . - lpar_guest_exit

  /* void lpar_kept_save(GuestState*), void lpar_kept_load(const GuestState*): kept_sprs, stored into and
     loaded from the block, through the macros of the exit and the entry (r10 and r11 are volatile). */
  .globl lpar_kept_save
  .type lpar_kept_save, @function
lpar_kept_save:
  mr %r11, %r3
  kept_sprs save_spr
  blr
  .size lpar_kept_save, . - lpar_kept_save

  .globl lpar_kept_load
  .type lpar_kept_load, @function
lpar_kept_load:
  kept_sprs load_spr
  isync
  blr
  .size lpar_kept_load, . - lpar_kept_load

  /* void lpar_fpu_save(GuestState*, VectorState*), void lpar_fpu_load(const GuestState*, const VectorState*):
     the kept SPRs and then the floating-point and vector registers (lpar_vector_state.S), which a change
     of vCPU moves together (lpar.hpp), in one call each way. The vector routines take the area in r3. */
  .globl lpar_fpu_save
  .type lpar_fpu_save, @function
lpar_fpu_save:
  mr %r11, %r3
  kept_sprs save_spr
  mr %r3, %r4
  b lpar_vector_save
  .size lpar_fpu_save, . - lpar_fpu_save

  .globl lpar_fpu_load
  .type lpar_fpu_load, @function
lpar_fpu_load:
  kept_sprs load_spr
  isync
  mr %r3, %r4
  b lpar_vector_load
  .size lpar_fpu_load, . - lpar_fpu_load

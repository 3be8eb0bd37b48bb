// SPDX-License-Identifier: Apache-2.0
/* The real-mode interrupt vectors in physical page 0, through which every guest exit arrives.

   A guest runs with LPCR[AIL]=0 (its own interrupts go to its own real-mode vectors), and on POWER9 the
   partition's LPCR decides the location of the hypervisor interrupts it causes too: they arrive here,
   at physical 0x100-0xf80, in real mode, MSR[HV]=1, in the byte order HID0[HILE] says. The hypervisor's
   own interrupts normally arrive translated through the AIL=3 page (trap_entry.S); only those that never
   use AIL (system reset, machine check, HMI) or that hit a real-mode stretch of the hypervisor (the
   guest entry and exit, OPAL calls) come here too.

   This block is not executed where it is linked: Virtualization::enable copies it over physical page 0
   (which the boot frame source never hands out). Branches inside it are relative; targets in the image
   are absolute (the image lies below 2 GiB, identity mapped, so the same address works in real mode).

   Each vector parks r11 in HSPRG1, takes the thread's own area from HSPRG0 (ppc64/thread_area.h) into
   r11, parks r12 there and loads its offset (+TRAP_VECTOR_HYPERVISOR when the interrupt saved its state
   in HSRR0/1) into r12, exactly as trap_entry.S's vectors do. The dispatcher parks r10 and CR in the
   area too (it needs CR to test and a register to work with) and looks at the interrupted MSR[HV]: 0
   means a guest was running, and the interrupt is a guest exit (lpar_guest_exit, lpar_enter.S); 1 means
   the hypervisor itself was interrupted, and it goes to the hypervisor's trap entry as trap_entry.S
   sends it there (CR restored, CTR parked in the area). Each thread parks its registers in its own
   area, so several threads can leave their guests at once.

   One exit never leaves the guest's context: an illegal instruction (HEAI, 0xe40) whose word the CPU put
   in HEIR, that is not `stop` and is not in the guest's own program-interrupt vector, is reflected into
   the guest right here as the illegal-instruction program interrupt that lpar_run.cpp's settle() would
   give it (deliver_to_guest: SRR0/1 = where it was and its MSR with the status, then 0x700 in real mode
   with SF, ME and LE from LPCR[ILE]). Nothing of the hypervisor's is involved, so the whole world switch
   is skipped; every other case goes the common way, which settles or decodes it in C++. */
#include <ppc64/asm.h>
#include <ppc64/guest_state.h>
#include <ppc64/thread_area.h>
#include <ppc64/trap_frame.h>

  .section .rodata.lpar_real_vectors, "a"
  .balign 128
  .globl lpar_real_vectors_start, lpar_real_vectors_end
lpar_real_vectors_start:
  .org 0x40 /* 0x00-0x3f: free (kept clear of the vectors, as before) */
real_dispatch: /* r11 = the thread's area, r12 = vector; the interrupted r11 in HSPRG1, r12 in the area */
  std %r10, AREA_R10(%r11)
  mfcr %r10
  stw %r10, AREA_CR(%r11)
dispatch_cr_saved: /* r10 free too: its original and CR in the area */
  andi. %r10, %r12, TRAP_VECTOR_HYPERVISOR
  beq 1f
  mfspr %r10, SPR_HSRR1
  b 2f
1:
  mfspr %r10, SPR_SRR1
2:
  rldicl. %r10, %r10, 4, 63 /* MSR[HV] of the interrupted context */
  beq from_guest
  lwz %r10, AREA_CR(%r11)
  mtcr %r10
  mfctr %r10
  std %r10, AREA_CTR(%r11)
  lis %r10, ppc64_trap_entry@h
  ori %r10, %r10, ppc64_trap_entry@l
  mtctr %r10
  bctr
from_guest:
  mfctr %r10
  std %r10, AREA_CTR(%r11)
  lis %r10, lpar_guest_exit@h
  ori %r10, %r10, lpar_guest_exit@l
  mtctr %r10
  bctr

.macro vector offset, hypervisor
  .org \offset
  mtspr SPR_HSPRG1, %r11
  mfspr %r11, SPR_HSPRG0
  std %r12, AREA_R12(%r11)
  li %r12, \offset + \hypervisor * TRAP_VECTOR_HYPERVISOR
  b real_dispatch
.endm

  vector 0x100, 0 /* system reset */
  vector 0x200, 0 /* machine check */
  vector 0x300, 0 /* data storage */
  vector 0x380, 0 /* data segment */
  vector 0x400, 0 /* instruction storage */
  vector 0x480, 0 /* instruction segment */
  vector 0x500, 1 /* external: LPCR[LPES]=0 sends a guest's to the hypervisor */
  vector 0x600, 0 /* alignment */
  vector 0x700, 0 /* program */
  vector 0x800, 0 /* floating-point unavailable */
  vector 0x900, 0 /* decrementer */
  vector 0x980, 1 /* hypervisor decrementer */
  vector 0xa00, 0 /* directed privileged doorbell */
  vector 0xb00, 0 /* reserved */

/* The HEAI fast path (above), in the reserved vector's unused room. Entered from 0xe40 with the guest's
   r11 in HSPRG1, the thread's area in r11 and the guest's r12 in it; r9 and r10 are parked there too. */
emulation_assistance:
  std %r10, AREA_R10(%r11)
  mfcr %r10
  stw %r10, AREA_CR(%r11)
  li %r12, 0xe40 + TRAP_VECTOR_HYPERVISOR
  mfspr %r10, SPR_HSRR1
  rldicl. %r10, %r10, 4, 63 /* MSR[HV]: the hypervisor itself, which the common way reports */
  bne dispatch_cr_saved
  std %r9, AREA_R9(%r11)
  mfspr %r9, SPR_HEIR
  cmplwi %r9, 0 /* not filled in: the word must be read from guest memory */
  beq emulation_slow
  lis %r10, 0xfc00 /* the XL form's opcode and extended opcode */
  ori %r10, %r10, 0x07fe
  and %r9, %r9, %r10
  lis %r10, 0x4c00 /* stop: a guest waiting */
  ori %r10, %r10, 0x02e4
  cmplw %r9, %r10
  beq emulation_slow
  mfspr %r12, SPR_HSRR0
  clrldi %r9, %r12, 4 /* the real address: bits 0:3 ignored */
  addi %r9, %r9, -0x700
  cmpldi %r9, 0x100 /* inside the guest's program-interrupt vector: it would loop */
  blt emulation_slow
  mtspr SPR_SRR0, %r12
  mfspr %r12, SPR_HSRR1
  lis %r10, 0x783f /* SRR1's interrupt-specific bits 33:36 and 42:47 */
  andc %r12, %r12, %r10
  oris %r10, %r12, 0x0008 /* SRR1[44]: illegal instruction */
  mtspr SPR_SRR1, %r10
  andi. %r10, %r12, MSR_ME
  li %r9, 1
  rldimi %r10, %r9, 63, 0 /* MSR[SF] */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  ori %r10, %r10, MSR_LE /* LPCR[ILE] is the image's byte order */
#endif
  mtspr SPR_HSRR1, %r10
  li %r10, 0x700
  mtspr SPR_HSRR0, %r10
  lwz %r10, AREA_CR(%r11)
  mtcr %r10
  ld %r9, AREA_R9(%r11)
  ld %r10, AREA_R10(%r11)
  ld %r12, AREA_R12(%r11)
  mfspr %r11, SPR_HSPRG1
  hrfid
emulation_slow:
  ld %r9, AREA_R9(%r11)
  li %r12, 0xe40 + TRAP_VECTOR_HYPERVISOR
  b from_guest
  vector 0xc00, 0 /* system call: `sc 1` from a guest arrives here with SRR0/1, not HSRR0/1 */
  vector 0xd00, 0 /* trace */
  vector 0xe00, 1 /* hypervisor data storage */
  vector 0xe20, 1 /* hypervisor instruction storage */
  .org 0xe40 /* hypervisor emulation assistance: its fast path first */
  mtspr SPR_HSPRG1, %r11
  mfspr %r11, SPR_HSPRG0
  std %r12, AREA_R12(%r11)
  b emulation_assistance
  vector 0xe60, 1 /* hypervisor maintenance */
  vector 0xe80, 1 /* directed hypervisor doorbell */
  vector 0xea0, 1 /* hypervisor virtualization */
  vector 0xf00, 0 /* performance monitor */
  vector 0xf20, 0 /* vector unavailable */
  vector 0xf40, 0 /* VSX unavailable */
  vector 0xf60, 0 /* facility unavailable */
  vector 0xf80, 1 /* hypervisor facility unavailable */
lpar_real_vectors_end:

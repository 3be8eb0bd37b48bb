// SPDX-License-Identifier: Apache-2.0
/* The hypervisor's exception vectors and trap entry.

   With LPCR[AIL]=3 an interrupt taken with translation on goes to 0xC000'0000'0000'4000 + its vector
   offset, translated, with IR and DR on and MSR[LE] = HID0[HILE]. Paging::init maps that page of
   quadrant 3 to `ppc64_vector_page`, so skiboot keeps physical page 0 (its own vectors). Interrupts
   that never use AIL (system reset, machine check, HMI) and any taken in real mode still go to page 0:
   skiboot's vectors, until the LPAR backend (virt/lpar_vectors.S) replaces them with its guest-exit
   vectors, which send the hypervisor's own interrupts on to ppc64_trap_entry below.

   Each vector parks r11 in HSPRG1, takes the thread's own area from HSPRG0 (ppc64/thread_area.h) into
   r11, parks r12 there and loads its offset into r12 (+1 when the interrupt saved its state in
   HSRR0/1); then the common code frees r10 and CTR (into the area) to jump to the trap entry in the
   image proper, which saves everything in a TrapFrame on the interrupted stack and calls ppc64_trap
   (traps.cpp). Nothing is parked in memory that another thread could use at the same time. */
#include <ppc64/asm.h>
#include <ppc64/thread_area.h>
#include <ppc64/trap_frame.h>

#define FRAME(offset) (STACK_HEADER + (offset))
/* Below the interrupted r1: its protected zone, then our frame. A multiple of 16. */
#define TRAP_STACK_BYTES (STACK_PROTECTED_ZONE + STACK_HEADER + TRAP_FRAME_SIZE)

  .section .vectors, "ax"
  .balign 4096
  .globl ppc64_vector_page
ppc64_vector_page:
vector_common: /* at offset 0, where no vector lives */
  std %r10, AREA_R10(%r11)
  mfctr %r10
  std %r10, AREA_CTR(%r11)
  lis %r10, ppc64_trap_entry@h /* the image lies below 2 GiB: a 32-bit absolute address */
  ori %r10, %r10, ppc64_trap_entry@l
  mtctr %r10
  bctr

.macro vector offset, hypervisor
  .org \offset /* the section starts at ppc64_vector_page */
  mtspr SPR_HSPRG1, %r11
  mfspr %r11, SPR_HSPRG0
  std %r12, AREA_R12(%r11)
  li %r12, \offset + \hypervisor * TRAP_VECTOR_HYPERVISOR
  b vector_common
.endm

  vector 0x100, 0 /* system reset (never through AIL; here for completeness) */
  vector 0x200, 0 /* machine check (likewise) */
  vector 0x300, 0 /* data storage */
  vector 0x380, 0 /* data segment */
  vector 0x400, 0 /* instruction storage */
  vector 0x480, 0 /* instruction segment */
  vector 0x500, 1 /* external, delivered to the hypervisor (LPCR[LPES]=0) */
  vector 0x600, 0 /* alignment */
  vector 0x700, 0 /* program: trap, illegal, privileged */
  vector 0x800, 0 /* floating-point unavailable */
  vector 0x900, 0 /* decrementer */
  vector 0x980, 1 /* hypervisor decrementer */
  vector 0xa00, 0 /* directed privileged doorbell */
  vector 0xb00, 0 /* reserved */
  vector 0xc00, 0 /* system call */
  vector 0xd00, 0 /* trace */
  vector 0xe00, 1 /* hypervisor data storage */
  vector 0xe20, 1 /* hypervisor instruction storage */
  vector 0xe40, 1 /* hypervisor emulation assistance */
  vector 0xe60, 1 /* hypervisor maintenance */
  vector 0xe80, 1 /* directed hypervisor doorbell */
  vector 0xea0, 1 /* hypervisor virtualization */
  vector 0xf00, 0 /* performance monitor */
  vector 0xf20, 0 /* vector unavailable */
  vector 0xf40, 0 /* VSX unavailable */
  vector 0xf60, 0 /* facility unavailable */
  vector 0xf80, 1 /* hypervisor facility unavailable */
  .balign 4096

.macro restore_registers_but_r1
  ld %r11, FRAME(TRAP_FRAME_LR)(%r1)
  mtlr %r11
  ld %r11, FRAME(TRAP_FRAME_CTR)(%r1)
  mtctr %r11
  ld %r11, FRAME(TRAP_FRAME_XER)(%r1)
  mtxer %r11
  ld %r11, FRAME(TRAP_FRAME_CR)(%r1)
  mtcr %r11
  ld %r0, FRAME(TRAP_FRAME_GPR(0))(%r1)
  .irp n, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
  ld %r\n, FRAME(TRAP_FRAME_GPR(\n))(%r1)
  .endr
.endm

  .text
  .globl ppc64_trap_entry
  .type ppc64_trap_entry, @function
ppc64_trap_entry:
  /* r12 = vector, r11 = the thread's area, r10 and CTR free; the originals of r10, r12 and CTR are in
     the area, r11's in HSPRG1. EE is off. */
  mr %r10, %r1
  addi %r1, %r1, -TRAP_STACK_BYTES
  std %r10, 0(%r1) /* back chain */
  std %r10, FRAME(TRAP_FRAME_GPR(1))(%r1)
  std %r0, FRAME(TRAP_FRAME_GPR(0))(%r1)
  .irp n, 2, 3, 4, 5, 6, 7, 8, 9, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
  std %r\n, FRAME(TRAP_FRAME_GPR(\n))(%r1)
  .endr
  ld %r10, AREA_R10(%r11)
  std %r10, FRAME(TRAP_FRAME_GPR(10))(%r1)
  ld %r10, AREA_R12(%r11)
  std %r10, FRAME(TRAP_FRAME_GPR(12))(%r1)
  ld %r10, AREA_CTR(%r11)
  std %r10, FRAME(TRAP_FRAME_CTR)(%r1)
  mfspr %r11, SPR_HSPRG1
  std %r11, FRAME(TRAP_FRAME_GPR(11))(%r1)
  mflr %r11
  std %r11, FRAME(TRAP_FRAME_LR)(%r1)
  mfcr %r11
  std %r11, FRAME(TRAP_FRAME_CR)(%r1)
  mfxer %r11
  std %r11, FRAME(TRAP_FRAME_XER)(%r1)
  std %r12, FRAME(TRAP_FRAME_VECTOR)(%r1)
  andi. %r11, %r12, TRAP_VECTOR_HYPERVISOR
  beq 1f
  mfspr %r11, SPR_HSRR0
  mfspr %r12, SPR_HSRR1
  b 2f
1:
  mfspr %r11, SPR_SRR0
  mfspr %r12, SPR_SRR1
2:
  std %r11, FRAME(TRAP_FRAME_PC)(%r1)
  std %r12, FRAME(TRAP_FRAME_MSR)(%r1)
  mfspr %r11, SPR_DAR
  std %r11, FRAME(TRAP_FRAME_DAR)(%r1)
  mfspr %r11, SPR_DSISR
  std %r11, FRAME(TRAP_FRAME_DSISR)(%r1)

  load_toc %r12
  addi %r3, %r1, STACK_HEADER
  bl ppc64_trap
  nop

  ld %r3, FRAME(TRAP_FRAME_VECTOR)(%r1)
  ld %r11, FRAME(TRAP_FRAME_PC)(%r1)
  ld %r12, FRAME(TRAP_FRAME_MSR)(%r1)
  andi. %r3, %r3, TRAP_VECTOR_HYPERVISOR
  beq 3f
  mtspr SPR_HSRR0, %r11
  mtspr SPR_HSRR1, %r12
  restore_registers_but_r1
  ld %r1, FRAME(TRAP_FRAME_GPR(1))(%r1)
  hrfid
3:
  mtspr SPR_SRR0, %r11
  mtspr SPR_SRR1, %r12
  restore_registers_but_r1
  ld %r1, FRAME(TRAP_FRAME_GPR(1))(%r1)
  rfid
  .size ppc64_trap_entry, . - ppc64_trap_entry

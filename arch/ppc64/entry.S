// SPDX-License-Identifier: Apache-2.0
/* The image's entry from skiboot: big-endian, MMU off, MSR = HV|SF, r3 = the device tree,
   r8 = OPAL's base, r9 = OPAL's entry. And the entry of a secondary thread started with OPAL_START_CPU
   (smp.cpp), in the same state, which takes the stack the boot thread chose for it. */
#include <ppc64/asm.h>

  .section .text.entry, "ax"
  .globl _start
  .type _start, @function
_start:
  enter_native_byte_order
  load_toc %r12

  /* .bss holds the boot stack, so it is cleared before anything is stored on it. QEMU copied the file
     only; nothing says what lies past its end. r3, r8 and r9 are still skiboot's. */
  addis %r10, %r2, __bss_start@toc@ha
  addi %r10, %r10, __bss_start@toc@l
  addis %r11, %r2, __bss_end@toc@ha
  addi %r11, %r11, __bss_end@toc@l
  li %r12, 0
1:
  cmpld %r10, %r11
  bge 2f
  std %r12, 0(%r10)
  addi %r10, %r10, 8
  b 1b
2:
  addis %r1, %r2, boot_stack_top@toc@ha
  addi %r1, %r1, boot_stack_top@toc@l
  li %r0, 0
  stdu %r0, -STACK_HEADER(%r1) /* a null back chain ends stack walks here */

  mr %r4, %r8
  mr %r5, %r9
  bl ppc64_start /* (fdt, opal_base, opal_entry); never returns */
  nop
3:
  b 3b
  .size _start, . - _start

  .globl ppc64_secondary_entry
  .type ppc64_secondary_entry, @function
ppc64_secondary_entry:
  enter_native_byte_order
  load_toc %r12
  addis %r10, %r2, ppc64_secondary_stack@toc@ha
  ld %r1, ppc64_secondary_stack@toc@l(%r10)
  li %r0, 0
  stdu %r0, -STACK_HEADER(%r1)
  bl ppc64_secondary_start /* never returns */
  nop
4:
  b 4b
  .size ppc64_secondary_entry, . - ppc64_secondary_entry

  /* 8-byte aligned, so the clearing loop above may store doublewords. */
  .section .bss.boot_stack, "aw", @nobits
  .balign 16
  .space 64 * 1024
boot_stack_top:

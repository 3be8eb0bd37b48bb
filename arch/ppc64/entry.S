// SPDX-License-Identifier: Apache-2.0
/* The image's entry from skiboot: big-endian, MMU off, MSR = HV|SF, r3 = the device tree,
   r8 = OPAL's base, r9 = OPAL's entry. */
#include <ppc64/asm.h>

  .section .text.entry, "ax"
  .globl _start
  .type _start, @function
_start:
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  /* The CPU still reads big-endian here: these eight words are big-endian encodings that hrfid to
     `native` with MSR[LE] set. They touch r11 and r12 only, so skiboot's r3, r8, r9 survive. */
  big_endian_word 0x429f0005 /* bcl 20, 31, .+4 */
  big_endian_word 0x7d6802a6 /* mflr r11           (r11 = this word's address) */
  big_endian_word 0x396b001c /* addi r11, r11, 28  (r11 = native) */
  big_endian_word 0x7d8000a6 /* mfmsr r12 */
  big_endian_word 0x618c0001 /* ori r12, r12, MSR_LE */
  big_endian_word 0x7d7a4ba6 /* mtspr HSRR0, r11 */
  big_endian_word 0x7d9b4ba6 /* mtspr HSRR1, r12 */
  big_endian_word 0x4c000224 /* hrfid */
#endif
native:
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

  /* 8-byte aligned, so the clearing loop above may store doublewords. */
  .section .bss.boot_stack, "aw", @nobits
  .balign 16
  .space 64 * 1024
boot_stack_top:

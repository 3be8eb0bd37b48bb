// SPDX-License-Identifier: Apache-2.0
/* i64 ppc64_opal_call(u64 token, u64 a0, u64 a1, u64 a2, u64 a3)

   OPAL runs in real mode, big-endian, with r2 = its base and the token in r0, and returns to LR in the
   MSR it was entered with. So the call masks interrupts (an HDEC arriving while HSRR0/1 hold the call's
   target would overwrite them), hrfids into OPAL with IR, DR and LE cleared, and OPAL returns to a
   three-word stub encoded big-endian that hrfids back to the caller's MSR. Works from any MSR state:
   before or after paging, either byte order. r30 and r31 carry the way back through OPAL, which
   preserves them (non-volatile); r2 (our TOC) and r13 are saved here because OPAL replaces them. */
#include <ppc64/asm.h>

#define FRAME_BYTES 64
#define SAVE_R13 32
#define SAVE_R30 40
#define SAVE_R31 48

  .text
  .globl ppc64_opal_call
  .type ppc64_opal_call, @function
ppc64_opal_call:
  mflr %r0
  std %r0, STACK_LR_SAVE(%r1)
  stdu %r1, -FRAME_BYTES(%r1)
  std %r2, STACK_TOC_SAVE(%r1)
  std %r13, SAVE_R13(%r1)
  std %r30, SAVE_R30(%r1)
  std %r31, SAVE_R31(%r1)

  mfmsr %r31 /* the MSR to come back to */
  li %r11, 0
  ori %r11, %r11, MSR_EE
  andc %r12, %r31, %r11
  mtmsrd %r12, 1 /* EE off */
  li %r11, MSR_IR | MSR_DR | MSR_LE
  andc %r12, %r12, %r11
  mtspr SPR_HSRR1, %r12
  addis %r11, %r2, ppc64_opal_entry_address@toc@ha
  ld %r11, ppc64_opal_entry_address@toc@l(%r11)
  mtspr SPR_HSRR0, %r11
  addis %r11, %r2, ppc64_opal_base_address@toc@ha
  ld %r2, ppc64_opal_base_address@toc@l(%r11)

  bcl 20, 31, 1f
1:
  mflr %r30
  addi %r11, %r30, opal_return_stub - 1b
  mtlr %r11 /* OPAL returns to the stub */
  addi %r30, %r30, opal_returned - 1b /* the stub returns here */

  mr %r0, %r3
  mr %r3, %r4
  mr %r4, %r5
  mr %r5, %r6
  mr %r6, %r7
  hrfid

opal_return_stub: /* runs big-endian, real mode */
  big_endian_word 0x7fda4ba6 /* mtspr HSRR0, r30 */
  big_endian_word 0x7ffb4ba6 /* mtspr HSRR1, r31 */
  big_endian_word 0x4c000224 /* hrfid */

opal_returned: /* the caller's MSR again; r3 = OPAL's return code */
  ld %r2, STACK_TOC_SAVE(%r1)
  ld %r13, SAVE_R13(%r1)
  ld %r30, SAVE_R30(%r1)
  ld %r31, SAVE_R31(%r1)
  addi %r1, %r1, FRAME_BYTES
  ld %r0, STACK_LR_SAVE(%r1)
  mtlr %r0
  blr
  .size ppc64_opal_call, . - ppc64_opal_call

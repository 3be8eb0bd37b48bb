// SPDX-License-Identifier: Apache-2.0
// Step 1 (docs/porting.md): where firmware hands over. Write the entry here, named as image.ld's ENTRY
// says (hv_entry), in the section .text.entry: whatever firmware passes (a device tree pointer, a start
// info), a stack, the CPU state the compiler's code needs, .bss cleared (__bss_start to __bss_end), then
// a call to hv_start (start.cpp) with what firmware passed. Empty, it assembles on any target.

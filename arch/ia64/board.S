// SPDX-License-Identifier: Apache-2.0
// The board's flattened device tree (boards/ia64-generic.dts, compiled by dtc), embedded in the image:
// Machine::device_tree() returns hv_ia64_board_dtb. libfdt wants the blob 8-byte aligned.
	.section .rodata.board_dtb, "a", @progbits
	.align 8
	.global hv_ia64_board_dtb
	.type hv_ia64_board_dtb, @object
hv_ia64_board_dtb:
	.incbin HV_BOARD_DTB
	.size hv_ia64_board_dtb, . - hv_ia64_board_dtb

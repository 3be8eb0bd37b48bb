// SPDX-License-Identifier: Apache-2.0
// What the linker script (arch/x86/image.ld) tells the code about the image's own layout.
#pragma once

#include <hv/types.hpp>

extern "C" {
extern char __image_start[]; ///< first byte loaded (the 1 MiB link address)
extern char __image_end[];   ///< first byte after everything, .bss and the stacks included
extern void (*hv_init_array_start[])();
extern void (*hv_init_array_end[])();
extern const char hv_x86_board_dtb[]; ///< the board's device tree, built from boards/ (board.S)
}

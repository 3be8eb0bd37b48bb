// SPDX-License-Identifier: Apache-2.0
/* libfdt's environment header includes <stdlib.h>; the parts of libfdt we build need nothing from it. */
#ifndef HV_LIBC_STDLIB_H
#define HV_LIBC_STDLIB_H
#include <stddef.h>
#endif

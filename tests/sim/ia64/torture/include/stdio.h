// SPDX-License-Identifier: Apache-2.0
/* The C library as GCC's execute torture tests use it, for programs on ia64-run (runtime.c). */
#ifndef HV_IA64_SIM_STDIO_H
#define HV_IA64_SIM_STDIO_H
#include <stddef.h>
int putchar(int c);
int puts(const char* s);
int printf(const char* format, ...);
#endif

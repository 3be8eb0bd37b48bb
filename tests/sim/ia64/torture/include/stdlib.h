// SPDX-License-Identifier: Apache-2.0
/* The C library as GCC's execute torture tests use it, for programs on ia64-run (runtime.c). */
#ifndef HV_IA64_SIM_STDLIB_H
#define HV_IA64_SIM_STDLIB_H
#include <stddef.h>
void abort(void) __attribute__((noreturn));
void exit(int status) __attribute__((noreturn));
void* malloc(size_t size);
void* calloc(size_t count, size_t size);
void* realloc(void* p, size_t size);
void free(void* p);
int abs(int v);
long labs(long v);
long long llabs(long long v);
#endif

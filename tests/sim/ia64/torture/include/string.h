// SPDX-License-Identifier: Apache-2.0
/* The C library as GCC's execute torture tests use it, for programs on ia64-run (runtime.c). */
#ifndef HV_IA64_SIM_STRING_H
#define HV_IA64_SIM_STRING_H
#include <stddef.h>
void* memcpy(void* to, const void* from, size_t n);
void* memmove(void* to, const void* from, size_t n);
void* memset(void* p, int c, size_t n);
int memcmp(const void* a, const void* b, size_t n);
size_t strlen(const char* s);
int strcmp(const char* a, const char* b);
int strncmp(const char* a, const char* b, size_t n);
char* strcpy(char* to, const char* from);
char* strchr(const char* s, int c);
#endif

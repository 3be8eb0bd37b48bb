// SPDX-License-Identifier: Apache-2.0
/* The C string functions the bare-metal ports provide (common/runtime/string.cpp), for C++ code and for
   libfdt. The host port uses the C library's string.h instead. */
#ifndef HV_LIBC_STRING_H
#define HV_LIBC_STRING_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

void* memcpy(void* dst, const void* src, size_t n);
void* memmove(void* dst, const void* src, size_t n);
void* memset(void* dst, int value, size_t n);
int memcmp(const void* a, const void* b, size_t n);
void* memchr(const void* s, int c, size_t n);
size_t strlen(const char* s);
size_t strnlen(const char* s, size_t max);
int strcmp(const char* a, const char* b);
int strncmp(const char* a, const char* b, size_t n);
char* strchr(const char* s, int c);
char* strrchr(const char* s, int c);

#ifdef __cplusplus
}
#endif

#endif

// SPDX-License-Identifier: Apache-2.0
// The C memory and string functions for the bare-metal ports (see hv/rt_string.hpp).
#include <hv/rt_string.hpp>
#include <hv/string.hpp>

extern "C" {
void* memcpy(void* dst, const void* src, size_t n) { return hv::rt::copy(dst, src, n); }
void* memmove(void* dst, const void* src, size_t n) { return hv::rt::move(dst, src, n); }
void* memset(void* dst, int value, size_t n) { return hv::rt::fill(dst, value, n); }
int memcmp(const void* a, const void* b, size_t n) { return hv::rt::compare(a, b, n); }
void* memchr(const void* s, int c, size_t n) { return const_cast<void*>(hv::rt::find_byte(s, c, n)); }
size_t strlen(const char* s) { return hv::rt::length(s); }
size_t strnlen(const char* s, size_t max) { return hv::rt::length(s, max); }
int strcmp(const char* a, const char* b) { return hv::rt::compare_strings(a, b); }
int strncmp(const char* a, const char* b, size_t n) { return hv::rt::compare_strings(a, b, n); }
char* strchr(const char* s, int c) { return const_cast<char*>(hv::rt::find_char(s, c)); }
char* strrchr(const char* s, int c) { return const_cast<char*>(hv::rt::find_last_char(s, c)); }
}

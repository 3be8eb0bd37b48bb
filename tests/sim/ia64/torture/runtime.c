// SPDX-License-Identifier: Apache-2.0
/* What GCC's execute torture tests need of a C library, on ia64-run: the simulator's break calls end the
   run and write characters (tests/sim/ia64/core.hpp; putchar is programs/runtime/start.s's); memory comes from a static
   arena that is never given back. A test passes when main returns 0 or calls exit(0). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void exit(int status) {
  register long r8 __asm__("r8") = status;
  for (;;) __asm__ volatile("break.m 0x100000" : : "r"(r8) : "memory");
}

void abort(void) { exit(134); }

int puts(const char* s) {
  while (*s != '\0') putchar(*s++);
  putchar('\n');
  return 0;
}

/* Only what tests print with: text, %d %u %x %s %c, with l and ll; the output is not judged. */
int printf(const char* format, ...) {
  va_list args;
  va_start(args, format);
  for (const char* p = format; *p != '\0'; ++p) {
    if (*p != '%') {
      putchar(*p);
      continue;
    }
    ++p;
    while (*p == 'l') ++p;
    if (*p == 's') {
      for (const char* s = va_arg(args, const char*); *s != '\0'; ++s) putchar(*s);
    } else if (*p == 'c') {
      putchar(va_arg(args, int));
    } else if (*p == 'd' || *p == 'u' || *p == 'x') {
      unsigned long long v = va_arg(args, unsigned long long);
      const unsigned base = *p == 'x' ? 16 : 10;
      if (*p == 'd' && (long long)v < 0) {
        putchar('-');
        v = -v;
      }
      char digits[24];
      int n = 0;
      do digits[n++] = "0123456789abcdef"[v % base];
      while ((v /= base) != 0);
      while (n != 0) putchar(digits[--n]);
    } else if (*p == '\0') {
      break;
    }
  }
  va_end(args);
  return 0;
}

static char arena[8 << 20] __attribute__((aligned(16)));
static size_t used;

void* malloc(size_t size) {
  size = (size + 15) & ~(size_t)15;
  if (size > sizeof arena - used) return 0;
  void* p = arena + used;
  used += size;
  return p;
}

void* calloc(size_t count, size_t size) {
  void* p = malloc(count * size);
  if (p != 0) memset(p, 0, count * size);
  return p;
}

void* realloc(void* old, size_t size) {
  void* p = malloc(size);
  if (p != 0 && old != 0) memmove(p, old, size);
  return p;
}

void free(void* p) { (void)p; }

int abs(int v) { return v < 0 ? -v : v; }
long labs(long v) { return v < 0 ? -v : v; }
long long llabs(long long v) { return v < 0 ? -v : v; }

void* memcpy(void* to, const void* from, size_t n) { return memmove(to, from, n); }

void* memmove(void* to, const void* from, size_t n) {
  unsigned char* d = to;
  const unsigned char* s = from;
  if (d < s)
    for (size_t i = 0; i < n; ++i) d[i] = s[i];
  else
    for (size_t i = n; i-- > 0;) d[i] = s[i];
  return to;
}

void* memset(void* p, int c, size_t n) {
  unsigned char* d = p;
  for (size_t i = 0; i < n; ++i) d[i] = (unsigned char)c;
  return p;
}

int memcmp(const void* a, const void* b, size_t n) {
  const unsigned char *x = a, *y = b;
  for (size_t i = 0; i < n; ++i)
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

size_t strlen(const char* s) {
  size_t n = 0;
  while (s[n] != '\0') ++n;
  return n;
}

int strcmp(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) ++a, ++b;
  return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char* a, const char* b, size_t n) {
  for (; n != 0; --n, ++a, ++b)
    if (*a != *b || *a == '\0') return (unsigned char)*a - (unsigned char)*b;
  return 0;
}

char* strcpy(char* to, const char* from) {
  char* d = to;
  while ((*d++ = *from++) != '\0') continue;
  return to;
}

char* strchr(const char* s, int c) {
  for (;; ++s) {
    if (*s == (char)c) return (char*)s;
    if (*s == '\0') return 0;
  }
}

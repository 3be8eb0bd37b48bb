// SPDX-License-Identifier: Apache-2.0
// Compiled with the project's IA-64 GCC at -O2: recursion (register stack frames many deep, the stacked
// registers named by alloc), a linked list in memory, division by a constant (multiply-high in the
// floating-point unit) and a string. expect-output: 6765,285  expect-status: 3
int putchar(int);

static unsigned long fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static void print_number(unsigned long value) {
  char digits[24];
  int n = 0;
  do digits[n++] = (char)('0' + value % 10);
  while ((value /= 10) != 0);
  while (n != 0) putchar(digits[--n]);
}

struct node {
  long value;
  struct node* next;
};

int main(void) {
  struct node nodes[10];
  for (int i = 0; i < 10; ++i) {
    nodes[i].value = i * i;
    nodes[i].next = i < 9 ? &nodes[i + 1] : 0;
  }
  long sum = 0;
  for (struct node* n = nodes; n != 0; n = n->next) sum += n->value;
  print_number(fib(20));
  for (const char* s = ","; *s != '\0'; ++s) putchar(*s);
  print_number((unsigned long)sum);
  return 3;
}

// SPDX-License-Identifier: Apache-2.0
// Port I/O: the x86 I/O address space, where the legacy PC devices (UART, PIT, PIC, ACPI PM, QEMU's
// debug-exit) live. Each access is a single in/out instruction; the "memory" clobber keeps the compiler
// from moving memory accesses across a device access that may depend on them.
#pragma once

#include <hv/types.hpp>

namespace hv::x86 {

inline void outb(u16 port, u8 value) { asm volatile("outb %0, %1" : : "a"(value), "Nd"(port) : "memory"); }
inline void outw(u16 port, u16 value) { asm volatile("outw %0, %1" : : "a"(value), "Nd"(port) : "memory"); }
inline void outl(u16 port, u32 value) { asm volatile("outl %0, %1" : : "a"(value), "Nd"(port) : "memory"); }

inline u8 inb(u16 port) {
  u8 value;
  asm volatile("inb %1, %0" : "=a"(value) : "Nd"(port) : "memory");
  return value;
}

inline u32 inl(u16 port) {
  u32 value;
  asm volatile("inl %1, %0" : "=a"(value) : "Nd"(port) : "memory");
  return value;
}

} // namespace hv::x86

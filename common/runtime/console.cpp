// SPDX-License-Identifier: Apache-2.0
#include <hv/console.hpp>
#include <hv/spinlock.hpp>

#include <port.hpp>

namespace hv {
namespace {

SpinLock lines;
constexpr u32 nobody = ~u32{0};
u32 owner = nobody; // the CPU that holds `lines` (atomic: others read it to see it is not theirs)
u32 depth = 0;      // its nested console_begin()s; only the owner touches it

} // namespace

void console_write(const char* text, usize length) { port::Console::write(text, length); }

void console_begin() {
  const u32 self = port::Cpu::index();
  if (__atomic_load_n(&owner, __ATOMIC_RELAXED) == self) {
    ++depth;
    return;
  }
  lines.lock();
  __atomic_store_n(&owner, self, __ATOMIC_RELAXED);
  depth = 1;
}

void console_end() {
  if (--depth != 0) return;
  __atomic_store_n(&owner, nobody, __ATOMIC_RELAXED);
  lines.unlock();
}

} // namespace hv

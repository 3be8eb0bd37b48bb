// SPDX-License-Identifier: Apache-2.0
// Console lines and failed checks.
#include "guest.hpp"

namespace guest {

Line& Line::operator<<(const char* text) {
  while (*text != '\0' && used_ + 1 < sizeof buffer_) buffer_[used_++] = *text++;
  return *this;
}

Line& Line::operator<<(unsigned long long value) {
  char digits[24];
  usize n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0 && used_ + 1 < sizeof buffer_) buffer_[used_++] = digits[--n];
  return *this;
}

Line& Line::operator<<(long long value) {
  if (value < 0) {
    *this << "-";
    return *this << static_cast<u64>(-(value + 1)) + 1;
  }
  return *this << static_cast<u64>(value);
}

Line& Line::hex(u64 value) {
  *this << "0x";
  char digits[16];
  usize n = 0;
  do {
    digits[n++] = "0123456789abcdef"[value & 0xf];
    value >>= 4;
  } while (value != 0);
  while (n > 0 && used_ + 1 < sizeof buffer_) buffer_[used_++] = digits[--n];
  return *this;
}

Line::~Line() {
  buffer_[used_++] = '\n';
  hypercall(hv::abi::hypercall::console_io, hv::abi::consoleio::write, used_, address(buffer_));
}

void fail(const char* what, i64 got, i64 wanted) {
  Line() << "FAILED: " << what << ": got " << got << ", wanted " << wanted;
  shutdown(hv::abi::ShutdownReason::crash);
}

void shutdown(hv::abi::ShutdownReason reason) {
  hv::abi::SchedShutdown argument{static_cast<u32>(reason)};
  for (;;) hypercall(hv::abi::hypercall::sched_op, hv::abi::schedop::shutdown, address(&argument));
}

void yield() { hypercall(hv::abi::hypercall::sched_op, hv::abi::schedop::yield); }

} // namespace guest

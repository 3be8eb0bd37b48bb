// SPDX-License-Identifier: Apache-2.0
#include "interrupts.hpp"

namespace ia64sim {
namespace {

int highest(const std::array<std::uint64_t, 4>& bits) {
  for (int word = 3; word >= 0; --word)
    for (int bit = 63; bit >= 0; --bit)
      if (((bits[static_cast<unsigned>(word)] >> bit) & 1) != 0) return word * 64 + bit;
  return -1;
}

} // namespace

int InterruptController::deliverable(std::uint64_t tpr) const {
  const int vector = highest(pending_);
  if (vector < 0) return -1;
  // NMI (vector 2) is never masked by TPR; the others by tpr.mmi (bit 16) or a class at or below tpr.mic
  // (bits 7:4), and by an interrupt in service of the same or a higher class.
  if (vector != 2) {
    if ((tpr & (std::uint64_t{1} << 16)) != 0) return -1;
    if (static_cast<std::uint64_t>(vector / 16) <= ((tpr >> 4) & 0xf)) return -1;
  }
  const int serving = highest(in_service_);
  if (serving >= 0 && vector / 16 <= serving / 16) return -1;
  return vector;
}

unsigned InterruptController::acknowledge(std::uint64_t tpr) {
  const int vector = deliverable(tpr);
  if (vector < 0) return spurious;
  const auto v = static_cast<unsigned>(vector);
  pending_[v / 64] &= ~(std::uint64_t{1} << (v % 64));
  in_service_[v / 64] |= std::uint64_t{1} << (v % 64);
  return v;
}

void InterruptController::end_of_interrupt() {
  const int vector = highest(in_service_);
  if (vector < 0) return;
  const auto v = static_cast<unsigned>(vector);
  in_service_[v / 64] &= ~(std::uint64_t{1} << (v % 64));
}

} // namespace ia64sim

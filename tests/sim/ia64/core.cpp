// SPDX-License-Identifier: Apache-2.0
#include "core.hpp"

#include <cstdio>

namespace ia64sim {

std::uint64_t Core::gr(unsigned n) const {
  if (n < 32) return static_[n];
  return n - 32 < cfm.sof ? stacked_[bof_ + n - 32] : 0;
}

void Core::set_gr(unsigned n, std::uint64_t value) {
  if (n == 0) return;
  if (n < 32)
    static_[n] = value;
  else if (n - 32 < cfm.sof)
    stacked_[bof_ + n - 32] = value;
}

void Core::call_frame() {
  bof_ += cfm.sol;
  cfm = FrameMarker{cfm.sof - cfm.sol, 0, 0};
  if (stacked_.size() < bof_ + 96) stacked_.resize(bof_ + 96);
}

void Core::return_frame(std::uint64_t pfs) {
  // ar.pfs.pfm: sof 6:0, sol 13:7, sor 17:14 (in units of 8).
  const FrameMarker caller{static_cast<unsigned>(pfs & 0x7f), static_cast<unsigned>((pfs >> 7) & 0x7f),
                           static_cast<unsigned>(((pfs >> 14) & 0xf) * 8)};
  bof_ = bof_ >= caller.sol ? bof_ - caller.sol : 0;
  cfm = caller;
}

namespace {

std::string where(std::uint64_t bundle, unsigned slot, const Instruction& in) {
  char text[160];
  std::snprintf(text, sizeof text, "%llx slot %u: %s", static_cast<unsigned long long>(bundle), slot,
                in.valid ? in.mnemonic.c_str() : "(no instruction)");
  return text;
}

} // namespace

Outcome Core::run(std::uint64_t limit) {
  pr[0] = true;
  fr[1] = FloatRegister{false, 0xffff, std::uint64_t{1} << 63}; // f0 is +0.0 and f1 +1.0, always
  for (std::uint64_t executed = 0; executed < limit;) {
    const std::uint64_t bundle = ip & ~std::uint64_t{15};
    auto found = decoded_.find(bundle);
    if (found == decoded_.end()) {
      std::uint8_t bytes[16];
      for (unsigned i = 0; i < 16; ++i) {
        std::uint64_t byte = 0;
        if (!memory_.read(bundle + i, 1, byte)) return {Stop::fault, bundle + i, "instruction fetch"};
        bytes[i] = static_cast<std::uint8_t>(byte);
      }
      const Bundle b = Bundle::from_bytes(bytes);
      found =
          decoded_.emplace(bundle, std::array{decode(b, 0, bundle), decode(b, 1, bundle), decode(b, 2, bundle)}).first;
    }
    Effect effect;
    for (unsigned slot = 0; slot < 3; ++slot) {
      const Instruction& in = found->second[slot];
      if (in.valid && in.mnemonic.empty()) continue; // the X half of an L+X instruction
      if (!in.valid) return {Stop::illegal, bundle, where(bundle, slot, in)};
      ++executed;
      ++instructions;
      if (trace)
        std::fprintf(stderr, "%s%s\n", where(bundle, slot, in).c_str(),
                     in.predicated && !pr[in.qp] ? " (skipped)" : "");
      if (in.predicated && !pr[in.qp]) {
        // An unconditional compare writes its predicates even when its own predicate is false: both 0.
        if (in.mnemonic.find(".unc") != std::string::npos)
          for (unsigned i = 0; i < in.dst_count; ++i)
            if (in.dst[i].kind == Operand::Kind::pr && in.dst[i].value != 0)
              pr[static_cast<unsigned>(in.dst[i].value)] = false;
        continue;
      }
      if (!execute_integer(*this, in, effect) && !execute_memory(*this, in, effect) &&
          !execute_branch(*this, in, bundle, effect) && !execute_float(*this, in, effect) &&
          !execute_parallel(*this, in))
        return {Stop::unimplemented, bundle, where(bundle, slot, in)};
      pr[0] = true;
      fr[0] = FloatRegister{};
      fr[1] = FloatRegister{false, 0xffff, std::uint64_t{1} << 63};
      if (effect.stop) {
        if (effect.outcome.detail.empty()) effect.outcome.detail = where(bundle, slot, in);
        return effect.outcome;
      }
      if (effect.branch) break;
    }
    ip = effect.branch ? effect.target : bundle + 16;
  }
  return {Stop::limit, ip, "instruction budget spent"};
}

} // namespace ia64sim

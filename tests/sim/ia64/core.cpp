// SPDX-License-Identifier: Apache-2.0
#include "core.hpp"
#include "system_registers.hpp"

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

bool Core::fetch(std::uint64_t bundle, Decoded*& out, Outcome& stop, Effect& effect) {
  std::uint64_t pa = bundle;
  if (bus != nullptr) {
    Interruption why;
    if ((psr & psr_bit::it) != 0 && !use(Serialized::rr, effect)) {
      stop = effect.outcome;
      return false;
    }
    if (!translate(bundle, Access::execute, pa, why)) {
      effect.interrupted = true;
      effect.interruption = why;
      return false;
    }
  }
  auto found = decoded_.find(bundle);
  if (found != decoded_.end() && found->second.pa == pa) {
    out = &found->second;
    return true;
  }
  std::uint8_t bytes[16];
  for (unsigned half = 0; half < 2; ++half) {
    std::uint64_t v = 0;
    const bool ok = bus != nullptr ? bus->read(pa + 8 * half, 8, v) : memory_.read(pa + 8 * half, 8, v);
    if (!ok) {
      stop = {Stop::fault, pa, "instruction fetch"};
      return false;
    }
    for (unsigned i = 0; i < 8; ++i) bytes[8 * half + i] = static_cast<std::uint8_t>(v >> (8 * i));
  }
  const Bundle b = Bundle::from_bytes(bytes);
  Decoded& d = decoded_[bundle];
  d = Decoded{pa, {decode(b, 0, bundle), decode(b, 1, bundle), decode(b, 2, bundle)}};
  out = &d;
  return true;
}

Outcome Core::run(std::uint64_t limit) {
  pr[0] = true;
  fr[1] = FloatRegister{false, 0xffff, std::uint64_t{1} << 63}; // f0 is +0.0 and f1 +1.0, always
  for (std::uint64_t executed = 0; executed < limit;) {
    const std::uint64_t bundle = ip & ~std::uint64_t{15};
    Decoded* decoded = nullptr;
    Outcome stop;
    {
      Effect effect;
      if (!fetch(bundle, decoded, stop, effect)) {
        if (!effect.interrupted) return stop;
        if ((psr & psr_bit::ic) == 0)
          return {Stop::machine, effect.interruption.vector, "instruction fetch fault with psr.ic clear"};
        deliver(effect.interruption, bundle, slot);
        continue;
      }
    }
    Effect effect;
    const unsigned first = slot;
    slot = 0;
    bool interrupted = false;
    for (unsigned s = first; s < 3; ++s) {
      const Instruction& in = decoded->slots[s];
      if (in.valid && in.mnemonic.empty()) continue; // the X half of an L+X instruction
      // An external interrupt is taken between instructions when psr.i allows (volume 2, section 5.8).
      if (bus != nullptr && (psr & psr_bit::i) != 0 && interrupts.any_pending() &&
          interrupts.deliverable(cr[cr_number::tpr]) >= 0) {
        Interruption why;
        why.vector = ivt::external_interrupt;
        why.trap = true;
        deliver(why, bundle, s);
        interrupted = true;
        break;
      }
      if (!in.valid) return {Stop::illegal, bundle, where(bundle, s, in)};
      ++executed;
      ++instructions;
      if (bus != nullptr) {
        ++ar[ar_number::itc];
        interrupts.tick(ar[ar_number::itc], cr[cr_number::itv]);
      }
      if (trace)
        std::fprintf(stderr, "%s%s\n", where(bundle, s, in).c_str(), in.predicated && !pr[in.qp] ? " (skipped)" : "");
      if (in.predicated && !pr[in.qp]) {
        // An unconditional compare writes its predicates even when its own predicate is false: both 0.
        if (in.mnemonic.find(".unc") != std::string::npos)
          for (unsigned i = 0; i < in.dst_count; ++i)
            if (in.dst[i].kind == Operand::Kind::pr && in.dst[i].value != 0)
              pr[static_cast<unsigned>(in.dst[i].value)] = false;
        continue;
      }
      if (!execute_integer(*this, in, effect) && !execute_memory(*this, in, effect) &&
          !execute_system(*this, in, bundle, effect) && !execute_branch(*this, in, bundle, effect) &&
          !execute_float(*this, in, effect) && !execute_parallel(*this, in))
        return {Stop::unimplemented, bundle, where(bundle, s, in)};
      pr[0] = true;
      fr[0] = FloatRegister{};
      fr[1] = FloatRegister{false, 0xffff, std::uint64_t{1} << 63};
      if (effect.interrupted) {
        if ((psr & psr_bit::ic) == 0 && effect.interruption.vector != ivt::data_nested_tlb) {
          char text[200];
          std::snprintf(text, sizeof text, "interruption %#llx with psr.ic clear (its state would be lost) at %s",
                        static_cast<unsigned long long>(effect.interruption.vector), where(bundle, s, in).c_str());
          return {Stop::machine, effect.interruption.vector, text};
        }
        Effect check;
        if (!use(Serialized::psr_ic, check) || !use(Serialized::iva, check)) return check.outcome;
        deliver(effect.interruption, bundle, s);
        interrupted = true;
        break;
      }
      if (effect.stop) {
        if (effect.outcome.detail.empty()) effect.outcome.detail = where(bundle, s, in);
        return effect.outcome;
      }
      if (bus != nullptr) {
        std::uint64_t status = 0;
        if (bus->stopped(status)) return {Stop::machine, status, "the exit device"};
      }
      if (effect.branch) break;
    }
    if (interrupted) continue;
    ip = effect.branch ? effect.target : bundle + 16;
    slot = effect.branch ? effect.target_slot : 0;
  }
  return {Stop::limit, ip, "instruction budget spent"};
}

} // namespace ia64sim

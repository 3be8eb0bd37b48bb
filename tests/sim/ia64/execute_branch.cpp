// SPDX-License-Identifier: Apache-2.0
// Branches and calls, the register stack frame (alloc, br.call, br.ret), moves between general, branch,
// predicate and application registers, movl, and break as the simulator's call gate (volume 3, chapter 2:
// br, brl, alloc, mov, movl, break, nop, hint, brp).
#include "core.hpp"

namespace ia64sim {
namespace {

using u64 = std::uint64_t;

constexpr unsigned ar_pfs = 64, ar_lc = 65, ar_ec = 66;

// ar.pfs as br.call writes it: the caller's frame marker (pfm), epilogue count (pec).
u64 previous_frame_state(const Core& core) {
  return u64{core.cfm.sof} | (u64{core.cfm.sol} << 7) | (u64{core.cfm.sor / 8} << 14) | ((core.ar[ar_ec] & 0x3f) << 52);
}

void take(Effect& effect, u64 target) {
  effect.branch = true;
  effect.target = target;
}

} // namespace

bool execute_branch(Core& core, const Instruction& in, u64 bundle, Effect& effect) {
  const std::string& m = in.mnemonic;
  const std::string_view base = base_of(m);
  const auto target = [&](const Operand& o) {
    return o.kind == Operand::Kind::br ? core.br[number(o)] : static_cast<u64>(o.value);
  };

  // br.cond, br.call, ...: the branch type is the first completer; "br.few" and the like are br.cond.
  std::string_view type =
      m.size() > base.size()
          ? std::string_view(m).substr(base.size() + 1, m.find('.', base.size() + 1) - base.size() - 1)
          : std::string_view();
  if (type == "few" || type == "many" || type == "sptk" || type == "dptk" || type == "spnt" || type == "dpnt")
    type = "cond";
  if ((base == "br" || base == "brl") && type == "cond") {
    take(effect, target(in.src[0])); // the qualifying predicate was the condition
  } else if ((base == "br" || base == "brl") && type == "call") {
    take(effect, target(in.src[0])); // read before the link is written: br.call b0 = b0 is allowed
    core.br[number(in.dst[0])] = bundle + 16;
    core.ar[ar_pfs] = previous_frame_state(core);
    core.call_frame();
  } else if (base == "br" && type == "ret") {
    take(effect, target(in.src[0]));
    const u64 pfs = core.ar[ar_pfs];
    core.ar[ar_ec] = (pfs >> 52) & 0x3f;
    core.return_frame(pfs);
    core.fill_frame(effect);
  } else if (base == "br" && type == "cloop") {
    if (core.ar[ar_lc] != 0) {
      --core.ar[ar_lc];
      take(effect, target(in.src[0]));
    }
  } else if (base == "alloc") {
    // r1 is named in the new frame: the frame first.
    core.cfm = FrameMarker{static_cast<unsigned>(in.src[1].value), static_cast<unsigned>(in.src[2].value),
                           static_cast<unsigned>(in.src[3].value)};
    core.set_gr(number(in.dst[0]), core.ar[ar_pfs]);
  } else if (base == "mov" || base == "movl") {
    const Operand& d = in.dst[0];
    const Operand& s = in.src[0];
    if (d.kind == Operand::Kind::gr && s.kind == Operand::Kind::br)
      core.set_gr(number(d), core.br[number(s)]);
    else if (d.kind == Operand::Kind::br)
      core.br[number(d)] = core.gr(number(s));
    else if (d.kind == Operand::Kind::ar)
      core.ar[number(d)] = value_of(core, s);
    else if (d.kind == Operand::Kind::gr && s.kind == Operand::Kind::ar)
      core.set_gr(number(d), core.ar[number(s)]);
    else if (d.kind == Operand::Kind::gr && s.kind == Operand::Kind::hex)
      core.set_gr(number(d), static_cast<u64>(s.value));
    else if (d.kind == Operand::Kind::gr && s.kind == Operand::Kind::name && std::string(s.text) == "ip")
      core.set_gr(number(d), bundle);
    else if (d.kind == Operand::Kind::gr && s.kind == Operand::Kind::name && std::string(s.text) == "pr") {
      u64 v = 0;
      for (unsigned p = 0; p < 64; ++p) v |= u64{core.pr[p]} << p;
      core.set_gr(number(d), v);
    } else if (d.kind == Operand::Kind::name && std::string(d.text) == "pr") {
      // mask17: bits 1-15 choose p1-p15, bit 16 all of p16-p63.
      const u64 v = core.gr(number(s)), mask = static_cast<u64>(in.src[1].value);
      for (unsigned p = 1; p < 64; ++p)
        if (((mask >> (p < 16 ? p : 16)) & 1) != 0) core.pr[p] = ((v >> p) & 1) != 0;
    } else {
      return false;
    }
  } else if (base == "break") {
    const u64 code = static_cast<u64>(in.src[0].value);
    if (code == call_putchar) {
      core.output += static_cast<char>(core.gr(8));
    } else {
      effect.stop = true;
      effect.outcome = code == call_exit ? Outcome{Stop::exit, core.gr(8), ""} : Outcome{Stop::breakpoint, code, ""};
    }
  } else if (base == "nop" || base == "hint" || base == "brp") {
  } else {
    return false;
  }
  return true;
}

} // namespace ia64sim

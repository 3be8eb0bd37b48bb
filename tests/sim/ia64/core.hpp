// SPDX-License-Identifier: Apache-2.0
// The user-level core: executes decoded instructions on an application's registers and memory
// (volume 1, chapter 4 "Application Programming Model"; volume 3 gives each instruction's operation).
// So far: the integer, branch and memory instructions GCC's integer code uses, the register stack as
// frames over an unbounded physical file (no backing store yet), no floating point, no interruptions:
// what cannot be executed stops the run and says which instruction it was.
#pragma once

#include "instruction.hpp"
#include "memory.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace ia64sim {

/// The current frame marker's size fields (volume 1, section 4.1.2); rotation is not modelled yet.
struct FrameMarker {
  unsigned sof = 0; // size of frame
  unsigned sol = 0; // size of locals
  unsigned sor = 0; // size of rotating portion, in registers
};

/// A floating-point register in the register format (volume 1, section 5.1): sign, 17-bit exponent,
/// 64-bit significand with its explicit integer bit. An integer in a floating-point register (setf.sig,
/// xma) is the significand with the exponent 0x1003e.
struct FloatRegister {
  bool sign = false;
  std::uint32_t exponent = 0;
  std::uint64_t significand = 0;
};
inline constexpr std::uint32_t integer_exponent = 0x1003e;

/// Why a run stopped.
enum class Stop {
  limit,         // the instruction budget ran out
  exit,          // the program asked to end (break 0x100000): the status is r8
  fault,         // a memory access outside what exists
  unimplemented, // an instruction the core does not execute yet
  illegal,       // bits that encode no instruction
  breakpoint,    // any other break
};

struct Outcome {
  Stop stop = Stop::limit;
  std::uint64_t value = 0; // exit status, faulting address or break immediate
  std::string detail;      // for a stop other than exit: what and where
};

/// The simulator calls a program makes with break (any unit): the immediate chooses, r8 is the argument.
inline constexpr std::uint64_t call_exit = 0x100000;
inline constexpr std::uint64_t call_putchar = 0x100001;

class Core {
public:
  explicit Core(Memory& memory) : memory_(memory) {}

  /// Runs from `ip` until a stop, or `limit` instructions.
  Outcome run(std::uint64_t limit);

  std::uint64_t ip = 0;
  std::array<bool, 64> pr{};
  std::array<FloatRegister, 128> fr{};
  std::array<std::uint64_t, 8> br{};
  std::array<std::uint64_t, 128> ar{};
  FrameMarker cfm;
  std::uint64_t instructions = 0;
  /// What the program wrote with call_putchar.
  std::string output;
  /// Each executed instruction's bundle, slot and text go to standard error (ia64-run --trace).
  bool trace = false;

  /// General register n as the current frame names it (r32 and up are the frame's stacked registers).
  std::uint64_t gr(unsigned n) const;
  void set_gr(unsigned n, std::uint64_t value);
  Memory& memory() { return memory_; }

  // The register stack: a call's new frame starts at the caller's first output (volume 1, section 4.1).
  void call_frame();
  void return_frame(std::uint64_t pfs);

private:
  Memory& memory_;
  std::array<std::uint64_t, 32> static_{};
  std::vector<std::uint64_t> stacked_ = std::vector<std::uint64_t>(96);
  unsigned bof_ = 0; // the current frame's first physical stacked register
  std::unordered_map<std::uint64_t, std::array<Instruction, 3>> decoded_;
};

/// What executing one instruction did besides its results.
struct Effect {
  bool branch = false; // taken: continue at `target`
  std::uint64_t target = 0;
  bool stop = false; // the run ends with `outcome`
  Outcome outcome;
};

/// A source operand's value: a general register's contents or an immediate.
inline std::uint64_t value_of(const Core& core, const Operand& o) {
  return o.kind == Operand::Kind::gr ? core.gr(static_cast<unsigned>(o.value)) : static_cast<std::uint64_t>(o.value);
}
inline unsigned number(const Operand& o) { return static_cast<unsigned>(o.value); }
/// "cmp4.lt.unc" -> "cmp4"; the completers follow.
inline std::string base_of(const std::string& mnemonic) { return mnemonic.substr(0, mnemonic.find('.')); }
inline bool has(const std::string& mnemonic, const char* completer) {
  return (mnemonic + ".").find(std::string(".") + completer + ".") != std::string::npos;
}

// One executor per group of instructions; each returns false for a mnemonic it does not know.
bool execute_integer(Core& core, const Instruction& in, Effect& effect);
bool execute_memory(Core& core, const Instruction& in, Effect& effect);
bool execute_branch(Core& core, const Instruction& in, std::uint64_t bundle, Effect& effect);
bool execute_float(Core& core, const Instruction& in, Effect& effect);
bool execute_parallel(Core& core, const Instruction& in);

} // namespace ia64sim

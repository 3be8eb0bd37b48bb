// SPDX-License-Identifier: Apache-2.0
// The core: executes decoded instructions on an application's registers and memory (volume 1, chapter 4
// "Application Programming Model"; volume 3 gives each instruction's operation).
// The integer, branch, memory and floating-point instructions GCC's code uses, the register stack as
// frames over an unbounded physical file. With a Bus attached (ia64-machine) it is also the system of
// volume 2: psr, the control registers, banked registers, translation (tlb.hpp), interruptions through
// the IVT and the external interrupt controller (interrupts.hpp). What cannot be executed stops the run
// and says which instruction it was.
#pragma once

#include "instruction.hpp"
#include "interrupts.hpp"
#include "memory.hpp"
#include "tlb.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
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
  machine,       // the system stopped: the exit device (status in value), or an unrecoverable state
};

/// An interruption an instruction raised (volume 2, chapter 5 "Interruptions"): the vector's offset in
/// the IVT and what the interruption registers receive when psr.ic is 1.
struct Interruption {
  std::uint64_t vector = 0;
  std::uint64_t isr = 0;
  std::uint64_t ifa = 0;
  std::uint64_t itir = 0;
  std::uint64_t iha = 0;
  std::uint64_t iim = 0;
  bool translation = false; // ifa, itir and iha are written (translation-related vectors)
  bool trap = false;        // iip and ri name the next instruction, not this one
};

struct Outcome {
  Stop stop = Stop::limit;
  std::uint64_t value = 0; // exit status, faulting address or break immediate
  std::string detail;      // for a stop other than exit: what and where
};

/// The simulator calls a program makes with break (any unit): the immediate chooses, r8 is the argument.
inline constexpr std::uint64_t call_exit = 0x100000;
inline constexpr std::uint64_t call_putchar = 0x100001;

/// What the core reaches by physical address in system mode: RAM and the board's devices (board.hpp).
class Bus {
public:
  virtual ~Bus() = default;
  /// False when nothing answers at `pa`.
  virtual bool read(std::uint64_t pa, unsigned size, std::uint64_t& value) = 0;
  virtual bool write(std::uint64_t pa, unsigned size, std::uint64_t value) = 0;
  /// Whether a device asked the machine to stop (the exit device), and with which status.
  virtual bool stopped(std::uint64_t& status) const = 0;
};

struct Effect;

/// The system state whose writes need explicit serialization before their use (volume 2, section 3.2).
enum class Serialized : unsigned {
  psr_dt, // psr.dt, psr.rt: data translation, for memory accesses
  psr_ic, // psr.ic: interruption collection, for interruptions and the interruption registers
  rr,     // region registers, for translation
  pta,    // cr.pta, for the VHPT walker and thash/ttag
  iva,    // cr.iva, for interruptions (instruction serialization)
  count,
};

/// Accesses to memory, for translation and its faults.
enum class Access { read, write, execute };

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

  // ---- the system (volume 2), in use when `bus` is set ----
  /// Reads and writes by virtual address: translated when psr.dt is set, through the bus. False when
  /// the access raised an interruption (in `effect`) or, without a bus, stopped the run.
  bool read(std::uint64_t va, unsigned size, std::uint64_t& value, Effect& effect);
  bool write(std::uint64_t va, unsigned size, std::uint64_t value, Effect& effect);
  /// Translates a data or instruction address as psr says (volume 2, chapter 4 "Addressing and
  /// Protection"); false with the interruption to raise.
  bool translate(std::uint64_t va, Access access, std::uint64_t& pa, Interruption& why);
  /// translate() for a data reference of an instruction: strict mode's checks first, a fault in `effect`.
  bool physical(std::uint64_t va, Access access, std::uint64_t& pa, Effect& effect);
  /// Enters the IVT (volume 2, section 5.5 "Interruption Handling").
  void deliver(const Interruption& why, std::uint64_t bundle, unsigned slot);
  /// psr as written by rfi, ssm, rsm, mov psr.l or bsw: switches r16-r31 when psr.bn changes.
  void set_psr(std::uint64_t value);
  /// The current frame's backing store address (ar.bsp) and the RSE operations on it.
  std::uint64_t bsp() const;
  std::uint64_t bspstore() const { return rse_address_; }
  void set_bspstore(std::uint64_t address);
  bool flush_register_stack(Effect& effect);
  /// loadrs: the ar.rsc.loadrs bytes below ar.bsp loaded into the registers below the frame.
  bool load_register_stack(Effect& effect);
  /// The mandatory fill after a return into a frame below ar.bspstore (system mode).
  bool fill_frame(Effect& effect);
  void cover();
  void restore_frame(std::uint64_t ifs);
  /// The long-format VHPT hash and tag of `va` (thash, ttag and the walker).
  std::uint64_t thash(std::uint64_t va) const;
  std::uint64_t ttag(std::uint64_t va) const;

  Bus* bus = nullptr;
  std::uint64_t psr = 0;
  std::array<std::uint64_t, 128> cr{};
  std::array<std::uint64_t, 8> rr{};
  Tlb tlb;
  InterruptController interrupts;
  /// The slot the next bundle starts at (psr.ri after rfi).
  unsigned slot = 0;
  /// Strict mode: a use of system state written without the serialization the manual requires stops
  /// the run (serialization.cpp, volume 2, section 3.2 "Serialization").
  bool strict = false;
  /// Records a write of `resource` that needs srlz.d (or srlz.i, `instruction`) before its use.
  void wrote(Serialized resource, std::uint64_t bundle, bool instruction = false);
  /// srlz.d, srlz.i or rfi.
  void serialize(bool instruction);
  /// Checks a use of `resource`: in strict mode, an unserialized write stops the run (false).
  bool use(Serialized resource, Effect& effect);

  // The register stack: a call's new frame starts at the caller's first output (volume 1, section 4.1).
  void call_frame();
  void return_frame(std::uint64_t pfs);

private:
  Memory& memory_;
  std::array<std::uint64_t, 32> static_{};
  std::array<std::uint64_t, 16> other_bank_{}; // r16-r31 of the bank psr.bn does not select
  struct Pending {
    bool data = false, instruction = false;
    std::uint64_t at = 0;
  };
  std::array<Pending, static_cast<unsigned>(Serialized::count)> unserialized_{};
  // The RSE's memory image: the backing store address of the physical stacked register `rse_bof_`.
  std::uint64_t rse_address_ = 0;
  unsigned rse_bof_ = 0;
  std::vector<std::uint64_t> stacked_ = std::vector<std::uint64_t>(96);
  unsigned bof_ = 0; // the current frame's first physical stacked register
  /// Decoded bundles by virtual address, with the physical address they were fetched from.
  struct Decoded {
    std::uint64_t pa = 0;
    std::array<Instruction, 3> slots;
  };
  std::unordered_map<std::uint64_t, Decoded> decoded_;
  bool fetch(std::uint64_t bundle, Decoded*& out, Outcome& stop, Effect& effect);
};

/// What executing one instruction did besides its results.
struct Effect {
  bool branch = false; // taken: continue at `target`
  std::uint64_t target = 0;
  unsigned target_slot = 0; // rfi: the slot to resume at
  bool stop = false;        // the run ends with `outcome`
  Outcome outcome;
  bool interrupted = false; // the instruction raised `interruption` (a fault: it did nothing)
  Interruption interruption;
};

/// A source operand's value: a general register's contents or an immediate.
inline std::uint64_t value_of(const Core& core, const Operand& o) {
  return o.kind == Operand::Kind::gr ? core.gr(static_cast<unsigned>(o.value)) : static_cast<std::uint64_t>(o.value);
}
inline unsigned number(const Operand& o) { return static_cast<unsigned>(o.value); }
/// "cmp4.lt.unc" -> "cmp4"; the completers follow.
/// (A view into the mnemonic: the executors compare it for every instruction, without allocating.)
inline std::string_view base_of(const std::string& mnemonic) {
  return std::string_view(mnemonic).substr(0, mnemonic.find('.'));
}
/// Whether ".completer" is one of the mnemonic's completers ("ld8.c.clr" has "c" and "clr").
inline bool has(const std::string& mnemonic, std::string_view completer) {
  const std::string_view m(mnemonic);
  for (std::size_t dot = m.find('.'); dot != std::string_view::npos; dot = m.find('.', dot + 1)) {
    const std::string_view rest = m.substr(dot + 1);
    if (rest.substr(0, completer.size()) == completer &&
        (rest.size() == completer.size() || rest[completer.size()] == '.'))
      return true;
  }
  return false;
}

// One executor per group of instructions; each returns false for a mnemonic it does not know.
bool execute_integer(Core& core, const Instruction& in, Effect& effect);
bool execute_memory(Core& core, const Instruction& in, Effect& effect);
bool execute_branch(Core& core, const Instruction& in, std::uint64_t bundle, Effect& effect);
bool execute_float(Core& core, const Instruction& in, Effect& effect);
bool execute_parallel(Core& core, const Instruction& in);
bool execute_system(Core& core, const Instruction& in, std::uint64_t bundle, Effect& effect);

} // namespace ia64sim

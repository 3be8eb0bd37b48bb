// SPDX-License-Identifier: Apache-2.0
// ia64-run: runs a static IA-64 ELF program on the simulator's user-level core (core.hpp) and exits
// with its status. The program gets a 1 MiB memory stack below 2 GiB (r12), writes characters with
// break 0x100001 (r8 the character) and ends with break 0x100000 (r8 the status).
//   ia64-run [--trace] [--limit N] PROGRAM.elf
#include "core.hpp"
#include "program_loader.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

int main(int argc, char** argv) {
  std::uint64_t limit = 100'000'000;
  bool trace = false;
  int arg = 1;
  if (arg < argc && std::strcmp(argv[arg], "--trace") == 0) {
    trace = true;
    ++arg;
  }
  if (arg + 1 < argc && std::strcmp(argv[arg], "--limit") == 0) {
    limit = std::strtoull(argv[arg + 1], nullptr, 0);
    arg += 2;
  }
  if (arg != argc - 1) {
    std::fprintf(stderr, "usage: ia64-run [--trace] [--limit N] PROGRAM.elf\n");
    return 125;
  }
  std::ifstream file(argv[arg], std::ios::binary);
  const std::vector<std::uint8_t> image{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  ia64sim::Memory memory;
  std::string error;
  const std::uint64_t entry = ia64sim::load_program(image, memory, error);
  if (!error.empty()) {
    std::fprintf(stderr, "ia64-run: %s: %s\n", argv[arg], error.c_str());
    return 125;
  }
  constexpr std::uint64_t stack_top = 0x8000'0000, stack_size = 1 << 20;
  memory.reserve(stack_top - stack_size, stack_size);
  ia64sim::Core core(memory);
  core.ip = entry;
  core.trace = trace;
  core.set_gr(12, stack_top - 16);
  // ar.fpsr as the software conventions start a program: traps disabled, every status field rounding
  // to nearest at 64-bit precision, sf1 with the widest exponent range.
  core.ar[40] = 0x0009'804c'0270'033f;
  const ia64sim::Outcome outcome = core.run(limit);
  std::fwrite(core.output.data(), 1, core.output.size(), stdout);
  if (outcome.stop == ia64sim::Stop::exit) return static_cast<int>(outcome.value & 0xff);
  static constexpr const char* reasons[] = {"instruction budget spent", "exit", "memory fault", "not implemented",
                                            "illegal instruction",      "break"};
  std::fprintf(stderr, "ia64-run: %s at %s (%#llx) after %llu instructions\n", reasons[static_cast<int>(outcome.stop)],
               outcome.detail.c_str(), static_cast<unsigned long long>(outcome.value),
               static_cast<unsigned long long>(core.instructions));
  return 124;
}

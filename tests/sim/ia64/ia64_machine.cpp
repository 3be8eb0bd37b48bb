// SPDX-License-Identifier: Apache-2.0
// ia64-machine: boots an IA-64 image on the simulated board (board.hpp) in system mode, as a loader
// would hand it over (docs/ia64-simulator.md, "The loader handoff"): loaded at its physical addresses,
// entered at its ELF entry point in physical mode at privilege level 0, r28 the boot information
// block's physical address. The UART's output goes to standard output; the run ends when the image
// writes the exit device, and the program exits with the status written.
//   ia64-machine [--append LINE] [--module FILE] [--limit N] [--strict] [--trace] [--count] [--mark TEXT]...
//                IMAGE.elf
// (the options in any order, before or after the image).
// --count prints the instructions executed at the end, --mark TEXT the count when a console line with
// TEXT in it is complete (instruction 0 is the image's entry: no firmware runs before it).
// Exit status: the exit device's status; 124 when the run ended otherwise (the reason on standard
// error); 125 for a usage or file error.
#include "board.hpp"
#include "program_loader.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>

namespace {

using u64 = std::uint64_t;

// Where the loader puts what it hands over: the boot information block and the command line in the
// first MiB (which the board's device tree leaves to firmware), the module below the image.
constexpr u64 boot_info_pa = 0x8'0000, command_line_pa = 0x8'1000;
constexpr u64 module_pa = 0x200'0000, module_limit = 0x400'0000;
constexpr u64 boot_info_magic = 0x6962343641497668; // "hvIA64bi" read little-endian
constexpr u64 ram_size = u64{2} << 30;

std::optional<std::vector<std::uint8_t>> read_file(const char* path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  return std::vector<std::uint8_t>{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

int usage() {
  std::fprintf(stderr, "usage: ia64-machine [--append LINE] [--module FILE] [--limit N] [--strict] [--trace] "
                       "[--count] [--mark TEXT]... IMAGE.elf\n");
  return 125;
}

} // namespace

int main(int argc, char** argv) {
  u64 limit = 4'000'000'000;
  const char* append = nullptr;
  const char* module = nullptr;
  bool strict = false, trace = false, count = false;
  std::vector<std::string> marks;
  const char* path = nullptr;
  for (int arg = 1; arg < argc; ++arg) {
    const std::string a = argv[arg];
    const bool has_value = arg + 1 < argc;
    if (a == "--append" && has_value)
      append = argv[++arg];
    else if (a == "--module" && has_value)
      module = argv[++arg];
    else if (a == "--limit" && has_value)
      limit = std::strtoull(argv[++arg], nullptr, 0);
    else if (a == "--strict")
      strict = true;
    else if (a == "--trace")
      trace = true;
    else if (a == "--count")
      count = true;
    else if (a == "--mark" && has_value)
      marks.emplace_back(argv[++arg]);
    else if (a.rfind("--", 0) != 0 && path == nullptr)
      path = argv[arg];
    else
      return usage();
  }
  if (path == nullptr) return usage();

  const auto image = read_file(path);
  if (!image) {
    std::fprintf(stderr, "ia64-machine: cannot read %s\n", path);
    return 125;
  }
  ia64sim::Memory memory;
  std::string error;
  const u64 entry = ia64sim::load_program(*image, memory, error);
  if (!error.empty()) {
    std::fprintf(stderr, "ia64-machine: %s: %s\n", path, error.c_str());
    return 125;
  }
  u64 module_size = 0;
  if (module != nullptr) {
    const auto bytes = read_file(module);
    if (!bytes || bytes->size() > module_limit - module_pa) {
      std::fprintf(stderr, "ia64-machine: cannot read %s, or it is larger than %llu bytes\n", module,
                   static_cast<unsigned long long>(module_limit - module_pa));
      return 125;
    }
    memory.load(module_pa, bytes->data(), bytes->size());
    module_size = bytes->size();
  }
  if (append != nullptr) {
    const std::size_t length = std::strlen(append);
    memory.load(command_line_pa, reinterpret_cast<const std::uint8_t*>(append), length + 1);
  }
  const u64 block[5] = {boot_info_magic, 1, append != nullptr ? command_line_pa : 0, module != nullptr ? module_pa : 0,
                        module_size};
  for (unsigned i = 0; i < 5; ++i) memory.write(boot_info_pa + 8 * i, 8, block[i]);

  ia64sim::Board board(memory, ram_size, stdout);
  ia64sim::Core core(memory);
  core.bus = &board;
  for (const std::string& text : marks) board.mark(text, &core.instructions);
  core.strict = strict;
  core.trace = trace;
  core.ip = entry;
  core.set_gr(28, boot_info_pa);
  const ia64sim::Outcome outcome = core.run(limit);
  std::fflush(stdout);
  if (count)
    std::fprintf(stderr, "ia64-machine: %llu instructions\n", static_cast<unsigned long long>(core.instructions));
  if (outcome.stop == ia64sim::Stop::machine && outcome.detail == "the exit device")
    return static_cast<int>(outcome.value & 0xff);
  static constexpr const char* reasons[] = {"instruction budget spent", "exit",  "memory fault",   "not implemented",
                                            "illegal instruction",      "break", "machine stopped"};
  std::fprintf(stderr, "ia64-machine: %s: %s (%#llx) after %llu instructions, ip %#llx\n",
               reasons[static_cast<int>(outcome.stop)], outcome.detail.c_str(),
               static_cast<unsigned long long>(outcome.value), static_cast<unsigned long long>(core.instructions),
               static_cast<unsigned long long>(core.ip));
  return 124;
}

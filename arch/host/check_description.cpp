// SPDX-License-Identifier: Apache-2.0
// hv-check-description: checks a domain description (a compiled .dtb) against the rules the hypervisor
// applies when it boots one, with the hypervisor's own reader and checks (the host port's build of
// common/loader and common/domains), so that it refuses what the hypervisor would refuse, with the same
// message, before anything boots. Which ELF machines a port runs is the port's: the caller names them
// (scripts/check-description reads them from cross/targets.toml).
//
//   hv-check-description [--accept MACHINE:CLASS:DATA]... FILE.dtb
//
// Prints the hypervisor's line for the first problem and exits 1; prints what each domain is and exits
// 0 when the description would be booted; exits 2 on a usage error.
#include <hv/domains/domain_image.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

namespace {

struct Accepted {
  hv::u16 machine;
  hv::u8 elf_class, data;
};
std::vector<Accepted> accepted;

bool accepts(hv::u16 machine, hv::u8 elf_class, hv::u8 data) {
  for (const Accepted& a : accepted)
    if (a.machine == machine && a.elf_class == elf_class && a.data == data) return true;
  return false;
}

int usage(const char* why) {
  std::fprintf(
      stderr, "hv-check-description: %s\nusage: hv-check-description [--accept MACHINE:CLASS:DATA]... FILE.dtb\n", why);
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  const char* path = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--accept") == 0 && i + 1 < argc) {
      unsigned machine = 0, elf_class = 0, data = 0;
      if (std::sscanf(argv[++i], "%u:%u:%u", &machine, &elf_class, &data) != 3)
        return usage("--accept takes MACHINE:CLASS:DATA");
      accepted.push_back({static_cast<hv::u16>(machine), static_cast<hv::u8>(elf_class), static_cast<hv::u8>(data)});
    } else if (path == nullptr && argv[i][0] != '-') {
      path = argv[i];
    } else {
      return usage("unexpected argument");
    }
  }
  if (path == nullptr) return usage("no description named");
  std::ifstream in(path, std::ios::binary);
  if (!in) return usage("cannot read the description");
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // libfdt reads 8-byte aligned blobs, as the hypervisor has its boot module.
  std::vector<std::uint64_t> blob(bytes.size() / 8 + 1);
  std::memcpy(blob.data(), bytes.data(), bytes.size());

  static hv::DomainDescription description;
  hv::DescriptionError error;
  if (!hv::read_domain_description(blob.data(), bytes.size(), description, error)) {
    std::printf("hv: %s\n", error.message);
    return 1;
  }
  for (hv::usize i = 0; i < description.count; ++i) {
    const hv::DomainSpec& spec = description.domains[i];
    hv::ElfImage elf;
    const char* why = "";
    const int name_length = static_cast<int>(spec.name.size());
    if (!hv::check_domain_image(spec, accepted.empty() ? [](hv::u16, hv::u8, hv::u8) { return true; } : accepts, elf,
                                why)) {
      std::printf("hv: domain %.*s cannot be built: %s\n", name_length, spec.name.data(), why);
      return 1;
    }
    std::printf("domain %.*s: %llu KiB, %u vCPU, ELF%d machine %u, entry %#llx\n", name_length, spec.name.data(),
                static_cast<unsigned long long>(spec.memory_bytes >> 10), spec.vcpus, elf.elf_class == 1 ? 32 : 64,
                elf.machine, static_cast<unsigned long long>(elf.pvh_entry != 0 ? elf.pvh_entry : elf.entry));
  }
  std::printf("description: %zu domain(s), as the hypervisor would build them\n",
              static_cast<std::size_t>(description.count));
  return 0;
}

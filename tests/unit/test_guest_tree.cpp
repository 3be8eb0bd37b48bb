// SPDX-License-Identifier: Apache-2.0
// hv/guest_tree.hpp: the device tree a guest finds at boot, read back with libfdt as a guest would.
#include <hv/guest_tree.hpp>

#include <catch2/catch_test_macros.hpp>

#include <cstring>
#include <string>
#include <vector>

extern "C" {
#include <libfdt.h>
}

namespace {

hv::GuestBootInfo domain(hv::u32 vcpus = 2) {
  hv::GuestBootInfo boot;
  boot.domain_id = 3;
  boot.vcpus = vcpus;
  boot.memory_bytes = 64u << 20;
  boot.boot_info_gpa = (64u << 20) - 0x4000;
  boot.command_line = hv::StrView("console=hvc0", 7); // only "console": not NUL-terminated where it ends
  return boot;
}

constexpr hv::GuestTreeArch arch{.compatible = "hv,test-guest", .timebase_hz = 512'000'000};

std::string string_property(const void* fdt, const char* path, const char* name) {
  const int node = fdt_path_offset(fdt, path);
  if (node < 0) return "<no node>";
  int length = 0;
  const auto* value = static_cast<const char*>(fdt_getprop(fdt, node, name, &length));
  return value == nullptr ? "<no property>" : std::string(value, strnlen(value, static_cast<size_t>(length)));
}

hv::u32 u32_property(const void* fdt, const char* path, const char* name) {
  const int node = fdt_path_offset(fdt, path);
  const auto* value = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, name, nullptr));
  return value == nullptr ? 0xdeadbeef : fdt32_to_cpu(*value);
}

} // namespace

TEST_CASE("a guest's tree says what its domain is, and passes libfdt's full check") {
  std::vector<hv::u8> buffer(0x4000);
  hv::usize used = 0;
  REQUIRE(hv::write_guest_tree(domain(), arch, buffer.data(), buffer.size(), used));
  const void* fdt = buffer.data();
  REQUIRE(used == fdt_totalsize(fdt));
  REQUIRE(fdt_check_full(fdt, used) == 0);

  CHECK(string_property(fdt, "/", "compatible") == "hv,test-guest");
  CHECK(u32_property(fdt, "/", "#address-cells") == 2);
  // Properties are only 4-byte aligned in the tree: the two doublewords are copied out.
  const void* reg = fdt_getprop(fdt, fdt_path_offset(fdt, "/memory@0"), "reg", nullptr);
  REQUIRE(reg != nullptr);
  fdt64_t cells[2];
  std::memcpy(cells, reg, sizeof cells);
  CHECK(fdt64_to_cpu(cells[0]) == 0);
  CHECK(fdt64_to_cpu(cells[1]) == 64u << 20);
  CHECK(string_property(fdt, "/chosen", "bootargs") == "console");
  CHECK(string_property(fdt, "/hypervisor", "compatible") == "hv,hypervisor");
  CHECK(u32_property(fdt, "/hypervisor", "domain-id") == 3);
  CHECK(u32_property(fdt, "/cpus/cpu@0", "timebase-frequency") == 512'000'000);
  CHECK(u32_property(fdt, "/cpus/cpu@1", "reg") == 1);
  CHECK(fdt_path_offset(fdt, "/cpus/cpu@2") < 0);
}

TEST_CASE("a guest's tree reserves the whole pages it lies in, and nothing else") {
  std::vector<hv::u8> buffer(0x4000);
  hv::usize used = 0;
  const hv::GuestBootInfo boot = domain();
  REQUIRE(hv::write_guest_tree(boot, arch, buffer.data(), buffer.size(), used));
  REQUIRE(fdt_num_mem_rsv(buffer.data()) == 1);
  uint64_t address = 0, size = 0;
  REQUIRE(fdt_get_mem_rsv(buffer.data(), 0, &address, &size) == 0);
  CHECK(address == boot.boot_info_gpa);
  CHECK(size == 4096); // this tree is smaller than a page
  CHECK(size >= used);
}

TEST_CASE("a guest's tree is refused when it cannot be written whole") {
  std::vector<hv::u8> buffer(0x4000);
  hv::usize used = 99;
  CHECK_FALSE(hv::write_guest_tree(domain(), arch, buffer.data(), 64, used)); // too small a buffer
  CHECK(used == 0);
  CHECK_FALSE(hv::write_guest_tree(domain(0), arch, buffer.data(), buffer.size(), used)); // no vCPU
  hv::GuestBootInfo outside = domain();
  outside.boot_info_gpa = outside.memory_bytes;
  CHECK_FALSE(hv::write_guest_tree(outside, arch, buffer.data(), buffer.size(), used));
}

TEST_CASE("the control domain's tree names its transfer window, and another domain's names none") {
  std::vector<hv::u8> buffer(0x4000);
  hv::usize used = 0;
  hv::GuestBootInfo boot = domain();
  REQUIRE(hv::write_guest_tree(boot, arch, buffer.data(), buffer.size(), used));
  CHECK(fdt_path_offset(buffer.data(), "/transfer-window") < 0);

  boot.window = hv::MemoryRange{0x8000'0000, 16u << 20};
  REQUIRE(hv::write_guest_tree(boot, arch, buffer.data(), buffer.size(), used));
  const void* fdt = buffer.data();
  REQUIRE(fdt_check_full(fdt, used) == 0);
  CHECK(string_property(fdt, "/transfer-window", "compatible") == "hv,transfer-window");
  const void* reg = fdt_getprop(fdt, fdt_path_offset(fdt, "/transfer-window"), "reg", nullptr);
  REQUIRE(reg != nullptr);
  fdt64_t cells[2];
  std::memcpy(cells, reg, sizeof cells);
  CHECK(fdt64_to_cpu(cells[0]) == 0x8000'0000);
  CHECK(fdt64_to_cpu(cells[1]) == 16u << 20);
  // It is not memory: the tree reserves nothing for it, and /memory still ends at the RAM's end.
  CHECK(fdt_num_mem_rsv(fdt) == 1);
}

// SPDX-License-Identifier: Apache-2.0
#include <hv/loader/domain_description.hpp>
#include <hv/loader/elf_image.hpp>

#include "test_description.hpp"

#include <catch2/catch_test_macros.hpp>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

using hv::test::bare;
using hv::test::Bytes;
using hv::test::cell;
using hv::test::Description;
using hv::test::domain;
using hv::test::flag;
using hv::test::raw;
using hv::test::str;

namespace {

struct Read {
  Bytes blob; // what the description's views point into: kept, at the same address, as long as they are
  bool ok;
  hv::DomainDescription description;
  std::string error;
};

/// Reads from a heap buffer of exactly the blob's size, so that ASan sees any read past it.
Read read(const Bytes& blob) {
  Read r{blob, false, {}, {}};
  hv::DescriptionError error;
  r.ok = hv::read_domain_description(r.blob.data(), r.blob.size(), r.description, error);
  r.error = error.message;
  return r;
}

std::string error_of(const Description& d) {
  const Read r = read(d.blob());
  return r.ok ? "(accepted)" : r.error;
}

std::string as_string(hv::StrView s) { return {s.data(), s.size()}; }

bool inside(const void* p, std::size_t n, const Bytes& blob) {
  const auto* b = static_cast<const std::uint8_t*>(p);
  return b >= blob.data() && b + n <= blob.data() + blob.size();
}

Bytes read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A file the build wrote next to the test (the example descriptions and their images).
Bytes loader_file(const std::string& name) { return read_file(std::string(HV_TEST_LOADER_DIR) + "/" + name); }

} // namespace

TEST_CASE("every property of a description is read, in node order") {
  Description d;
  d.root = {str("compatible", "hv,domains"), cell("hv,run-ms", 600)};
  d.domains = {
      domain("ping", {cell("hv,vcpus", 32), cell("hv,weight", 65535), cell("hv,cap", 100), flag("hv,privileged"),
                      cell("hv,grant-frames", 64), str("hv,cmdline", "peer=2 count=1000"), cell("hv,cpus", 0x6)}),
      domain("pong", {cell("hv,memory-kib", 4194304)}), domain("idle", {cell("hv,cap", 0)}), domain("victim", {})};
  d.domains[1].props.erase(d.domains[1].props.begin() + 2); // the 2048 KiB domain() put first
  const Bytes blob = d.blob();
  const Read r = read(blob);
  REQUIRE(r.ok);
  CHECK(r.error.empty());
  const hv::DomainDescription& out = r.description;
  CHECK(out.run_ms == 600);
  REQUIRE(out.count == 4);

  const hv::DomainSpec& ping = out.domains[0];
  CHECK(as_string(ping.name) == "ping");
  CHECK(ping.image_size == 40);
  CHECK(std::memcmp(ping.image, hv::test::pattern(40, 5).data(), 40) == 0);
  CHECK(ping.memory_bytes == 2048 * 1024);
  CHECK(ping.vcpus == 32);
  CHECK(ping.weight == 65535);
  CHECK(ping.cap == 100);
  CHECK(ping.privileged);
  CHECK(ping.grant_frames == 64);
  CHECK(ping.cpus == 0x6);
  CHECK(as_string(ping.command_line) == "peer=2 count=1000");
  CHECK(ping.command_line.data()[ping.command_line.size()] == '\0');

  CHECK(as_string(out.domains[1].name) == "pong");
  CHECK(out.domains[1].memory_bytes == 4ull << 30);
  CHECK_FALSE(out.domains[1].privileged);
  CHECK(out.domains[1].cpus == ~hv::u32{0}); // every CPU
}

TEST_CASE("what a description leaves out takes its default") {
  const Read r = read(Description{}.blob());
  REQUIRE(r.ok);
  CHECK(r.description.run_ms == 0);
  REQUIRE(r.description.count == 1);
  const hv::DomainSpec& s = r.description.domains[0];
  CHECK(s.vcpus == 1);
  CHECK(s.weight == 256);
  CHECK(s.cap == 0);
  CHECK_FALSE(s.privileged);
  CHECK(s.grant_frames == 32);
  CHECK(s.command_line.empty());
  REQUIRE(s.command_line.data() != nullptr);
  CHECK(s.command_line.data()[0] == '\0');
}

TEST_CASE("images and strings point into the blob; a misaligned blob is refused by name") {
  Description d;
  d.domains = {domain("a", {str("hv,cmdline", "x=1")}), domain("b")};
  const Read r = read(d.blob());
  REQUIRE(r.ok);
  for (std::size_t i = 0; i < r.description.count; ++i) {
    const hv::DomainSpec& s = r.description.domains[i];
    CHECK(inside(s.image, s.image_size, r.blob));
    CHECK(inside(s.name.data(), s.name.size() + 1, r.blob));
    if (!s.command_line.empty()) CHECK(inside(s.command_line.data(), s.command_line.size() + 1, r.blob));
  }
  CHECK(as_string(r.description.domains[0].command_line) == "x=1");

  alignas(8) std::uint8_t storage[4096];
  REQUIRE(r.blob.size() + 4 <= sizeof storage);
  std::memcpy(storage + 4, r.blob.data(), r.blob.size());
  hv::DomainDescription out;
  hv::DescriptionError error;
  CHECK_FALSE(hv::read_domain_description(storage + 4, r.blob.size(), out, error));
  const std::string message = error.message;
  CHECK(message.rfind("domain description: at 0x", 0) == 0);
  CHECK(message.find(", which is not 8-byte aligned") != std::string::npos);
}

TEST_CASE("every way a description can be wrong is named") {
  struct Case {
    std::string expected;
    Description d;
  };
  auto with_root = [](std::vector<hv::test::Prop> extra) {
    Description d;
    d.root.insert(d.root.end(), extra.begin(), extra.end());
    return d;
  };
  auto with_domains = [](std::vector<hv::test::Node> nodes) {
    Description d;
    d.domains = std::move(nodes);
    return d;
  };
  auto ping = [&](std::vector<hv::test::Prop> extra) { return with_domains({domain("ping", std::move(extra))}); };
  auto ping_bare = [&](std::vector<hv::test::Prop> props) { return with_domains({bare("ping", std::move(props))}); };
  const auto compatible = str("compatible", "hv,domain");
  const auto image = raw("hv,image", {1, 2, 3});
  Description no_domains_node;
  no_domains_node.has_domains_node = false;
  Description not_hv;
  not_hv.root = {str("compatible", "acme,board")};
  Description no_compatible;
  no_compatible.root = {};

  const std::string p = "domain description: /domains/ping: ";
  const std::vector<Case> cases = {
      {"domain description: / is not compatible with \"hv,domains\"", not_hv},
      {"domain description: / is not compatible with \"hv,domains\"", no_compatible},
      {"domain description: /: unknown property hv,run-s", with_root({cell("hv,run-s", 5)})},
      {"domain description: /: hv,run-ms is 8 bytes, not one 4-byte cell", with_root({raw("hv,run-ms", Bytes(8))})},
      {"domain description: /: hv,run-ms is 0 bytes, not one 4-byte cell", with_root({flag("hv,run-ms")})},
      // What a domain should do is a test's business, not the description's: the old expectations are refused.
      {"domain description: /: unknown property hv,scenario", with_root({str("hv,scenario", "ping-pong")})},
      {"domain description: /: unknown property hv,expect-shares", with_root({flag("hv,expect-shares")})},
      {"domain description: /: unknown property hv,time-limit-ms", with_root({cell("hv,time-limit-ms", 1)})},
      {"domain description: /: hv,run-ms appears twice", with_root({cell("hv,run-ms", 1), cell("hv,run-ms", 2)})},
      {"domain description: no /domains node", no_domains_node},
      {"domain description: /domains has no domain", with_domains({})},
      {"domain description: /domains/disk: not compatible with \"hv,domain\"",
       with_domains({domain("ping"), bare("disk", {str("compatible", "hv,disk"), image})})},
      {"domain description: /domains/ping: not compatible with \"hv,domain\"",
       ping_bare({image, cell("hv,memory-kib", 64)})},
      {p + "no hv,image", ping_bare({compatible, cell("hv,memory-kib", 64)})},
      {p + "hv,image is empty", ping_bare({compatible, flag("hv,image"), cell("hv,memory-kib", 64)})},
      {p + "no hv,memory-kib", ping_bare({compatible, image})},
      {p + "hv,memory-kib is 8 bytes, not one 4-byte cell",
       ping_bare({compatible, image, raw("hv,memory-kib", Bytes(8))})},
      {p + "hv,memory-kib 3 is not a multiple of 4", ping_bare({compatible, image, cell("hv,memory-kib", 3)})},
      {p + "hv,memory-kib 60 is out of range (64 .. 4194304)",
       ping_bare({compatible, image, cell("hv,memory-kib", 60)})},
      {p + "hv,memory-kib 4194308 is out of range (64 .. 4194304)",
       ping_bare({compatible, image, cell("hv,memory-kib", 4194308)})},
      {p + "hv,vcpus 0 is out of range (1 .. 32)", ping({cell("hv,vcpus", 0)})},
      {p + "hv,vcpus 33 is out of range (1 .. 32)", ping({cell("hv,vcpus", 33)})},
      {p + "hv,vcpus is 2 bytes, not one 4-byte cell", ping({raw("hv,vcpus", {0, 1})})},
      {p + "hv,weight 0 is out of range (1 .. 65535)", ping({cell("hv,weight", 0)})},
      {p + "hv,weight 65536 is out of range (1 .. 65535)", ping({cell("hv,weight", 65536)})},
      {p + "hv,cap 101 is out of range (0 .. 100)", ping({cell("hv,cap", 101)})},
      {p + "hv,cpus 0 is out of range (1 .. 4294967295)", ping({cell("hv,cpus", 0)})},
      {p + "hv,grant-frames 0 is out of range (1 .. 64)", ping({cell("hv,grant-frames", 0)})},
      {p + "hv,grant-frames 65 is out of range (1 .. 64)", ping({cell("hv,grant-frames", 65)})},
      {p + "hv,privileged is a flag, but has a 4-byte value", ping({cell("hv,privileged", 1)})},
      {p + "hv,cmdline is not one NUL-terminated string", ping({raw("hv,cmdline", {'a'})})},
      {p + "hv,cmdline is 1024 bytes, more than 1023", ping({str("hv,cmdline", std::string(1024, 'x'))})},
      {p + "unknown property hv,expect", ping({str("hv,expect", "poweroff")})},
      {p + "unknown property hv,vcpu", ping({cell("hv,vcpu", 2)})},
      {p + "hv,vcpus appears twice", ping({cell("hv,vcpus", 2), cell("hv,vcpus", 3)})},
      {p + "another domain has this name", with_domains({domain("ping"), domain("pong"), domain("ping")})},
      {"domain description: two privileged domains (/domains/a, /domains/c)",
       with_domains({domain("a", {flag("hv,privileged")}), domain("b"), domain("c", {flag("hv,privileged")})})},
      {"domain description: /domains/bad?name: no hv,image", with_domains({bare("bad\x1bname", {compatible})})},
  };
  for (const Case& c : cases) {
    INFO("expecting: " << c.expected);
    CHECK(error_of(c.d) == c.expected);
  }
}

TEST_CASE("up to 256 domains (as many as the hypervisor holds), not 257; 1023 bytes of command line, not 1024") {
  Description d;
  d.domains.clear();
  for (int i = 0; i < 256; ++i) d.domains.push_back(domain("d" + std::to_string(i)));
  d.domains[0].props.push_back(str("hv,cmdline", std::string(1023, 'c')));
  const Read r = read(d.blob());
  REQUIRE(r.ok);
  CHECK(r.description.count == 256);
  CHECK(as_string(r.description.domains[255].name) == "d255");
  CHECK(r.description.domains[0].command_line.size() == 1023);

  d.domains.push_back(domain("d256"));
  CHECK(error_of(d) == "domain description: more than 256 domains in /domains");
}

TEST_CASE("a blob that is not a sound device tree is rejected before it is read") {
  const Bytes good = Description{}.blob();
  hv::DomainDescription out;
  hv::DescriptionError error;

  CHECK_FALSE(hv::read_domain_description(nullptr, 100, out, error));
  CHECK(std::string(error.message) == "domain description: none was handed over");

  CHECK_FALSE(hv::read_domain_description(good.data(), 20, out, error));
  CHECK(std::string(error.message) == "domain description: truncated: 20 bytes, smaller than a header");

  Bytes bad_magic = good;
  bad_magic[0] ^= 0xff;
  CHECK(read(bad_magic).error == "domain description: not a device tree (FDT_ERR_BADMAGIC)");

  Bytes bad_version = good;
  hv::test::put(bad_version, 20, 4, 1, true); // version
  CHECK(read(bad_version).error == "domain description: bad header (FDT_ERR_BADVERSION)");

  Bytes old = good;
  hv::test::put(old, 20, 4, 15, true);
  hv::test::put(old, 24, 4, 15, true); // last_comp_version
  CHECK(read(old).error == "domain description: device tree version 15 is too old (16 or later)");

  const Bytes cut(good.begin(), good.end() - 8);
  CHECK(read(cut).error == "domain description: truncated: the header says " + std::to_string(good.size()) +
                               " bytes but only " + std::to_string(cut.size()) + " are there");

  Bytes shifted = good; // found by fuzz-domains: libfdt would read misaligned words from this
  hv::test::put(shifted, 8, 4, fdt_off_dt_struct(good.data()) + 1, true);
  CHECK(read(shifted).error == "domain description: malformed (the structure block at offset " +
                                   std::to_string(fdt_off_dt_struct(good.data()) + 1) + " is not 4-byte aligned)");

  // The root node's first tag made a property: the structure no longer nests.
  Bytes broken = good;
  const std::uint32_t struct_offset = fdt_off_dt_struct(good.data());
  hv::test::put(broken, struct_offset, 4, FDT_END_NODE, true);
  const std::string message = read(broken).error;
  CHECK(message.rfind("domain description: malformed (FDT_ERR_", 0) == 0);
}

TEST_CASE("the example descriptions compile with dtc, read, and carry loadable images") {
  const Bytes ping_elf = loader_file("ping.elf");
  const Bytes pong_elf = loader_file("pong.elf");

  const Bytes blob = loader_file("ping-pong.dtb");
  const Read r = read(blob);
  REQUIRE(r.ok);
  const hv::DomainDescription& d = r.description;
  REQUIRE(d.count == 2);
  CHECK(as_string(d.domains[0].name) == "ping");
  CHECK(Bytes(d.domains[0].image, d.domains[0].image + d.domains[0].image_size) == ping_elf);
  CHECK(d.domains[0].vcpus == 2);
  CHECK(d.domains[0].weight == 512);
  CHECK(d.domains[0].cap == 50);
  CHECK(d.domains[0].privileged);
  CHECK(as_string(d.domains[0].command_line) == "peer=1 count=1000");
  CHECK(Bytes(d.domains[1].image, d.domains[1].image + d.domains[1].image_size) == pong_elf);
  CHECK(d.domains[1].memory_bytes == 2048 * 1024);
  CHECK(as_string(d.domains[1].command_line) == "peer=0 port=1 count=1000");

  // Each image parses and fits the memory its domain is given.
  for (std::size_t i = 0; i < d.count; ++i) {
    hv::ElfImage image;
    const char* error = nullptr;
    REQUIRE(hv::parse_elf(d.domains[i].image, d.domains[i].image_size, image, error));
    CHECK(image.highest_paddr_end <= d.domains[i].memory_bytes);
    if (i == 0) CHECK(image.pvh_entry == 0x100010);
  }

  for (const char* name : {"minimal.dtb", "timed.dtb"}) {
    INFO(name);
    CHECK(read(loader_file(name)).ok);
  }
  const Read timed = read(loader_file("timed.dtb"));
  CHECK(timed.description.run_ms == 600);
  CHECK(timed.description.count == 3);
  CHECK(timed.description.domains[2].cap == 25);
  CHECK(timed.description.domains[2].command_line.empty());
}

TEST_CASE("boards/README.md shows the example description as it is tested") {
  const Bytes readme = read_file(std::string(HV_SOURCE_ROOT) + "/boards/README.md");
  const Bytes example = read_file(std::string(HV_SOURCE_ROOT) + "/tests/unit/loader/descriptions/ping-pong.dts");
  const std::string text(readme.begin(), readme.end());
  std::string shown(example.begin(), example.end());
  // Its license line is the file's, not part of the example.
  if (shown.starts_with("// SPDX-License-Identifier:")) shown.erase(0, shown.find('\n') + 1);
  CHECK(text.find(shown) != std::string::npos);
}

TEST_CASE("random corruption of a description never crashes the reader") {
  const Bytes original = loader_file("ping-pong.dtb");
  std::mt19937 rng(2026);
  int rejected = 0;
  for (int round = 0; round < 3000; ++round) {
    Bytes blob = original;
    const int flips = 1 + static_cast<int>(rng() % 8);
    // The images are most of the blob and any bytes are fine there: aim at the headers and the structure.
    const std::size_t span = std::min<std::size_t>(blob.size(), 400);
    for (int i = 0; i < flips; ++i) {
      std::size_t at = rng() % 2 == 0 ? rng() % span : rng() % blob.size();
      blob[at] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
    }
    const Read r = read(blob);
    if (!r.ok) {
      ++rejected;
      CHECK(r.error.rfind("domain description: ", 0) == 0);
    } else {
      CHECK(r.description.count >= 1);
    }
  }
  CHECK(rejected > 0);
}

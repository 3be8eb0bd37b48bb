// SPDX-License-Identifier: Apache-2.0
// hv/firmware_tree.hpp: what a port reads from its firmware's device tree besides the board.
#include <hv/board.hpp>
#include <hv/firmware_tree.hpp>

#include "support.hpp"

#include <catch2/catch_test_macros.hpp>

#include <cstring>
#include <functional>
#include <stdexcept>
#include <vector>

extern "C" {
#include <libfdt.h>
}

namespace {

void check(int rc) {
  if (rc != 0) throw std::runtime_error(fdt_strerror(rc));
}

/// A tree with a root whose children `fill` writes, in sequential-write order.
std::vector<unsigned char> tree(const std::function<void(void*)>& fill) {
  std::vector<unsigned char> buf(4096);
  void* fdt = buf.data();
  check(fdt_create(fdt, static_cast<int>(buf.size())));
  check(fdt_finish_reservemap(fdt));
  check(fdt_begin_node(fdt, ""));
  fill(fdt);
  check(fdt_end_node(fdt));
  check(fdt_finish(fdt));
  return buf;
}

void node(void* fdt, const char* name, const std::function<void()>& properties) {
  check(fdt_begin_node(fdt, name));
  properties();
  check(fdt_end_node(fdt));
}

} // namespace

TEST_CASE("timebase-frequency comes from the first CPU that has one, in one or two cells") {
  auto one_cell = tree([](void* fdt) {
    node(fdt, "cpus", [&] {
      node(fdt, "cpu@0", [] {});
      node(fdt, "cpu@1", [&] { check(fdt_property_u32(fdt, "timebase-frequency", 512'000'000)); });
    });
  });
  CHECK(hv::fdt::timebase_frequency(one_cell.data()) == 512'000'000);

  auto two_cells = tree([](void* fdt) {
    node(fdt, "cpus",
         [&] { node(fdt, "cpu@0", [&] { check(fdt_property_u64(fdt, "timebase-frequency", 5'000'000'000)); }); });
  });
  CHECK(hv::fdt::timebase_frequency(two_cells.data()) == 5'000'000'000);
}

TEST_CASE("timebase-frequency on /cpus itself serves every CPU") {
  auto on_cpus = tree([](void* fdt) {
    node(fdt, "cpus", [&] {
      check(fdt_property_u32(fdt, "timebase-frequency", 10'000'000));
      node(fdt, "cpu@0", [] {});
    });
  });
  CHECK(hv::fdt::timebase_frequency(on_cpus.data()) == 10'000'000);
}

TEST_CASE("timebase-frequency is 0 when no CPU says, or says it in a shape no one writes") {
  auto none = tree([](void* fdt) { node(fdt, "cpus", [&] { node(fdt, "cpu@0", [] {}); }); });
  CHECK(hv::fdt::timebase_frequency(none.data()) == 0);
  auto no_cpus = tree([](void*) {});
  CHECK(hv::fdt::timebase_frequency(no_cpus.data()) == 0);
  auto three_bytes = tree([](void* fdt) {
    node(fdt, "cpus", [&] { node(fdt, "cpu@0", [&] { check(fdt_property(fdt, "timebase-frequency", "abc", 3)); }); });
  });
  CHECK(hv::fdt::timebase_frequency(three_bytes.data()) == 0);
  const unsigned char garbage[64] = {1, 2, 3};
  CHECK(hv::fdt::timebase_frequency(garbage) == 0);
}

TEST_CASE("the CPUs' threads: each CPU node's interrupt servers, else its reg, skipping what is not an okay CPU") {
  auto blob = tree([](void* fdt) {
    node(fdt, "cpus", [&] {
      node(fdt, "cpu@4", [&] {
        check(fdt_property_string(fdt, "device_type", "cpu"));
        const fdt32_t servers[] = {cpu_to_fdt32(4), cpu_to_fdt32(5)};
        check(fdt_property(fdt, "ibm,ppc-interrupt-server#s", servers, sizeof servers));
        check(fdt_property_u32(fdt, "reg", 4));
      });
      node(fdt, "cpu@8", [&] {
        check(fdt_property_string(fdt, "device_type", "cpu"));
        check(fdt_property_u32(fdt, "reg", 8));
      });
      node(fdt, "cpu@c", [&] {
        check(fdt_property_string(fdt, "device_type", "cpu"));
        check(fdt_property_string(fdt, "status", "disabled"));
        check(fdt_property_u32(fdt, "reg", 12));
      });
      node(fdt, "l2-cache@20", [&] {
        check(fdt_property_string(fdt, "device_type", "cache"));
        check(fdt_property_u32(fdt, "reg", 32));
      });
      node(fdt, "cpu@10", [&] {
        check(fdt_property_string(fdt, "device_type", "cpu"));
        check(fdt_property_string(fdt, "status", "okay"));
        check(fdt_property(fdt, "reg", "\0\0\0", 3)); // not whole cells: ignored
      });
    });
  });
  hv::u32 threads[8] = {};
  REQUIRE(hv::fdt::cpu_threads(blob.data(), threads, 8) == 3);
  CHECK((threads[0] == 4 && threads[1] == 5 && threads[2] == 8));
  CHECK(hv::fdt::cpu_threads(blob.data(), threads, 2) == 2);
  auto no_cpus = tree([](void* fdt) { node(fdt, "memory@0", [] {}); });
  CHECK(hv::fdt::cpu_threads(no_cpus.data(), threads, 8) == 0);
}

TEST_CASE("bootargs is /chosen/bootargs, and \"\" when absent or not terminated inside the tree") {
  auto with =
      tree([](void* fdt) { node(fdt, "chosen", [&] { check(fdt_property_string(fdt, "bootargs", "idle=1")); }); });
  CHECK(std::strcmp(hv::fdt::bootargs(with.data()), "idle=1") == 0);
  auto without = tree([](void* fdt) { node(fdt, "chosen", [] {}); });
  CHECK(std::strcmp(hv::fdt::bootargs(without.data()), "") == 0);
  auto unterminated =
      tree([](void* fdt) { node(fdt, "chosen", [&] { check(fdt_property(fdt, "bootargs", "idle", 4)); }); });
  CHECK(std::strcmp(hv::fdt::bootargs(unterminated.data()), "") == 0);
  auto no_chosen = tree([](void*) {});
  CHECK(std::strcmp(hv::fdt::bootargs(no_chosen.data()), "") == 0);
}

TEST_CASE("the boot module is /chosen linux,initrd-start..end in cells of either size") {
  auto one_cell = tree([](void* fdt) {
    node(fdt, "chosen", [&] {
      check(fdt_property_u32(fdt, "linux,initrd-start", 0x1000'0000));
      check(fdt_property_u32(fdt, "linux,initrd-end", 0x1000'2000));
    });
  });
  const hv::MemoryRange a = hv::fdt::initrd(one_cell.data());
  CHECK(a.base == 0x1000'0000);
  CHECK(a.size == 0x2000);

  auto mixed = tree([](void* fdt) {
    node(fdt, "chosen", [&] {
      check(fdt_property_u64(fdt, "linux,initrd-start", 0x1'0000'0000));
      check(fdt_property_u32(fdt, "linux,initrd-end", 0x1000));
    });
  });
  CHECK(hv::fdt::initrd(mixed.data()).size == 0); // ends before it starts

  auto two_cells = tree([](void* fdt) {
    node(fdt, "chosen", [&] {
      check(fdt_property_u64(fdt, "linux,initrd-start", 0x1'0000'0000));
      check(fdt_property_u64(fdt, "linux,initrd-end", 0x1'0000'0100));
    });
  });
  CHECK(hv::fdt::initrd(two_cells.data()).base == 0x1'0000'0000);
  CHECK(hv::fdt::initrd(two_cells.data()).size == 0x100);
}

TEST_CASE("no boot module when either end is missing") {
  auto start_only =
      tree([](void* fdt) { node(fdt, "chosen", [&] { check(fdt_property_u32(fdt, "linux,initrd-start", 0x1000)); }); });
  CHECK(hv::fdt::initrd(start_only.data()).size == 0);
  CHECK(hv::fdt::initrd(start_only.data()).base == 0);
}

TEST_CASE("the PC board with the firmware's facts: its RAM, reservations and name, the rest as the board says") {
  const auto board = hv::test::board_blob("qemu-pc");
  // QEMU -m 8G: RAM below the PCI hole and above 4 GiB, the first MiB firmware's.
  const hv::MemoryRange ram[] = {{0, 0x9fc00}, {0x100000, 0xbfee0000}, {0x100000000, 0x140000000}};
  const hv::MemoryRange reserved[] = {{0, 0x100000}};
  alignas(8) unsigned char out[8192];
  REQUIRE(hv::fdt::with_firmware_facts(board.data(), {ram, 3, reserved, 1, nullptr}, out, sizeof out));

  hv::Board read;
  hv::BoardError error;
  REQUIRE(hv::read_board(out, sizeof out, read, error));
  REQUIRE(read.memory_count == 3);
  for (int i = 0; i < 3; ++i) {
    CHECK(read.memory[i].base == ram[i].base);
    CHECK(read.memory[i].size == ram[i].size);
  }
  CHECK(read.total_memory() >> 20 == 8191);
  REQUIRE(read.reserved_count == 1); // the board's top MiB of 256 MiB is gone
  CHECK(read.reserved[0].base == 0);
  CHECK(read.reserved[0].size == 0x100000);
  CHECK(read.model == hv::StrView("QEMU PC"));
  CHECK(read.cpu_count == 1);
  CHECK(std::strcmp(hv::fdt::bootargs(out), "") == 0);

  // 64 MiB in one range: nothing of the board's 256 MiB is left.
  const hv::MemoryRange small[] = {{0, 0x3fe0000}};
  // QEMU -M q35: the firmware's name for the machine replaces the board's.
  const char* q35 = "QEMU Standard PC (Q35 + ICH9, 2009)";
  REQUIRE(hv::fdt::with_firmware_facts(board.data(), {small, 1, reserved, 1, q35}, out, sizeof out));
  REQUIRE(hv::read_board(out, sizeof out, read, error));
  REQUIRE(read.memory_count == 1);
  CHECK(read.total_memory() == 0x3fe0000);
  CHECK(read.model == hv::StrView(q35));
}

TEST_CASE("the PC board with the firmware's CPUs: one node a CPU, in its order, like the board's own") {
  const auto board = hv::test::board_blob("qemu-pc");
  const hv::MemoryRange ram[] = {{0x100000, 0x1000000}};
  const hv::u32 ids[] = {0, 1, 2, 0x1f};
  alignas(8) unsigned char out[8192];
  hv::fdt::FirmwareFacts facts{ram, 1, nullptr, 0, nullptr};
  facts.cpu_ids = ids;
  facts.cpu_count = 4;
  REQUIRE(hv::fdt::with_firmware_facts(board.data(), facts, out, sizeof out));
  hv::Board read;
  hv::BoardError error;
  REQUIRE(hv::read_board(out, sizeof out, read, error));
  CHECK(read.cpu_count == 4);
  hv::u32 threads[8] = {};
  REQUIRE(hv::fdt::cpu_threads(out, threads, 8) == 4);
  CHECK((threads[0] == 0 && threads[1] == 1 && threads[2] == 2 && threads[3] == 0x1f));
  const int last = fdt_path_offset(out, "/cpus/cpu@1f");
  REQUIRE(last >= 0);
  CHECK(std::strcmp(static_cast<const char*>(fdt_getprop(out, last, "compatible", nullptr)), "amd,svm-capable-x86") ==
        0);
  CHECK(fdt_path_offset(out, "/memory@100000") >= 0);
}

TEST_CASE("a board too large for the buffer, or no RAM at all, is not written") {
  const auto board = hv::test::board_blob("qemu-pc");
  const hv::MemoryRange ram[] = {{0x100000, 0x1000000}};
  alignas(8) unsigned char out[8192];
  CHECK_FALSE(hv::fdt::with_firmware_facts(board.data(), {ram, 1, nullptr, 0, nullptr}, out, 256));
  CHECK_FALSE(hv::fdt::with_firmware_facts(board.data(), {ram, 0, nullptr, 0, nullptr}, out, sizeof out));
  std::vector<unsigned char> broken = board;
  broken[0] ^= 0xff;
  CHECK_FALSE(hv::fdt::with_firmware_facts(broken.data(), {ram, 1, nullptr, 0, nullptr}, out, sizeof out));
}

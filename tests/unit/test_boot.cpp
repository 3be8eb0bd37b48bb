// SPDX-License-Identifier: Apache-2.0
// The whole common boot flow, run on the host port's simulated machine (the host build has probes).
#include "boot_run.hpp"

#include <hv/cpus.hpp>

#include <catch2/catch_test_macros.hpp>

#include <string>

namespace {
hv::test::BootRun boot(const std::vector<unsigned char>& blob, const char* command_line) {
  return hv::test::boot_host(blob, command_line);
}
using hv::test::contains;
} // namespace

TEST_CASE("the boot reads the board, proves paging, traps and the timer, and stops with nothing to run") {
  auto run = boot(hv::test::board_blob("host-test"), "");
  INFO(run.console);
  CHECK(run.status == hv::ExitStatus::success);
  CHECK(contains(run.console, "hv: host hypervisor starting"));
  CHECK(contains(run.console, "board: host test machine (hv,host-test), 2 CPU(s), 16 MiB of RAM"));
  CHECK(contains(run.console, "memory: 0x000080000000-0x000080ffffff (16384 KiB)"));
  CHECK(contains(run.console, "paging: own tables live"));
  CHECK(contains(run.console, "trap: breakpoint at pc 0x"));
  CHECK(contains(run.console, "timer: 5 interrupts at 10000 Hz in 500 us"));
  CHECK(contains(run.console, "hv: 1 CPU(s) online (1 listed by the firmware)\n"));
  CHECK(contains(run.console, "hv: machine stops (no domain description was handed over), status success\n"));
  CHECK_FALSE(contains(run.console, "VERDICT"));
}

TEST_CASE("a CPU the port does not run on is named and refused before the board is read") {
  auto run = hv::test::boot_host(hv::test::board_blob("host-test"), "", {}, "POWER8 (PVR 0x004d0200)");
  CHECK(run.status == hv::ExitStatus::failure);
  CHECK(
      contains(run.console, "hv: host hypervisor starting\nhv: this CPU is not supported: POWER8 (PVR 0x004d0200)\n"));
  CHECK(contains(run.console, "hv: machine stops (a CPU the port does not run on), status failure"));
  CHECK_FALSE(contains(run.console, "board:"));
}

TEST_CASE("an unknown command-line option stops the machine and names it") {
  auto run = boot(hv::test::board_blob("host-test"), "bench=1 no-such-thing=2");
  CHECK(run.status == hv::ExitStatus::failure);
  CHECK(contains(run.console, "hv: unknown option 'no-such-thing' on the command line"));
  CHECK(contains(run.console, "hv: machine stops (an unknown command-line option), status failure"));
  CHECK_FALSE(contains(run.console, "paging:"));
}

TEST_CASE("cpus= takes a number of CPUs from 1 to the most common code keeps track of") {
  CHECK(hv::cpu_limit("") == hv::max_cpus);
  CHECK(hv::cpu_limit("idle=1 cpus=2") == 2);
  CHECK(hv::cpu_limit("cpus=64") == 64);
  for (const char* bad : {"cpus=0", "cpus=65", "cpus=two", "cpus=", "cpus=2x", "cpus=99999999999"}) {
    INFO(bad);
    CHECK(hv::cpu_limit(bad) == 0);
    auto run = boot(hv::test::board_blob("host-test"), bad);
    CHECK(run.status == hv::ExitStatus::failure);
    CHECK(contains(run.console, "hv: cpus= takes a number of CPUs from 1 to 64"));
    CHECK_FALSE(contains(run.console, "paging:"));
  }
  auto run = boot(hv::test::board_blob("host-test"), "cpus=1");
  CHECK(run.status == hv::ExitStatus::success);
  CHECK(contains(run.console, "hv: 1 CPU(s) online (1 listed by the firmware)\n"));
}

TEST_CASE("the boot CPU goes first in the firmware's list, the others keeping their order") {
  hv::u32 ids[] = {0, 8, 4, 12};
  CHECK(hv::put_boot_cpu_first(ids, 4, 4));
  CHECK((ids[0] == 4 && ids[1] == 0 && ids[2] == 8 && ids[3] == 12));
  CHECK(hv::put_boot_cpu_first(ids, 4, 4));
  CHECK((ids[0] == 4 && ids[1] == 0));
  CHECK_FALSE(hv::put_boot_cpu_first(ids, 4, 7));
  CHECK((ids[0] == 4 && ids[1] == 0 && ids[2] == 8 && ids[3] == 12));
}

TEST_CASE("a corrupted board stops the boot with a message naming the problem") {
  auto blob = hv::test::board_blob("host-test");
  blob[1] = 0;
  auto run = boot(blob, "");
  CHECK(run.status == hv::ExitStatus::failure);
  CHECK(contains(run.console, "hv: device tree: bad header: FDT_ERR_BADMAGIC"));
  CHECK(contains(run.console, "hv: machine stops (the board's device tree is refused), status failure"));
  CHECK_FALSE(contains(run.console, "paging:"));
}

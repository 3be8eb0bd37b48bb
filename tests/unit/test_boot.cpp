// The whole common boot flow, run on the host port's simulated machine.
#include <hv/boot_state.hpp>

#include <port.hpp>

#include "support.hpp"

#include <catch2/catch_test_macros.hpp>

#include <string>

namespace {
struct Run {
  hv::ExitStatus status;
  std::string console;
};

Run boot(const std::vector<unsigned char>& blob, const char* command_line) {
  hv::host::reset_machine(0x80000000, 16u << 20, blob.data(), command_line);
  try {
    hv::boot_main();
  } catch (const hv::host::MachineExit& exit) {
    return {exit.status, hv::host::console_output()};
  }
  FAIL("boot_main returned");
  return {};
}

bool contains(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }
} // namespace

TEST_CASE("the boot reads the board, proves paging, traps and the timer, and passes") {
  auto run = boot(hv::test::board_blob("host-test"), "scenario=boot");
  INFO(run.console);
  CHECK(run.status == hv::ExitStatus::success);
  CHECK(contains(run.console, "hv: host hypervisor starting"));
  CHECK(contains(run.console, "board: host test machine (hv,host-test), 2 CPU(s), 16 MiB of RAM"));
  CHECK(contains(run.console, "memory: 0x000080000000-0x000080ffffff (16384 KiB)"));
  CHECK(contains(run.console, "paging: own tables live"));
  CHECK(contains(run.console, "trap: breakpoint at pc 0x"));
  CHECK(contains(run.console, "timer: 5 interrupts at 10000 Hz in 500 us"));
  CHECK(contains(run.console, "HV-VERDICT: PASS boot\n"));
}

TEST_CASE("with no scenario on the command line the boot scenario runs") {
  auto run = boot(hv::test::board_blob("host-test"), "");
  CHECK(run.status == hv::ExitStatus::success);
  CHECK(contains(run.console, "HV-VERDICT: PASS boot"));
}

TEST_CASE("an unknown scenario fails the run and names it") {
  auto run = boot(hv::test::board_blob("host-test"), "console=x scenario=no-such-thing");
  CHECK(run.status == hv::ExitStatus::failure);
  CHECK(contains(run.console, "hv: unknown scenario 'no-such-thing'"));
  CHECK(contains(run.console, "HV-VERDICT: FAIL unknown scenario"));
}

TEST_CASE("a corrupted board stops the boot with a message naming the problem") {
  auto blob = hv::test::board_blob("host-test");
  blob[1] = 0;
  auto run = boot(blob, "");
  CHECK(run.status == hv::ExitStatus::failure);
  CHECK(contains(run.console, "HV-VERDICT: FAIL device tree: bad header: FDT_ERR_BADMAGIC"));
  CHECK_FALSE(contains(run.console, "paging:"));
}

TEST_CASE("guest-hello on a port without a virtualization backend fails by name") {
  auto run = boot(hv::test::board_blob("host-test"), "scenario=guest-hello");
  CHECK(run.status == hv::ExitStatus::failure);
  CHECK(contains(run.console, "hv: host has no hardware virtualization backend"));
  CHECK(contains(run.console, "HV-VERDICT: FAIL guest-hello: no virtualization backend on this port"));
}

TEST_CASE("the boot scenario ignores options it does not know") {
  auto run = boot(hv::test::board_blob("host-test"), "bench=1 scenario=boot");
  CHECK(run.status == hv::ExitStatus::success);
  CHECK(contains(run.console, "HV-VERDICT: PASS boot"));
}

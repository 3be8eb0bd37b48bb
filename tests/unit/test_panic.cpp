// SPDX-License-Identifier: Apache-2.0
#include <hv/panic.hpp>

#include <port.hpp>

#include <catch2/catch_test_macros.hpp>

#include <string>

namespace {
std::string run_and_capture(void (*body)()) {
  hv::host::reset_machine(0x80000000, 1u << 20, nullptr, "");
  try {
    body();
  } catch (const hv::host::MachineExit& exit) {
    CHECK(exit.status == hv::ExitStatus::failure);
    return hv::host::console_output();
  }
  FAIL("the run did not end");
  return {};
}
} // namespace

TEST_CASE("panic names the file and line of its caller and fails the run") {
  const int line = __LINE__ + 1;
  std::string out = run_and_capture([] { hv::panic("frame {:#x} freed twice", 0x2000u); });
  CHECK(out.find("hv: PANIC at " __FILE__ ":" + std::to_string(line) + ": frame 0x2000 freed twice\n") !=
        std::string::npos);
  CHECK(out.find("hv: machine stops (panic), status failure\n") != std::string::npos);
}

TEST_CASE("check passes silently and panics with its condition's description") {
  hv::host::reset_machine(0x80000000, 1u << 20, nullptr, "");
  hv::check(true, "never printed");
  CHECK(std::string(hv::host::console_output()).empty());

  const int line = __LINE__ + 1;
  std::string out = run_and_capture([] { hv::check(1 + 1 == 3, "arithmetic holds"); });
  CHECK(out.find(":" + std::to_string(line) + ": check failed: arithmetic holds\n") != std::string::npos);
}

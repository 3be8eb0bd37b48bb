// The end of a run, as the boot runner reads it: one verdict line and the machine's exit status.
//
//   HV-VERDICT: PASS <scenario>
//   HV-VERDICT: FAIL <reason>
//
// The runner (tests/boot/run) passes a scenario only when it saw the PASS line, every line the scenario
// expects, and QEMU's success status. Nothing prints after the verdict.
#pragma once

#include <hv/string.hpp>

namespace hv {

[[noreturn]] void pass_run(StrView scenario);
[[noreturn]] void fail_run(StrView reason);

} // namespace hv

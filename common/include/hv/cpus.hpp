// SPDX-License-Identifier: Apache-2.0
// Starting the CPUs the firmware lists beside the boot CPU (contract/machine.hpp: Machine::cpu_count,
// Machine::start_cpu, hv::secondary_main), and handing them work: they idle until the boot CPU gives
// them some (the run time's run loop, docs/smp.md).
#pragma once

#include <contract/types.hpp>
#include <hv/string.hpp>

namespace hv {

/// The CPU limit the command line's `cpus=N` sets: N from 1 to max_cpus, max_cpus when the option is
/// absent, 0 when its value is not such a number.
u32 cpu_limit(StrView command_line);

/// For a port's Machine::cpu_count: moves `boot` (the boot CPU's hardware ID) to the front of the
/// firmware's list `ids`, keeping the others' order. False, with `ids` unchanged, when the list does not
/// hold it: a list that misses the CPU reading it is not to be trusted for the others either.
bool put_boot_cpu_first(u32* ids, u32 count, u32 boot);

/// Starts CPUs 1 .. min(Machine::cpu_count(), limit) - 1 one at a time, stacks from `frames`, printing
/// one fact line each (`cpu N: online (hardware ID 0xH)` or `cpu N: did not start ...`) and then
/// `hv: N CPU(s) online`. Returns how many CPUs are online, the boot CPU included.
u32 start_cpus(FrameSource& frames, u32 limit);

/// How many CPUs are online (start_cpus' count; 1 before it ran).
u32 cpus_online();

/// Work for the secondaries: `run(context, index)` on each, from its idle loop, interrupts masked.
struct SecondaryWork {
  void (*run)(void* context, u32 index) = nullptr;
  void* context = nullptr;
};

/// Boot CPU: hands `work` to every online secondary (an IPI ends its idle wait) and returns at once.
/// Work is handed one piece at a time: call wait_for_secondaries() before the next.
void hand_to_secondaries(SecondaryWork work);
/// Boot CPU: waits until every online secondary has returned from the work handed to it last.
void wait_for_secondaries();

} // namespace hv

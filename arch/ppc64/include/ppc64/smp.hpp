// SPDX-License-Identifier: Apache-2.0
// The other hardware threads of a powernv machine: the ones skiboot's device tree lists, started with
// OPAL_START_CPU (token 41: the thread's interrupt server number and a real-mode start address, which
// the thread enters as the boot thread entered the payload: big-endian, MMU off, hypervisor mode). The
// Machine contract's CPU functions (smp.cpp) and what each started thread sets up on itself; docs/smp.md
// has the sequence.
#pragma once

#include <contract/types.hpp>

namespace hv::ppc64 {

/// The index common code gave the thread this runs on (0 for the boot thread), from its area
/// (thread_area.hpp): per-CPU state (the timer's deadlines, the interrupt count) is kept by it.
u32 cpu_index();

/// Rings thread `server`'s directed hypervisor doorbell (msgsnd with message type 5 and the thread's PIR;
/// Power ISA 3.0, "Message Send"): the thread takes interrupt 0xe80. Preceded by a sync, so that the
/// caller's stores are seen by it first. The ISA scopes it to the sending thread's core; QEMU's powernv
/// delivers it to any thread, which is what the boot matrix runs (docs/smp.md).
void ring_doorbell(u32 server);
/// This thread's own doorbell again: an exit that took it leaves it pending for the hypervisor.
void ring_own_doorbell();

/// On a started thread (paging.cpp): the hypervisor's own radix translation, as Paging::init set it up
/// on the boot thread (PTCR, LPIDR, PIDR, LPCR[HR|UPRT], MSR[IR|DR]).
void use_hypervisor_translation();
/// On a started thread (traps.cpp): the decrementer parked and LPCR[AIL]=3, as Traps::init did on the
/// boot thread (whose OPAL_REINIT_CPUS set the interrupts' byte order on every thread).
void prepare_traps();

} // namespace hv::ppc64

extern "C" {
/// Where ppc64_secondary_entry (entry.S) takes the started thread's stack from.
extern hv::u64 ppc64_secondary_stack;
/// entry.S's entry for started threads (a code address, not a function descriptor).
extern const char ppc64_secondary_entry[];
/// Called by ppc64_secondary_entry, in the image's byte order, on its own stack. Never returns.
[[noreturn]] void ppc64_secondary_start();
}

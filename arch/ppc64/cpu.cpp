// SPDX-License-Identifier: Apache-2.0
// Interrupt masking, idling and the cycle counter.
#include <port.hpp>

#include <hv/format.hpp>

#include <ppc64/registers.hpp>
#include <ppc64/smp.hpp>
#include <ppc64/trap_backend.hpp>

namespace hv::port {
namespace {

/// mtmsrd with L=1 changes only EE and RI: nothing else of the MSR can be disturbed.
void write_msr_ee(u64 msr) { asm volatile("mtmsrd %0, 1" : : "r"(msr) : "memory"); }

/// stop with PSSCR = 0: the lightest state (level 0) with EC=0 and ESL=0, in which any pending
/// exception ends the stop, even one MSR[EE] masks, and execution goes on with the next instruction.
void stop_until_exception() {
  ppc64::write_spr<ppc64::spr::psscr>(0);
  asm volatile("stop" : : : "memory");
}

// PVR bits 0:15, the processor version.
struct KnownCpu {
  u32 version;
  const char* name;
};
constexpr u32 power9 = 0x004e;
constexpr KnownCpu known_cpus[] = {
    {0x004b, "POWER8E"}, {0x004c, "POWER8NVL"}, {0x004d, "POWER8"}, {power9, "POWER9"}, {0x0080, "POWER10"},
};

} // namespace

// POWER9 alone: POWER8 has no radix translation, for the hypervisor's own tables or for partitions, and
// POWER10 adds registers a partition can set and another could read (DEXCR, HASHKEYR, the MMA
// accumulators) that the backend does not switch; both stopped the machine with a checkstop and no word.
bool Cpu::supported(const char*& reason) {
  const u64 pvr = ppc64::read_spr<ppc64::spr::pvr>();
  const u32 version = static_cast<u32>(pvr >> 16) & 0xffff;
  if (version == power9) return true;
  const char* model = "an unknown CPU";
  for (const KnownCpu& cpu : known_cpus)
    if (cpu.version == version) model = cpu.name;
  static char text[96];
  format_to(text, "{} (PVR {:#010x}); {} runs on POWER9", model, pvr, Cpu::name);
  reason = text;
  return false;
}

// The PIR looked up among the listed threads (ppc64/smp.hpp): a few compares on the machines we run.
u32 Cpu::index() { return ppc64::cpu_index(); }

void Cpu::interrupts_disable() { write_msr_ee(ppc64::read_msr() & ~ppc64::msr::ee); }

void Cpu::interrupts_enable() { write_msr_ee(ppc64::read_msr() | ppc64::msr::ee); }

void Cpu::wait_for_interrupt() {
  // Check with interrupts masked, stop still masked (a pending interrupt wakes the stop without being
  // taken), then unmask so it is taken: an interrupt that arrives after the check is never slept through.
  interrupts_disable();
  const u64 before = ppc64::interrupts_handled();
  while (ppc64::interrupts_handled() == before) {
    stop_until_exception();
    interrupts_enable();
    interrupts_disable();
  }
  interrupts_enable();
}

// Once an mtmsrd has set MSR[EE], a pending external or hypervisor decrementer interrupt is taken before
// the next instruction.
void Cpu::take_pending_interrupts() {
  interrupts_enable();
  interrupts_disable();
}

u64 Cpu::cycles() { return ppc64::read_timebase(); }

void Cpu::halt_forever() {
  interrupts_disable();
  for (;;) stop_until_exception();
}

} // namespace hv::port

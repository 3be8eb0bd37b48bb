// SPDX-License-Identifier: Apache-2.0
// local_apic: the x2APIC a PC kernel finds, programmed as such a kernel would: its timer in one-shot,
// periodic and TSC-deadline modes interrupting the guest (halted or running), a masked timer staying
// quiet, self IPIs held off by the task priority, each interrupt in service until its EOI. The timer
// counts on the TSC (over the divide configuration), so expiries are checked in TSC ticks; lateness is
// bounded in system time. Each check that fails crashes the guest, naming it.
#include "../../lib/guest.hpp"

namespace guest {
namespace {

constexpr u32 msr_apic_base = 0x1b, msr_tsc_deadline = 0x6e0;
constexpr u32 apic_tpr = 0x808, apic_eoi = 0x80b, apic_svr = 0x80f, apic_isr = 0x810, apic_lvt_timer = 0x832;
constexpr u32 apic_initial = 0x838, apic_current = 0x839, apic_divide = 0x83e, apic_self_ipi = 0x83f;
constexpr u32 timer_vector = 0x40, ipi_vector = 0x41;
constexpr u32 lvt_masked = 1u << 16, lvt_periodic = 1u << 17, lvt_tsc_deadline = 2u << 17;
constexpr u64 ms = 1'000'000;
// A tick, and what a loaded host costs QEMU under TCG, where the TSC is the host's: 25 ms failed one
// run in eight on a 2-core machine building beside it. The scale of the count is the unit tests' to check.
constexpr u64 late_limit = 250 * ms;

u64 rdmsr(u32 msr) {
  u32 low, high;
  asm volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
  return u64{high} << 32 | low;
}
void wrmsr(u32 msr, u64 value) {
  asm volatile("wrmsr" : : "c"(msr), "a"(static_cast<u32>(value)), "d"(static_cast<u32>(value >> 32)) : "memory");
}

volatile u32 timer_interrupts = 0, ipi_interrupts = 0;
volatile u64 timer_taken_at = 0;   // the TSC in the timer's handler
volatile u32 timer_in_service = 0; // its ISR bit, as the handler saw it

struct InterruptFrame;
[[gnu::interrupt]] void on_timer(InterruptFrame*) {
  timer_taken_at = arch::timestamp();
  timer_in_service = static_cast<u32>(rdmsr(apic_isr + timer_vector / 32) >> (timer_vector % 32) & 1);
  timer_interrupts = timer_interrupts + 1;
  wrmsr(apic_eoi, 0);
}
[[gnu::interrupt]] void on_ipi(InterruptFrame*) {
  ipi_interrupts = ipi_interrupts + 1;
  wrmsr(apic_eoi, 0);
}

// An interrupt gate in the IDT the start code loaded, for this code segment.
void install(u32 vector, void (*handler)(InterruptFrame*)) {
  struct [[gnu::packed]] {
    u16 limit;
    u32 base;
  } idt;
  u16 cs;
  asm volatile("sidt %0; mov %%cs, %1" : "=m"(idt), "=r"(cs));
  const auto at = static_cast<u32>(reinterpret_cast<ulong>(handler));
  auto* gate = reinterpret_cast<volatile u32*>(static_cast<ulong>(idt.base) + vector * 8);
  gate[0] = (at & 0xffff) | u32{cs} << 16;
  gate[1] = (at & 0xffff'0000) | 0x8e00; // present, ring 0, 32-bit interrupt gate
}

void wait_for_timer(u32 count) {
  while (timer_interrupts < count) asm volatile("sti; hlt; cli" : : : "memory");
}

// 64-bit division by shift and subtract: a 32-bit guest has no libgcc to do it.
u64 divide(u64 n, u64 d) {
  u64 q = 0, r = 0;
  for (int bit = 63; bit >= 0; --bit) {
    r = r << 1 | (n >> bit & 1);
    if (r >= d) {
      r -= d;
      q |= u64{1} << bit;
    }
  }
  return q;
}

// TSC ticks per millisecond, as the PV clock states the rate (as the family's guests take it): ns =
// ((ticks << shift) * mul) >> 32, so a millisecond is (1e6 << 32) / mul ticks, shifted back. Measured
// against system time over 5 ms instead, on a loaded host it read 1-2% low, and the periodic timer's ten
// periods then came a little short of 10 ms.
u64 tsc_per_ms() {
  u32 mul = 0;
  int shift = 0;
  pv_clock_scale(mul, shift);
  const u64 ticks = divide(ms << 32, mul);
  return shift >= 0 ? ticks >> shift : ticks << -shift;
}

// The same rate measured against system time over 5 ms, printed beside it.
u64 measured_tsc_per_ms() {
  const u64 t0 = system_time(), c0 = arch::timestamp();
  while (system_time() < t0 + 5 * ms) {
  }
  const u64 t1 = system_time(), c1 = arch::timestamp();
  return divide((c1 - c0) * ms, t1 - t0);
}

void check_on_time(const char* what, u64 due_tsc, u64 started_ns, u64 wanted_ns) {
  if (timer_taken_at < due_tsc) fail(what, static_cast<i64>(timer_taken_at), static_cast<i64>(due_tsc));
  const u64 took = system_time() - started_ns;
  if (took > wanted_ns + late_limit) fail(what, static_cast<i64>(took), static_cast<i64>(wanted_ns));
}

} // namespace

void guest_main() {
  events_init(); // for system_time()
  const u64 base = rdmsr(msr_apic_base);
  expect("APIC_BASE: enabled in x2APIC mode", base >> 10 & 3, 3);
  u32 r[4];
  asm volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(1), "c"(0));
  expect("CPUID: TSC-deadline timer offered", r[2] >> 24 & 1, 1);
  install(timer_vector, on_timer);
  install(ipi_vector, on_ipi);
  wrmsr(apic_svr, 0x1ff); // software-enabled, spurious vector 0xff
  const u64 per_ms = tsc_per_ms();
  Line() << "local-apic: x2APIC enabled, TSC at " << divide(per_ms, 1000) << " MHz ("
         << divide(measured_tsc_per_ms(), 1000) << " MHz measured against system time)";

  // One-shot, divided by 16, 3 ms: the guest halts until it fires.
  wrmsr(apic_divide, 3);
  wrmsr(apic_lvt_timer, timer_vector);
  const u64 count = 3 * per_ms >> 4;
  u64 started = system_time();
  const u64 armed = arch::timestamp();
  wrmsr(apic_initial, count);
  // Counting down (a host that stalled QEMU for 3 ms in between may even find it run out: 0).
  const u64 left = rdmsr(apic_current);
  if (left > count) fail("one-shot: current count just after arming", static_cast<i64>(left), static_cast<i64>(count));
  wait_for_timer(1);
  check_on_time("one-shot: fired at TSC, due", armed + count * 16, started, 3 * ms);
  expect("one-shot: in service in its handler", timer_in_service, 1);
  expect("one-shot: ended by EOI", rdmsr(apic_isr + timer_vector / 32) >> (timer_vector % 32) & 1, 0);
  expect("one-shot: current count after it fired", static_cast<i64>(rdmsr(apic_current)), 0);
  Line() << "local-apic: one-shot timer fired after 3 ms";

  // Periodic, 1 ms, 10 interrupts while the guest spins with interrupts on; then stopped.
  wrmsr(apic_divide, 0xb); // divide by 1
  wrmsr(apic_lvt_timer, timer_vector | lvt_periodic);
  started = system_time();
  wrmsr(apic_initial, per_ms);
  asm volatile("sti");
  while (timer_interrupts < 11) {
  }
  asm volatile("cli");
  const u64 ten = system_time() - started;
  if (ten < 10 * ms) fail("periodic: 10 interrupts came too soon, after ns", static_cast<i64>(ten), 10 * ms);
  wrmsr(apic_initial, 0);
  // One expiry may have been requested before the stop and is still delivered: at most one more.
  const u32 after_stop = timer_interrupts;
  const u64 quiet = system_time();
  asm volatile("sti");
  while (system_time() < quiet + 5 * ms) {
  }
  asm volatile("cli");
  if (timer_interrupts - after_stop > 1)
    fail("periodic: interrupts after a zero count stopped it", timer_interrupts - after_stop, 1);
  Line() << "local-apic: periodic timer interrupted a running guest 10 times at 1 ms, then stopped";

  // TSC-deadline, 2 ms ahead.
  wrmsr(apic_lvt_timer, timer_vector | lvt_tsc_deadline);
  started = system_time();
  const u64 deadline = arch::timestamp() + 2 * per_ms;
  wrmsr(msr_tsc_deadline, deadline);
  expect("TSC deadline reads back", static_cast<i64>(rdmsr(msr_tsc_deadline) == deadline), 1);
  const u32 before = timer_interrupts;
  wait_for_timer(before + 1);
  check_on_time("TSC-deadline: fired at TSC, due", deadline, started, 2 * ms);
  expect("TSC-deadline: the MSR after it fired", static_cast<i64>(rdmsr(msr_tsc_deadline)), 0);
  Line() << "local-apic: TSC-deadline timer fired at its deadline";

  // Masked: the count runs out, nothing interrupts.
  wrmsr(apic_lvt_timer, timer_vector | lvt_masked);
  const u32 masked_before = timer_interrupts;
  const u64 masked_start = system_time();
  wrmsr(apic_initial, per_ms >> 1);
  asm volatile("sti");
  while (system_time() < masked_start + 3 * ms) {
  }
  asm volatile("cli");
  expect("masked timer: interrupts", timer_interrupts - masked_before, 0);
  expect("masked timer: current count after it ran out", static_cast<i64>(rdmsr(apic_current)), 0);
  Line() << "local-apic: a masked timer ran out without interrupting";

  // A self IPI waits while the task priority holds its class off, and comes once it is lowered.
  wrmsr(apic_tpr, 0x50);
  wrmsr(apic_self_ipi, ipi_vector);
  asm volatile("sti; nop; nop; nop; cli");
  expect("self IPI under TPR 0x50", ipi_interrupts, 0);
  wrmsr(apic_tpr, 0);
  asm volatile("sti; nop; nop; nop; cli");
  expect("self IPI after TPR 0", ipi_interrupts, 1);
  Line() << "local-apic: a self IPI waited for the task priority to drop";
  Line() << "local-apic: done, powering off";
}

} // namespace guest

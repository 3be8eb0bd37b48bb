// SPDX-License-Identifier: Apache-2.0
// A vCPU's local APIC as its guest sees it: in x2APIC mode from the start (APIC_BASE reads EXTD and EN
// set, CPUID leaf 1 offers x2APIC), so that every register is an MSR (0x800 + the xAPIC offset / 16) and
// no access needs an instruction decoded, as a PVH guest of the family expects (Xen offers x2APIC too).
//
// The model holds the registers, the request and in-service bits with their priorities (TPR, PPR, EOI),
// and the timer in its three modes. Time is the guest's own TSC: the timer counts at the TSC's rate
// divided by the divide configuration, and TSC-deadline mode compares with the TSC itself, so no clock
// is converted and a guest that calibrates its APIC timer against its TSC finds a ratio of exactly the
// divisor. The SVM backend asks for expired timers before each entry, offers deliverable_vector() on the
// virtual interrupt line and calls accept() once the guest took it.
//
// Interrupts come from the timer, SELF IPI and ICR writes. An ICR write that names other APICs (fixed
// interrupts, INIT, startup) leaves message_waiting set, and the backend hands message_to_others() to
// common code, which delivers it to the domain's other vCPUs; NMI and SMI are not sent. LINT0/1,
// thermal, performance and error interrupts are never raised: nothing behind them is emulated.
// Requests may come from another CPU (request() and accept() update the request bits atomically).
//
// Pure, so that the host's unit tests run it (x86/guest_msrs.hpp dispatches to it).
#pragma once

#include <hv/types.hpp>

namespace hv::x86 {

inline constexpr u32 msr_x2apic_first = 0x800;
inline constexpr u32 msr_x2apic_last = 0x8ff;
inline constexpr u32 msr_tsc_deadline = 0x6e0;

struct LocalApic {
  static constexpr u64 never = ~u64{0};
  static constexpr usize lvt_count = 7; ///< CMCI, timer, thermal, performance, LINT0, LINT1, error
  static constexpr usize vector_words = 8;
  u32 id = 0; ///< the x2APIC ID: the vCPU's number
  u32 tpr = 0;
  u32 spurious = 0xff; ///< SVR at reset: vector 0xff, APIC software-disabled
  u32 error_status = 0;
  u64 interrupt_command = 0;
  u32 lvt[lvt_count] = {0x1'0000, 0x1'0000, 0x1'0000, 0x1'0000, 0x1'0000, 0x1'0000, 0x1'0000}; ///< all masked
  u32 timer_initial = 0;
  u32 timer_divide = 0;
  u32 requested[vector_words] = {};  ///< IRR: raised, not yet taken
  u32 in_service[vector_words] = {}; ///< ISR: taken, not yet ended by an EOI
  u32 requested_words = 0;           ///< bit n: requested[n] is not zero (one test before each entry)
  u64 timer_period = 0;              ///< TSC ticks per count-down (initial count x divisor), 0 when stopped
  u64 timer_expiry = never;          ///< guest TSC when the count-down reaches zero (one-shot, periodic)
  u64 tsc_deadline = 0;              ///< IA32_TSC_DEADLINE as armed; 0 when disarmed or fired
  u64 next_event = never;            ///< the earliest of timer_expiry and an armed tsc_deadline
  bool message_waiting = false;      ///< the last ICR write named other APICs: the backend sends it
};

/// What an ICR command asks of the APICs besides the sender: whom, by x2APIC ID (bit n: ID n; IDs 32
/// and up name no vCPU and are left out), and what. `none` when nothing reaches another APIC.
struct IcrMessage {
  enum class Kind : u8 { none, fixed, init, startup };
  Kind kind = Kind::none;
  u32 targets = 0;
  u8 vector = 0; ///< fixed: the vector; startup: the 4 KiB page where the target starts
};

/// RDMSR of x2APIC register `msr` (0x800-0x8ff) at guest TSC `now`: false for #GP (a register that does
/// not exist, or a write-only one: EOI, SELF IPI).
bool read_x2apic(const LocalApic& apic, u32 msr, u64 now, u64& value);
/// WRMSR of x2APIC register `msr` at guest TSC `now`: false for #GP (a read-only register, reserved bits
/// set, an EOI of anything but 0).
bool write_x2apic(LocalApic& apic, u32 msr, u64 value, u64 now);
/// IA32_TSC_DEADLINE: what the guest armed (0 once fired, and outside TSC-deadline mode).
u64 read_tsc_deadline(const LocalApic& apic);
/// Arms (0: disarms) the TSC-deadline timer; ignored outside TSC-deadline mode, as on hardware.
void write_tsc_deadline(LocalApic& apic, u64 value);

/// Fires the timer if guest TSC `now` is at or past next_event: its vector requested unless the LVT
/// masks it, a periodic count-down restarted (once, however many periods were missed), a one-shot or
/// TSC deadline disarmed. Called by the backend before an entry and at a halt.
void expire_timer(LocalApic& apic, u64 now);
/// The requested vector the guest would take now (highest first, only above the processor priority,
/// only with the APIC software-enabled), or -1.
int deliverable_vector(const LocalApic& apic);
/// The guest took `vector`: it moves from requested to in service, until the guest's EOI.
void accept(LocalApic& apic, u32 vector);
/// Requests `vector` (a fixed-delivery interrupt to this APIC). Vectors 0-15 are illegal and dropped,
/// as the APIC's error status says. Safe against the owning vCPU's CPU accepting at the same time.
void request(LocalApic& apic, u32 vector);
/// The part of ICR command `command`, written by `apic`, that other APICs receive (the destination
/// shorthand, or a physical or logical destination; a lowest-priority interrupt goes to the first of
/// them; an INIT de-assert is nothing). The sender's own part write_x2apic settled already.
IcrMessage message_to_others(const LocalApic& apic, u64 command);
/// The APIC as INIT leaves it: every register at its reset value, the ID kept.
void reset_after_init(LocalApic& apic);

} // namespace hv::x86

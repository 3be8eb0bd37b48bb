// A vCPU's local APIC as its guest sees it: in x2APIC mode from the start (APIC_BASE reads EXTD and EN
// set, CPUID leaf 1 offers x2APIC), so that every register is an MSR (0x800 + the xAPIC offset / 16) and
// no access needs an instruction decoded, as a PVH guest of the family expects (Xen offers x2APIC too).
// The registers keep what the guest writes, with the read-only ones answered from the vCPU's ID; the
// timer and interrupt delivery are not emulated yet (a guest of the family keeps time with the PV clock's
// single-shot timer, and takes events through the upcall vector, which needs no EOI).
//
// Pure, so that the host's unit tests run it (x86/guest_msrs.hpp dispatches to it).
#pragma once

#include <hv/types.hpp>

namespace hv::x86 {

inline constexpr u32 msr_x2apic_first = 0x800;
inline constexpr u32 msr_x2apic_last = 0x8ff;

struct LocalApic {
  static constexpr usize lvt_count = 7; ///< CMCI, timer, thermal, performance, LINT0, LINT1, error
  u32 id = 0;                           ///< the x2APIC ID: the vCPU's number
  u32 tpr = 0;
  u32 spurious = 0xff; ///< SVR at reset: vector 0xff, APIC software-disabled
  u32 error_status = 0;
  u64 interrupt_command = 0;
  u32 lvt[lvt_count] = {0x1'0000, 0x1'0000, 0x1'0000, 0x1'0000, 0x1'0000, 0x1'0000, 0x1'0000}; ///< all masked
  u32 timer_initial = 0;
  u32 timer_divide = 0;
};

/// RDMSR of x2APIC register `msr` (0x800-0x8ff): false for #GP (a register that does not exist, or a
/// write-only one: EOI, SELF IPI).
bool read_x2apic(const LocalApic& apic, u32 msr, u64& value);
/// WRMSR of x2APIC register `msr`: false for #GP (a read-only register, reserved bits set, an EOI of
/// anything but 0).
bool write_x2apic(LocalApic& apic, u32 msr, u64 value);

} // namespace hv::x86

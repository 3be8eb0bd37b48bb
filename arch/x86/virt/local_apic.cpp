// The x2APIC registers of a vCPU's local APIC (x86/local_apic.hpp). Offsets and reset values are the
// AMD64 APM's (vol. 2, 16.3-16.4, and the x2APIC MSR map of 16.11).
#include <x86/local_apic.hpp>

namespace hv::x86 {
namespace {

constexpr u32 reg_id = 0x802, reg_version = 0x803, reg_tpr = 0x808, reg_ppr = 0x80a, reg_eoi = 0x80b;
constexpr u32 reg_ldr = 0x80d, reg_svr = 0x80f, reg_isr = 0x810, reg_irr = 0x820; // TMR between them
constexpr u32 reg_esr = 0x828, reg_lvt_cmci = 0x82f, reg_icr = 0x830, reg_lvt_timer = 0x832;
constexpr u32 reg_lvt_error = 0x837, reg_timer_initial = 0x838, reg_timer_current = 0x839;
constexpr u32 reg_timer_divide = 0x83e, reg_self_ipi = 0x83f;
// Version 0x14 (an integrated APIC), six LVT entries past the first (max LVT 6), no EOI broadcast
// suppression.
constexpr u32 version = 0x14 | 6u << 16;

// The LVT index of an LVT register: CMCI first, then timer through error.
int lvt_index(u32 msr) {
  if (msr == reg_lvt_cmci) return 0;
  if (msr >= reg_lvt_timer && msr <= reg_lvt_error) return 1 + static_cast<int>(msr - reg_lvt_timer);
  return -1;
}

} // namespace

bool read_x2apic(const LocalApic& apic, u32 msr, u64& value) {
  if (const int lvt = lvt_index(msr); lvt >= 0) {
    value = apic.lvt[lvt];
    return true;
  }
  // In-service, trigger-mode and request registers, 8 each: nothing is delivered through them yet.
  if (msr >= reg_isr && msr < reg_irr + 8) {
    value = 0;
    return true;
  }
  switch (msr) {
  case reg_id: value = apic.id; return true;
  case reg_version: value = version; return true;
  case reg_tpr: value = apic.tpr; return true;
  case reg_ppr: value = apic.tpr & 0xf0; return true; // nothing in service: the TPR's class
  case reg_ldr: value = (apic.id >> 4) << 16 | 1u << (apic.id & 0xf); return true; // cluster, bit
  case reg_svr: value = apic.spurious; return true;
  case reg_esr: value = apic.error_status; return true;
  case reg_icr: value = apic.interrupt_command; return true;
  case reg_timer_initial: value = apic.timer_initial; return true;
  case reg_timer_current: value = 0; return true; // the timer does not count yet
  case reg_timer_divide: value = apic.timer_divide; return true;
  default: return false;
  }
}

bool write_x2apic(LocalApic& apic, u32 msr, u64 value) {
  if (const int lvt = lvt_index(msr); lvt >= 0) {
    if (value >> 32 != 0) return false;
    apic.lvt[lvt] = static_cast<u32>(value);
    return true;
  }
  if (msr != reg_icr && value >> 32 != 0) return false; // only the ICR is 64 bits wide in x2APIC mode
  switch (msr) {
  case reg_tpr: apic.tpr = static_cast<u32>(value & 0xff); return value <= 0xff;
  case reg_eoi: return value == 0;
  case reg_svr: apic.spurious = static_cast<u32>(value & 0x11ff); return true;
  case reg_esr: apic.error_status = 0; return value == 0;    // a write latches (and here clears) errors
  case reg_icr: apic.interrupt_command = value; return true; // IPIs come with SMP guests
  case reg_timer_initial: apic.timer_initial = static_cast<u32>(value); return true;
  case reg_timer_divide: apic.timer_divide = static_cast<u32>(value & 0xb); return true;
  case reg_self_ipi: return value <= 0xff;
  default: return false; // read-only (ID, version, PPR, LDR, ISR/TMR/IRR, current count) or absent
  }
}

} // namespace hv::x86

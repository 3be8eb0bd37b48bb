// SPDX-License-Identifier: Apache-2.0
// The x2APIC of a vCPU (x86/local_apic.hpp). Offsets, reset values and rules are the AMD64 APM's (vol. 2,
// 16.3-16.6 and the x2APIC MSR map of 16.11) and the Intel SDM's (vol. 3A, 11.5.4 for the timer's modes).
#include <x86/local_apic.hpp>

namespace hv::x86 {
namespace {

constexpr u32 reg_id = 0x802, reg_version = 0x803, reg_tpr = 0x808, reg_ppr = 0x80a, reg_eoi = 0x80b;
constexpr u32 reg_ldr = 0x80d, reg_svr = 0x80f, reg_isr = 0x810, reg_tmr = 0x818, reg_irr = 0x820;
constexpr u32 reg_esr = 0x828, reg_lvt_cmci = 0x82f, reg_icr = 0x830, reg_lvt_timer = 0x832;
constexpr u32 reg_lvt_error = 0x837, reg_timer_initial = 0x838, reg_timer_current = 0x839;
constexpr u32 reg_timer_divide = 0x83e, reg_self_ipi = 0x83f;
// Version 0x14 (an integrated APIC), six LVT entries past the first (max LVT 6), no EOI broadcast
// suppression.
constexpr u32 version = 0x14 | 6u << 16;
constexpr u32 svr_enabled = 1u << 8;
constexpr u32 lvt_masked = 1u << 16;
constexpr u32 lvt_timer_mode_shift = 17;
constexpr u32 lvt_timer_bits = 0xff | lvt_masked | 3u << lvt_timer_mode_shift;
constexpr u32 lvt_other_bits = 0xff | 7u << 8 | 1u << 13 | 1u << 15 | lvt_masked; // vector, mode, polarity, trigger
constexpr u32 timer_periodic = 1, timer_tsc_deadline = 2;                         // 0 is one-shot
constexpr u32 esr_illegal_vector_received = 1u << 6;
// ICR (x2APIC: one 64-bit register): the vector, the delivery mode, the destination mode (logical or
// physical), the level and trigger mode (which tell an INIT de-assert), the destination shorthand, and
// the destination in bits 32-63.
constexpr u64 icr_delivery_mode_shift = 8;
constexpr u64 mode_fixed = 0, mode_lowest_priority = 1, mode_init = 5, mode_startup = 6;
constexpr u64 icr_logical = 1u << 11;
constexpr u64 icr_assert = 1u << 14;
constexpr u64 icr_level_triggered = 1u << 15;
constexpr u64 icr_shorthand_shift = 18;
constexpr u64 shorthand_none = 0, shorthand_self = 1, shorthand_all_but_self = 3; // 2: all, itself included
constexpr u32 broadcast_destination = 0xffff'ffff;
constexpr u32 first_legal_vector = 16;

// The LVT index of an LVT register: CMCI first, then timer through error.
int lvt_index(u32 msr) {
  if (msr == reg_lvt_cmci) return 0;
  if (msr >= reg_lvt_timer && msr <= reg_lvt_error) return 1 + static_cast<int>(msr - reg_lvt_timer);
  return -1;
}

u32 timer_mode(const LocalApic& apic) { return apic.lvt[1] >> lvt_timer_mode_shift & 3; }

// The divide configuration's bits 0, 1 and 3 as a power of two; 0b111 divides by 1.
u64 divisor(const LocalApic& apic) {
  const u32 code = (apic.timer_divide & 3) | (apic.timer_divide >> 1 & 4);
  return code == 7 ? 1 : u64{2} << code;
}

int highest(const u32 (&bits)[LocalApic::vector_words]) {
  for (int word = LocalApic::vector_words - 1; word >= 0; --word)
    if (bits[word] != 0) return word * 32 + 31 - __builtin_clz(bits[word]);
  return -1;
}

// PPR: the higher of the TPR's priority class and that of the highest vector in service.
u32 processor_priority(const LocalApic& apic) {
  const int serving = highest(apic.in_service);
  const u32 serving_class = serving < 0 ? 0 : static_cast<u32>(serving) & 0xf0;
  return (apic.tpr & 0xf0) >= serving_class ? apic.tpr : serving_class;
}

void schedule_next(LocalApic& apic) {
  const u64 deadline = apic.tsc_deadline != 0 ? apic.tsc_deadline : LocalApic::never;
  apic.next_event = apic.timer_expiry < deadline ? apic.timer_expiry : deadline;
}

void stop_timer(LocalApic& apic) {
  apic.timer_period = 0;
  apic.timer_expiry = LocalApic::never;
  apic.tsc_deadline = 0;
  schedule_next(apic);
}

void start_count_down(LocalApic& apic, u64 now) {
  stop_timer(apic);
  if (apic.timer_initial == 0 || timer_mode(apic) == timer_tsc_deadline) return; // a zero count stops it
  apic.timer_period = u64{apic.timer_initial} * divisor(apic);
  apic.timer_expiry = now + apic.timer_period;
  schedule_next(apic);
}

// What the current-count register reads: the count-down's remaining periods of the divided clock.
u64 current_count(const LocalApic& apic, u64 now) {
  if (apic.timer_expiry == LocalApic::never) return 0;
  u64 left = 0;
  if (now < apic.timer_expiry) {
    left = apic.timer_expiry - now;
  } else if (timer_mode(apic) == timer_periodic) {
    left = apic.timer_period - (now - apic.timer_expiry) % apic.timer_period; // expired, not yet seen
  }
  return left / divisor(apic);
}

// The APICs an ICR command names, by x2APIC ID (bit n: ID n, for IDs below 64), the sender's included.
// A logical destination is a cluster (bits 16-31) and a bit for each of its 16 members (the LDR that
// read_x2apic reports); all ones is every APIC in either mode.
u64 destinations(const LocalApic& apic, u64 command) {
  const u64 shorthand = command >> icr_shorthand_shift & 3;
  if (shorthand == shorthand_self) return u64{1} << (apic.id & 63);
  const u64 own = apic.id < 64 ? u64{1} << apic.id : 0;
  if (shorthand == shorthand_all_but_self) return ~own;
  const auto destination = static_cast<u32>(command >> 32);
  if (shorthand != shorthand_none || destination == broadcast_destination) return ~u64{0};
  if ((command & icr_logical) == 0) return destination < 64 ? u64{1} << destination : 0;
  const u32 cluster = destination >> 16;
  if (cluster >= 64 / 16) return 0;
  return u64{destination & 0xffff} << (cluster * 16);
}

// The ICR's fixed interrupts that reach this APIC itself.
void send_interrupt(LocalApic& apic, u64 command) {
  const u64 mode = command >> icr_delivery_mode_shift & 7;
  if (mode != mode_fixed && mode != mode_lowest_priority) return;
  if (apic.id < 64 && (destinations(apic, command) >> apic.id & 1) != 0)
    request(apic, static_cast<u32>(command & 0xff));
}

} // namespace

// Another vCPU's CPU may request a vector while this one's takes another: the request bits change only
// by atomic read-modify-writes, and a word's summary bit is set after its word and cleared only while the
// word reads empty (a request racing with the clear sets it again after).
void request(LocalApic& apic, u32 vector) {
  if (vector < first_legal_vector || vector > 0xff) {
    __atomic_fetch_or(&apic.error_status, esr_illegal_vector_received, __ATOMIC_RELAXED);
    return;
  }
  __atomic_fetch_or(&apic.requested[vector / 32], 1u << (vector % 32), __ATOMIC_RELEASE);
  __atomic_fetch_or(&apic.requested_words, 1u << (vector / 32), __ATOMIC_RELEASE);
}

void accept(LocalApic& apic, u32 vector) {
  const u32 word = vector / 32;
  const u32 left = __atomic_and_fetch(&apic.requested[word], ~(1u << (vector % 32)), __ATOMIC_ACQ_REL);
  if (left == 0) {
    __atomic_fetch_and(&apic.requested_words, ~(1u << word), __ATOMIC_ACQ_REL);
    if (__atomic_load_n(&apic.requested[word], __ATOMIC_ACQUIRE) != 0)
      __atomic_fetch_or(&apic.requested_words, 1u << word, __ATOMIC_RELEASE);
  }
  apic.in_service[word] |= 1u << (vector % 32);
}

IcrMessage message_to_others(const LocalApic& apic, u64 command) {
  IcrMessage m;
  const u64 mode = command >> icr_delivery_mode_shift & 7;
  const u64 others = destinations(apic, command) & ~(apic.id < 64 ? u64{1} << apic.id : 0);
  auto targets = static_cast<u32>(others); // IDs 32 and up name no vCPU of a domain
  if (targets == 0) return m;
  if (mode == mode_fixed || mode == mode_lowest_priority) {
    const auto vector = static_cast<u32>(command & 0xff);
    if (vector < first_legal_vector) return m; // refused by the sender's APIC: nothing is sent
    // Lowest priority goes to one of them; every vCPU's priority reads alike here, so the first.
    if (mode == mode_lowest_priority) targets &= 0u - targets;
    m.kind = IcrMessage::Kind::fixed;
    m.vector = static_cast<u8>(vector);
  } else if (mode == mode_init) {
    // The INIT level de-assert (level-triggered, not asserted) that old protocols follow INIT with does
    // nothing on an APIC of this generation.
    if ((command & icr_assert) == 0 && (command & icr_level_triggered) != 0) return m;
    m.kind = IcrMessage::Kind::init;
  } else if (mode == mode_startup) {
    m.kind = IcrMessage::Kind::startup;
    m.vector = static_cast<u8>(command & 0xff);
  } else {
    return m; // SMI and NMI: nothing behind them is emulated
  }
  m.targets = targets;
  return m;
}

void reset_after_init(LocalApic& apic) {
  const u32 id = apic.id;
  apic = LocalApic{};
  apic.id = id;
}

int deliverable_vector(const LocalApic& apic) {
  if ((apic.spurious & svr_enabled) == 0) return -1;
  const int vector = highest(apic.requested);
  if (vector < 0 || (static_cast<u32>(vector) & 0xf0) <= (processor_priority(apic) & 0xf0)) return -1;
  return vector;
}

void expire_timer(LocalApic& apic, u64 now) {
  if (now < apic.next_event) return;
  if (apic.timer_expiry <= now) {
    if (timer_mode(apic) == timer_periodic) {
      apic.timer_expiry = now + apic.timer_period - (now - apic.timer_expiry) % apic.timer_period;
    } else {
      apic.timer_expiry = LocalApic::never;
    }
  } else {
    apic.tsc_deadline = 0;
  }
  schedule_next(apic);
  if ((apic.lvt[1] & lvt_masked) == 0) request(apic, apic.lvt[1] & 0xff);
}

u64 read_tsc_deadline(const LocalApic& apic) { return apic.tsc_deadline; }

void write_tsc_deadline(LocalApic& apic, u64 value) {
  if (timer_mode(apic) != timer_tsc_deadline) return;
  apic.tsc_deadline = value;
  schedule_next(apic);
}

bool read_x2apic(const LocalApic& apic, u32 msr, u64 now, u64& value) {
  if (const int lvt = lvt_index(msr); lvt >= 0) {
    value = apic.lvt[lvt];
    return true;
  }
  if (msr >= reg_isr && msr < reg_isr + LocalApic::vector_words) {
    value = apic.in_service[msr - reg_isr];
    return true;
  }
  if (msr >= reg_tmr && msr < reg_irr + LocalApic::vector_words) { // every interrupt is edge-triggered
    value = msr >= reg_irr ? apic.requested[msr - reg_irr] : 0;
    return true;
  }
  switch (msr) {
  case reg_id: value = apic.id; return true;
  case reg_version: value = version; return true;
  case reg_tpr: value = apic.tpr; return true;
  case reg_ppr: value = processor_priority(apic); return true;
  case reg_ldr: value = (apic.id >> 4) << 16 | 1u << (apic.id & 0xf); return true; // cluster, bit
  case reg_svr: value = apic.spurious; return true;
  case reg_esr: value = apic.error_status; return true;
  case reg_icr: value = apic.interrupt_command; return true;
  case reg_timer_initial: value = apic.timer_initial; return true;
  case reg_timer_current: value = current_count(apic, now); return true;
  case reg_timer_divide: value = apic.timer_divide; return true;
  default: return false;
  }
}

bool write_x2apic(LocalApic& apic, u32 msr, u64 value, u64 now) {
  if (msr != reg_icr && value >> 32 != 0) return false; // only the ICR is 64 bits wide in x2APIC mode
  const auto low = static_cast<u32>(value);
  if (msr == reg_lvt_timer) {
    const bool mode_changed = ((low ^ apic.lvt[1]) >> lvt_timer_mode_shift & 3) != 0;
    apic.lvt[1] = low & lvt_timer_bits;
    if (mode_changed) stop_timer(apic); // a mode change disarms, as the SDM says
    return true;
  }
  if (const int lvt = lvt_index(msr); lvt >= 0) {
    apic.lvt[lvt] = low & lvt_other_bits;
    return true;
  }
  switch (msr) {
  case reg_tpr:
    if (value > 0xff) return false;
    apic.tpr = low;
    return true;
  case reg_eoi: {
    if (value != 0) return false;
    if (const int vector = highest(apic.in_service); vector >= 0)
      apic.in_service[vector / 32] &= ~(1u << (vector % 32));
    return true;
  }
  case reg_svr:
    apic.spurious = low & 0x11ff;
    if ((apic.spurious & svr_enabled) == 0) // software-disabled: every LVT entry masked
      for (u32& entry : apic.lvt) entry |= lvt_masked;
    return true;
  case reg_esr: apic.error_status = 0; return value == 0; // a write latches (and here clears) errors
  case reg_icr:
    apic.interrupt_command = value;
    send_interrupt(apic, value);
    if (message_to_others(apic, value).kind != IcrMessage::Kind::none) apic.message_waiting = true;
    return true;
  case reg_timer_initial:
    apic.timer_initial = low;
    start_count_down(apic, now);
    return true;
  case reg_timer_divide: apic.timer_divide = low & 0xb; return true;
  case reg_self_ipi:
    if (value > 0xff) return false;
    request(apic, low);
    return true;
  default: return false; // read-only (ID, version, PPR, LDR, ISR/TMR/IRR, current count) or absent
  }
}

} // namespace hv::x86

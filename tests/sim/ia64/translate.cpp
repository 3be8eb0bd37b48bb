// SPDX-License-Identifier: Apache-2.0
// Address translation (volume 2, chapter 4 "Addressing and Protection"): physical addressing when
// psr.it/dt is clear; otherwise the region register names the region ID, the TLB (tlb.hpp) the
// translation, and a miss goes to the long-format VHPT walker (section 4.1.5) when cr.pta and the
// region enable it, else to the alternate TLB vectors. The checks after a hit: present (page not
// present fault), access rights and privilege (section 4.1.1.6, with the limits said at access_allowed),
// the accessed and dirty bits.
#include "core.hpp"
#include "system_registers.hpp"

namespace ia64sim {
namespace {

using u64 = std::uint64_t;

constexpr u64 ppn_mask = ((u64{1} << 50) - 1) & ~((u64{1} << 12) - 1); // pte bits 49:12
constexpr u64 pte_present = 1, pte_accessed = 1u << 5, pte_dirty = 1u << 6;
/// Physical addresses the simulated processor implements: 50 bits (bit 63 in physical mode selects the
/// uncacheable attribute and is not part of the address).
constexpr u64 physical_mask = (u64{1} << 50) - 1;

std::uint32_t rid_of(u64 rr) { return static_cast<std::uint32_t>((rr >> 8) & 0xff'ffff); }
unsigned ps_of(u64 rr) { return static_cast<unsigned>((rr >> 2) & 0x3f); }

/// Whether the rights `ar` (pte bits 11:9) at privilege level `pl` allow `access` at `cpl` (volume 2,
/// table 4-3). Modelled: the rights at the page's own privilege level (ar 0 r, 1 rx, 2 rw, 3 rwx, 4 rw,
/// 5 rwx, 6 rwx, 7 rx) and no access from a less privileged level; the table's columns for the
/// levels between, and execute-only promotion (ar 7), are not distinguished.
bool access_allowed(unsigned ar, unsigned pl, unsigned cpl, Access access) {
  if (cpl > pl) return false;
  static constexpr bool can_write[8] = {false, false, true, true, true, true, true, false};
  static constexpr bool can_execute[8] = {false, true, false, true, false, true, true, true};
  if (access == Access::write) return can_write[ar];
  if (access == Access::execute) return can_execute[ar];
  return true;
}

u64 isr_for(Access access) {
  return access == Access::execute ? isr_bit::x : access == Access::write ? isr_bit::w : isr_bit::r;
}

} // namespace

u64 Core::thash(u64 va) const {
  // The long format's hash is the implementation's choice (volume 2, section 4.1.5.2): here the virtual
  // page number in the region's preferred size, mixed with the region ID, modulo the table's entries.
  const u64 pta = cr[cr_number::pta];
  const unsigned size = static_cast<unsigned>((pta >> 2) & 0x3f);
  const u64 rrv = rr[va >> 61];
  const u64 vpn = region_offset(va) >> ps_of(rrv);
  const u64 entries = (u64{1} << size) / 32;
  const u64 index = (vpn ^ (u64{rid_of(rrv)} * 0x9e37'79b9)) & (entries - 1);
  return (pta & ~((u64{1} << size) - 1) & ~u64{0x7fff}) + index * 32;
}

u64 Core::ttag(u64 va) const {
  // The tag must tell apart every (region ID, page) that can share an entry: the page number (at most 49
  // bits) and the region ID above it. Unique for region IDs below 2^14; bit 63 (ti) is always clear.
  const u64 rrv = rr[va >> 61];
  const u64 vpn = region_offset(va) >> ps_of(rrv);
  return (vpn ^ (u64{rid_of(rrv)} << 49)) & ~(u64{1} << 63);
}

bool Core::translate(u64 va, Access access, u64& pa, Interruption& why) {
  const bool instruction = access == Access::execute;
  if ((psr & (instruction ? psr_bit::it : psr_bit::dt)) == 0) {
    pa = va & physical_mask;
    return true;
  }
  const u64 rrv = rr[va >> 61];
  const std::uint32_t rid = rid_of(rrv);
  const u64 offset = region_offset(va);
  why = Interruption{};
  why.isr = isr_for(access);
  why.ifa = va;
  why.itir = (u64{ps_of(rrv)} << 2) | (u64{rid} << 8);
  why.translation = true;
  const Translation* t = tlb.find(instruction, rid, offset);
  if (t == nullptr) {
    const u64 pta = cr[cr_number::pta];
    const bool walker = (pta & 1) != 0 && (pta & (1u << 8)) != 0 && (rrv & 1) != 0;
    if (!walker) {
      why.vector = instruction ? ivt::alternate_instruction_tlb : ivt::alternate_data_tlb;
    } else {
      why.iha = thash(va);
      why.vector = instruction ? ivt::instruction_tlb : ivt::data_tlb;
      // The walker's own reference is a data access to the VHPT, translated by the TLB alone: a miss
      // there is a VHPT translation fault.
      const u64 hrr = rr[why.iha >> 61];
      const Translation* h = tlb.find(false, rid_of(hrr), region_offset(why.iha));
      if (h == nullptr || (h->pte & pte_present) == 0) {
        why.vector = ivt::vhpt_translation;
      } else {
        const u64 mask = (u64{1} << h->page_shift) - 1;
        const u64 entry = ((h->pte & ppn_mask) & ~mask) | (region_offset(why.iha) & mask);
        u64 pte = 0, itir = 0, tag = 0;
        if (bus->read(entry, 8, pte) && bus->read(entry + 8, 8, itir) && bus->read(entry + 16, 8, tag) &&
            (tag >> 63) == 0 && tag == ttag(va) && (pte & pte_present) != 0) {
          Translation found;
          found.valid = true;
          found.rid = rid;
          found.page_shift = static_cast<unsigned>((itir >> 2) & 0x3f);
          found.va = offset & ~((u64{1} << found.page_shift) - 1);
          found.pte = pte;
          found.key = static_cast<std::uint32_t>((itir >> 8) & 0xff'ffff);
          tlb.insert_cache(instruction, found);
          t = tlb.find(instruction, rid, offset);
        }
      }
    }
    if (t == nullptr) {
      // A data TLB miss with collection off is the data nested TLB fault (section 5.6).
      if (!instruction && (psr & psr_bit::ic) == 0) why.vector = ivt::data_nested_tlb;
      return false;
    }
  }
  why.itir = (u64{t->page_shift} << 2) | (u64{t->key} << 8);
  if ((t->pte & pte_present) == 0) {
    why.vector = ivt::page_not_present;
    return false;
  }
  const unsigned cpl = static_cast<unsigned>((psr & psr_bit::cpl) >> 32);
  if (!access_allowed(static_cast<unsigned>((t->pte >> 9) & 7), static_cast<unsigned>((t->pte >> 7) & 3), cpl,
                      access)) {
    why.vector = instruction ? ivt::instruction_access_rights : ivt::data_access_rights;
    return false;
  }
  if ((t->pte & pte_accessed) == 0) {
    why.vector = instruction ? ivt::instruction_access_bit : ivt::data_access_bit;
    return false;
  }
  if (access == Access::write && (t->pte & pte_dirty) == 0) {
    why.vector = ivt::dirty_bit;
    return false;
  }
  const u64 mask = (u64{1} << t->page_shift) - 1;
  pa = ((t->pte & ppn_mask) & ~mask) | (offset & mask);
  return true;
}

bool Core::physical(u64 va, Access access, u64& pa, Effect& effect) {
  if (!use(Serialized::psr_dt, effect) || ((psr & psr_bit::dt) != 0 && !use(Serialized::rr, effect))) return false;
  Interruption why;
  if (translate(va, access, pa, why)) return true;
  effect.interrupted = true;
  effect.interruption = why;
  return false;
}

bool Core::read(u64 va, unsigned size, u64& value, Effect& effect) {
  if (bus == nullptr) {
    if (memory_.read(va, size, value)) return true;
    effect.stop = true;
    effect.outcome = Outcome{Stop::fault, va, ""};
    return false;
  }
  u64 pa = 0;
  if (!physical(va, Access::read, pa, effect)) return false;
  if (bus->read(pa, size, value)) return true;
  effect.stop = true;
  effect.outcome = Outcome{Stop::fault, pa, "a read where nothing answers"};
  return false;
}

bool Core::write(u64 va, unsigned size, u64 value, Effect& effect) {
  if (bus == nullptr) {
    memory_.write(va, size, value);
    return true;
  }
  u64 pa = 0;
  if (!physical(va, Access::write, pa, effect)) return false;
  if (bus->write(pa, size, value)) return true;
  effect.stop = true;
  effect.outcome = Outcome{Stop::fault, pa, "a write where nothing answers"};
  return false;
}

} // namespace ia64sim

// SPDX-License-Identifier: Apache-2.0
#include "tlb.hpp"

namespace ia64sim {

bool Translation::overlaps(std::uint32_t r, std::uint64_t offset, unsigned shift) const {
  if (!valid || rid != r) return false;
  const unsigned s = shift > page_shift ? shift : page_shift;
  return (offset >> s) == (va >> s);
}

const Translation* Tlb::find(bool instruction, std::uint32_t rid, std::uint64_t offset) const {
  const Side& s = side(instruction);
  for (const Translation& t : s.tr)
    if (t.maps(rid, offset)) return &t;
  for (const Translation& t : s.tc)
    if (t.maps(rid, offset)) return &t;
  return nullptr;
}

void Tlb::insert_register(bool instruction, unsigned slot, const Translation& t) {
  side(instruction).tr[slot % registers] = t;
}

void Tlb::insert_cache(bool instruction, const Translation& t) {
  Side& s = side(instruction);
  for (Translation& e : s.tc)
    if (e.overlaps(t.rid, t.va, t.page_shift)) e.valid = false;
  for (Translation& e : s.tc)
    if (!e.valid) {
      e = t;
      return;
    }
  if (s.tc.size() < cache_entries) {
    s.tc.push_back(t);
    return;
  }
  s.tc[s.next] = t;
  s.next = (s.next + 1) % cache_entries;
}

void Tlb::purge_cache(std::uint32_t rid, std::uint64_t offset, unsigned shift, bool all) {
  for (Side* s : {&i_, &d_})
    for (Translation& e : s->tc)
      if (all || e.overlaps(rid, offset, shift)) e.valid = false;
}

void Tlb::purge_registers(bool instruction, std::uint32_t rid, std::uint64_t offset, unsigned shift) {
  Side& s = side(instruction);
  for (Translation& e : s.tr)
    if (e.overlaps(rid, offset, shift)) e.valid = false;
  for (Translation& e : s.tc)
    if (e.overlaps(rid, offset, shift)) e.valid = false;
}

} // namespace ia64sim

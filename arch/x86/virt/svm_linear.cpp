// Virtualization::translate_linear's walk of a guest's own page tables (svm.hpp has the no-paging case),
// reading them through the domain's nested tables, which hold the same pages as its p2m.
#include "svm_state.hpp"

#include <string.h>
#include <x86/guest_walk.hpp>

namespace hv::port {
namespace {

bool read_entry(const void* context, u64 gpa, usize bytes, u64& out) {
  const auto& space = *static_cast<const Virtualization::Space*>(context);
  PhysAddr machine = 0;
  if (!space.tables.translate(align_down(gpa, Paging::page_size), machine, false)) return false;
  const auto* page = static_cast<const u8*>(Paging::direct_map(machine));
  out = 0;
  memcpy(&out, page + gpa % Paging::page_size, bytes); // little-endian: a 4-byte entry fills the low half
  return true;
}

} // namespace

bool Virtualization::walk_guest_tables(const Vcpu& vcpu, u64 linear, bool write, PhysAddr& out) {
  const x86::VmcbState& s = vcpu.vmcb->state;
  return x86::walk_guest_linear({s.cr0, s.cr3, s.cr4, s.efer}, linear, write, read_entry, vcpu.space, out);
}

} // namespace hv::port

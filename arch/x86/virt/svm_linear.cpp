// SPDX-License-Identifier: Apache-2.0
// Virtualization::translate_linear's walk of a guest's own page tables (svm.hpp has the no-paging case),
// reading them through the domain's nested tables, which hold the same pages as its p2m; and the guest
// memory the backend reads and writes itself, by guest-physical or linear address.
#include "svm_state.hpp"

#include <string.h>
#include <x86/guest_walk.hpp>

namespace hv::port {
namespace {

bool read_entry(const void* context, u64 gpa, usize bytes, u64& out) {
  const u8* entry = x86::svm::guest_physical(*static_cast<const Virtualization::Space*>(context), gpa, bytes, false);
  if (entry == nullptr) return false;
  out = 0;
  memcpy(&out, entry, bytes); // little-endian: a 4-byte entry fills the low half
  return true;
}

} // namespace

bool Virtualization::walk_guest_tables(const Vcpu& vcpu, u64 linear, bool write, PhysAddr& out) {
  const x86::VmcbState& s = vcpu.vmcb->state;
  return x86::walk_guest_linear({s.cr0, s.cr3, s.cr4, s.efer}, linear, write, read_entry, vcpu.space, out);
}

} // namespace hv::port

namespace hv::x86::svm {

u8* guest_physical(const port::Virtualization::Space& space, u64 gpa, usize bytes, bool write) {
  PhysAddr machine = 0;
  if (gpa % port::Paging::page_size + bytes > port::Paging::page_size ||
      !port::Virtualization::translate_guest(space, gpa, machine, write))
    return nullptr;
  return static_cast<u8*>(port::Paging::direct_map(machine));
}

u8* guest_linear(const port::Virtualization::Vcpu& vcpu, u64 linear, usize bytes, bool write) {
  PhysAddr gpa = 0;
  if (linear % port::Paging::page_size + bytes > port::Paging::page_size ||
      !port::Virtualization::translate_linear(vcpu, linear, write, gpa))
    return nullptr;
  return guest_physical(*vcpu.space, gpa, bytes, write);
}

} // namespace hv::x86::svm

// SPDX-License-Identifier: Apache-2.0
// A vCPU's architectural state: how it starts (the guest boot protocol, docs/guest-abi.md), the LPCR its
// partition runs with, and how an interrupt is delivered into it.
#include "lpar_state.hpp"

#include <ppc64/byte_order.hpp>
#include <ppc64/registers.hpp>

namespace hv::ppc64::lpar {

bool any_vcpu_made = false;

namespace {

// SRR1 bits 33:36 and 42:47 describe the interrupt; the others are a copy of the interrupted MSR.
constexpr u64 srr1_interrupt_status = 0x0000'0000'783f'0000ull;
constexpr u64 interrupt_byte_order = little_endian_image ? msr::le : 0;

} // namespace

void deliver_to_guest(GuestState& state, u64 vector, u64 pc, u64 status) {
  const u64 msr = state.msr & ~srr1_interrupt_status;
  state.srr0 = pc;
  state.srr1 = msr | status;
  state.msr = msr::sf | (msr & msr::me) | interrupt_byte_order;
  state.pc = vector;
}

} // namespace hv::ppc64::lpar

namespace hv::port {
namespace {

// The guest boot protocol: 64-bit, real mode (IR=DR=0), privileged non-hypervisor, machine checks on,
// external interrupts off, recoverable, in the image's byte order.
constexpr u64 boot_msr =
    ppc64::msr::sf | ppc64::msr::me | ppc64::msr::ri | (ppc64::little_endian_image ? ppc64::msr::le : 0);
// The small decrementer's largest value: no decrementer interrupt is pending when the guest starts.
constexpr u64 boot_decrementer = 0x7fff'ffff;

} // namespace

bool Virtualization::create_vcpu(FrameSource& frames, Vcpu& vcpu, const Space& space, const GuestStart& start) {
  static_assert(sizeof(ppc64::VectorState) <= Paging::page_size);
  const PhysAddr vector_state = frames.alloc_zeroed_page();
  if (vector_state == 0) return false;
  ppc64::lpar::any_vcpu_made = true;
  vcpu = Vcpu{};
  vcpu.vector_state = vector_state; // zeroed: the registers' reset state
  vcpu.vectors = static_cast<ppc64::VectorState*>(Paging::direct_map(vector_state));
  vcpu.space = &space;
  ppc64::GuestState& s = vcpu.state;
  s.pc = start.entry;
  s.msr = boot_msr;
  s.gpr[3] = start.argument;
  s.gpr[4] = 0;
  s.lpidr = space.lpid;
  s.dec = boot_decrementer;
  s.ppr = ppc64::read_spr<ppc64::spr::ppr>(); // the hypervisor's thread priority: the architected default
  return true;
}

void Virtualization::destroy_vcpu(FrameSource& frames, Vcpu& vcpu) {
  if (vcpu.vector_state != 0) frames.free_page(vcpu.vector_state);
  vcpu = Vcpu{};
}

} // namespace hv::port

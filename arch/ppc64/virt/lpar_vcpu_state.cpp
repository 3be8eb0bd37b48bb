// SPDX-License-Identifier: Apache-2.0
// An LPAR vCPU's state in the save stream (contract/virtualization.hpp: save_vcpu_state, load_vcpu_state;
// ppc64::LparVcpuImage). The kept SPRs are current in the GuestState because common code stored the
// registers into the vCPU (save_fpu) before it asked. The LPCR and the host's registers are set again at
// each entry (lpar_run.cpp, lpar_enter.S), and the LPID is the new Space's.
//
// The stream's bytes need not be aligned as the image's members are: each part is copied by offset.
#include <ppc64/registers.hpp>

#include <port.hpp>

#include <stddef.h>

namespace hv::port {
namespace {

using Image = ppc64::LparVcpuImage;

/// Zeroes what of `s` belongs to the host or to the last exit, not to the guest.
void drop_host_fields(ppc64::GuestState& s) {
  s.lpcr = s.lpidr = s.exit_vector = 0;
  s.host_sp = s.host_msr = s.host_lpcr = 0;
}

} // namespace

void Virtualization::save_vcpu_state(const Vcpu& vcpu, u64, u8* out) {
  ppc64::GuestState state = vcpu.state;
  drop_host_fields(state);
  const u64 pending = vcpu.upcall_pending ? 1 : 0;
  __builtin_memset(out, 0, sizeof(Image));
  __builtin_memcpy(out + offsetof(Image, state), &state, sizeof state);
  __builtin_memcpy(out + offsetof(Image, vectors), vcpu.vectors, sizeof(ppc64::VectorState));
  __builtin_memcpy(out + offsetof(Image, upcall_pending), &pending, sizeof pending);
}

bool Virtualization::load_vcpu_state(Vcpu& vcpu, u64, const u8* in) {
  ppc64::GuestState state;
  u64 pending = 0;
  __builtin_memcpy(&state, in + offsetof(Image, state), sizeof state);
  __builtin_memcpy(&pending, in + offsetof(Image, upcall_pending), sizeof pending);
  if ((state.msr & ppc64::msr::hv) != 0 || (state.msr & ppc64::msr::sf) == 0 || pending > 1) return false;
  const u64 lpid = vcpu.state.lpidr;
  drop_host_fields(state);
  state.lpidr = lpid;
  vcpu.state = state;
  __builtin_memcpy(vcpu.vectors, in + offsetof(Image, vectors), sizeof(ppc64::VectorState));
  vcpu.upcall_pending = pending != 0;
  return true;
}

} // namespace hv::port

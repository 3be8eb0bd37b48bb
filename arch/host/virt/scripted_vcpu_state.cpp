// SPDX-License-Identifier: Apache-2.0
// The scripted CPU's vCPU state in the save stream (contract/virtualization.hpp: save_vcpu_state,
// load_vcpu_state): what a scripted guest's program sees of its vCPU (which guest it is, how many entries
// it made, what its last exit got back, its upcalls, its floating-point register and its counter), so
// that a host test's guest goes on after a restore where it stopped.
#include <port.hpp>

namespace hv::port {
namespace {

struct ScriptedState {
  u64 entry, argument;
  u64 entries;
  u64 last_kind;
  u64 last_result[4];
  u64 upcalls_raised, upcall_vector;
  u64 fpu;
  u64 counter; ///< the guest's counter at the save
};
static_assert(sizeof(ScriptedState) == Virtualization::vcpu_state_bytes);

} // namespace

void Virtualization::save_vcpu_state(const Vcpu& vcpu, u64 timer_now, u8* out) {
  ScriptedState s{};
  s.entry = vcpu.start.entry;
  s.argument = vcpu.start.argument;
  s.entries = vcpu.entries;
  s.last_kind = static_cast<u64>(vcpu.last_kind);
  for (usize i = 0; i < 4; ++i) s.last_result[i] = vcpu.last_result[i];
  s.upcalls_raised = vcpu.upcalls_raised;
  s.upcall_vector = vcpu.upcall_vector;
  s.fpu = vcpu.fpu;
  s.counter = guest_counter(vcpu, timer_now);
  __builtin_memcpy(out, &s, sizeof s);
}

bool Virtualization::load_vcpu_state(Vcpu& vcpu, u64 timer_now, const u8* in) {
  ScriptedState s{};
  __builtin_memcpy(&s, in, sizeof s);
  if (s.entry == 0 || s.last_kind >= guest_exit_kinds || s.upcalls_raised > ~u32{0} || s.upcall_vector > ~u32{0})
    return false;
  vcpu.start.entry = s.entry;
  vcpu.start.argument = s.argument;
  vcpu.entries = s.entries;
  vcpu.last_kind = static_cast<GuestExitKind>(s.last_kind);
  for (usize i = 0; i < 4; ++i) vcpu.last_result[i] = s.last_result[i];
  vcpu.upcalls_raised = static_cast<u32>(s.upcalls_raised);
  vcpu.upcall_vector = static_cast<u32>(s.upcall_vector);
  vcpu.fpu = s.fpu;
  vcpu.counter_offset = s.counter - timer_now;
  return true;
}

} // namespace hv::port

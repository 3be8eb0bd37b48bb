// SPDX-License-Identifier: Apache-2.0
// The guest's own vCPUs through vcpu_op: the architecture writes VCPUOP_initialise's record
// (arch::vcpu_start_record), the rest is the family's ABI on every architecture.
#include "guest.hpp"

#include <hv/abi/vcpu.hpp>

namespace guest {
namespace {

constexpr usize record_bytes = 128; // the largest architecture's record (x86's vcpu_hvm_context)
constexpr ulong stack_alignment = 16;

long vcpu_op(u64 cmd, u32 id, ulong arg = 0) { return hypercall(hv::abi::hypercall::vcpu_op, cmd, id, arg); }

} // namespace

long vcpu_initialise(u32 id, VcpuEntry entry, void* stack, usize bytes) {
  alignas(8) u8 record[record_bytes];
  auto* top = reinterpret_cast<u8*>((address(stack) + bytes) & ~(stack_alignment - 1));
  const usize size = arch::vcpu_start_record(entry, id, top, record, sizeof record);
  if (size == 0) fail("the architecture's VCPUOP_initialise record fits", 0, 1);
  return vcpu_op(hv::abi::vcpuop::initialise, id, address(record));
}

long vcpu_up(u32 id) { return vcpu_op(hv::abi::vcpuop::up, id); }
long vcpu_down(u32 id) { return vcpu_op(hv::abi::vcpuop::down, id); }
long vcpu_is_up(u32 id) { return vcpu_op(hv::abi::vcpuop::is_up, id); }

} // namespace guest

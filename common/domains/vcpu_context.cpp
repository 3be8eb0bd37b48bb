// SPDX-License-Identifier: Apache-2.0
// A vCPU's first state from the control domain (XEN_DOMCTL_setvcpucontext): the backend reads the
// architecture's context record, the run time makes the domain's Space if it has none, then the vCPU's
// context, and brings it online. See Hypervisor::set_vcpu_context in hv/domains/hypervisor.hpp.
#include <hv/core/guest_memory.hpp>
#include <hv/domains/hypervisor.hpp>
#include <hv/domains/machine_frames.hpp>

#include <port.hpp>

namespace hv {
namespace {

using V = port::Virtualization;

struct CallerRecord {
  const Vcpu* caller;
  u64 base;
};

bool read_record(const void* context, u64 offset, void* out, usize len) {
  const auto& r = *static_cast<const CallerRecord*>(context);
  u64 at = 0;
  return GuestMemory::element(r.base, offset, 1, at) && GuestMemory(*r.caller).copy_from(at, out, len);
}

} // namespace

i64 Hypervisor::set_vcpu_context(Vcpu& target, const Vcpu& caller, u64 record) {
  Domain& d = *target.domain;
  if (d.state != DomainState::created) return to_return(Err::inval);
  const CallerRecord where{&caller, record};
  GuestStart start;
  const i32 read =
      start_from_context<V>(GuestRecord{read_record, &where, abi::word_bytes(caller.domain->width)}, start);
  if (read != 0) return read;
  start.vcpu_id = target.id;
  start.domain_id = d.id;

  if (!d.space_made) {
    time_.set_wallclock(d);
    if (make_space(d) != nullptr) return to_return(Err::nomem);
  }
  AccountFrames tables(frames_, d.overhead, ram_);
  if (target.context_made) {                      // a new state replaces the one it had
    fpu_[port::Cpu::index()].forget(target.arch); // a domain being built ran nowhere
    V::destroy_vcpu(tables, target.arch);
    target.context_made = false;
  }
  if (!V::create_vcpu(tables, target.arch, d.arch, start)) return to_return(Err::nomem);
  target.context_made = true;
  target.initialised = true; // a start the control domain chose, as VCPUOP_initialise's
  fpu_[0].created(target.arch);
  if (!target.online) (void)domains_.vcpu_up(target);
  return 0;
}

} // namespace hv

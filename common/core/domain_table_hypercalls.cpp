// SPDX-License-Identifier: Apache-2.0
// domctl (36): (arg), the control domain's management of the domain table.
// -EPERM for any other caller (checked before the record is read), -EFAULT when the record cannot be read,
// -EACCES for another interface version, -ESRCH when the target domain does not exist.
// createdomain: a new paused domain from the record (max_vcpus, max_evtchn_port, max_grant_frames; no
// memory allowance until max_mem); its ID is written back in `domain` (which must be 0 or reserved on the
// way in: choosing IDs is not supported, -EINVAL). destroydomain, pausedomain, unpausedomain (which also
// starts a domain being built, once it has memory): -EINVAL on the caller itself. getdomaininfo fills the
// record. max_mem sets the allowance (KiB); max_vcpus raises the vCPU count of a domain being built.
// resumedomain lets a domain that shut down (reboot, suspend, watchdog, soft reset: those the control
// domain decides on) run on where it stopped: -EINVAL for one that is not shut down, or the caller.
// setvcpucontext gives a vCPU of a domain being built its first state from the architecture's context
// record and brings it online (the run time's BuilderHook does it: -ENOSYS without one; -EINVAL for the
// caller, a vCPU out of range, a domain no longer being built, or a state the backend cannot start in).
// get_paging_mempool_size reports the domain's overhead account in bytes: its Domain object, shared_info,
// grant and event structures, p2m and second-stage tables and vCPU pages, which the family calls the
// paging pool (the memory the hypervisor spends managing it), whose limit follows the max_mem allowance.
// hv_save_stream and hv_restore_stream, this hypervisor's own (docs/lifecycle.md), are the run time's
// (BuilderHook; -ENOSYS without one): a paused domain's save stream read into the caller's memory in
// pieces (the bytes copied are returned, the whole size written back; -EINVAL for the caller itself), and
// a new domain restored from a stream in the caller's memory (its ID written back in `domain`; as for
// the family's createdomain, a `domain` below the reserved IDs on the way in is the ID it is to have,
// -EEXIST when taken, so that a domain restored after its destruction keeps its ID for its peers).
// hv_adopt_peers, also this hypervisor's own: `domain`, a migrated domain's destination, takes over the
// unbound ports that wait for the destroyed source (u.adopt_peers.predecessor); it returns how many.
// -EEXIST while the predecessor still exists (its connected channels would be left behind), -EINVAL for
// a reserved ID or the destination itself.
// shadow_op keeps a domain's dirty-page log (the run time's, BuilderHook; docs/migration.md).
// Other commands: -ENOSYS.
#include <hv/abi/domctl.hpp>
#include <hv/console.hpp>

#include "hypercall_family.hpp"

namespace hv::hypercalls {
namespace {

constexpr u64 page = FrameAllocator::frame_size;

u32 dominfo_flags(const Domain& d) {
  u32 flags = abi::dominf::hvm_guest;
  if (d.state == DomainState::dying) flags |= abi::dominf::dying | abi::dominf::shutdown;
  if (d.state == DomainState::shut_down) flags |= abi::dominf::shutdown;
  if (d.state == DomainState::shut_down || d.state == DomainState::dying)
    flags |= static_cast<u32>(d.shutdown_reason) << abi::dominf::shutdown_shift;
  if (d.pause_count != 0) flags |= abi::dominf::paused;
  bool any_runnable = false, all_blocked = true;
  for (u32 i = 0; i < d.vcpu_count; ++i) {
    if (!d.vcpus[i].online) continue;
    any_runnable = any_runnable || d.runnable(d.vcpus[i]);
    all_blocked = all_blocked && d.vcpus[i].blocked;
  }
  if (any_runnable)
    flags |= abi::dominf::running;
  else if (all_blocked && d.state == DomainState::running)
    flags |= abi::dominf::blocked;
  return flags;
}

i64 createdomain(DomainTable& table, const GuestMemory& guest, abi::Domctl& op, u64 arg) {
  if (op.domain != 0 && op.domain < abi::domid_first_reserved) return einval;
  const abi::DomctlCreateDomain& c = op.u.createdomain;
  DomainConfig config;
  config.vcpus = c.max_vcpus;
  const u32 port_limit = abi::two_level_port_limit(config.width);
  config.max_evtchn_ports = c.max_evtchn_port >= port_limit - 1 ? port_limit : c.max_evtchn_port + 1;
  config.grant_frames = c.max_grant_frames <= 0 ? limits::default_grant_frames : static_cast<u32>(c.max_grant_frames);
  auto created = table.create(config);
  if (!created.ok()) return ret(created.error());
  // Its vCPUs are down until someone gives them a context (the family's VCPUOP_initialise or a domctl
  // setvcpucontext, not offered yet): the hypervisor never enters a vCPU it holds no backend state for,
  // so unpausing such a domain starts it with nothing to run, as the family's does.
  Domain& d = *created.value();
  for (u32 i = 0; i < d.vcpu_count; ++i) d.vcpus[i].online = false;
  op.domain = d.id;
  if (!guest.write(arg, op)) {
    table.destroy(d); // the caller would never learn its ID
    return efault;
  }
  return 0;
}

/// Starts a domain the control domain built, its online vCPUs' time records written before they first run.
i64 start(const HypercallEnv& env, Domain& d) {
  const Err e = env.domains.start(d);
  if (e == Err::ok && env.timers != nullptr)
    for (u32 i = 0; i < d.vcpu_count; ++i)
      if (d.vcpus[i].online) env.timers->refresh_time(d.vcpus[i]);
  return ret(e);
}

/// A shut-down domain runs on; one the run time announced is said to (a fact line, docs/facts.md).
i64 resume(DomainTable& table, Domain& d) {
  const Err e = table.resume(d);
  if (e == Err::ok && d.announced) print("domain d{} {}: resumed by the control domain\n", d.id, d.name);
  return ret(e);
}

void getdomaininfo(const Domain& d, abi::DomctlGetDomainInfo& info) {
  info = abi::DomctlGetDomainInfo{};
  info.domain = d.id;
  info.flags = dominfo_flags(d);
  info.tot_pages = d.memory.frames;
  info.max_pages = d.memory.limit;
  info.shared_info_frame = d.shared_info_frame / page;
  info.cpu_time = d.sched.run_ns;
  for (u32 i = 0; i < d.vcpu_count; ++i) info.nr_online_vcpus += d.vcpus[i].online ? 1 : 0;
  info.max_vcpu_id = d.vcpu_count - 1;
}

/// hv_restore_stream: the new domain's ID goes back in the record; the caller that cannot learn it does not
/// keep it.
i64 restore_stream(HypercallEnv& env, const GuestMemory& guest, const Vcpu& vcpu, abi::Domctl& op, u64 arg) {
  if (env.builder.restore_stream == nullptr) return enosys;
  // As createdomain in the family: a domain ID below the reserved ones is the one asked for.
  abi::domid_t id = op.domain < abi::domid_first_reserved ? op.domain : abi::domid_t{0};
  const i64 e = env.builder.restore_stream(env.builder.context, vcpu, op.u.save_stream, id);
  if (e != 0) return e;
  op.domain = id;
  if (!guest.write(arg, op)) {
    if (Domain* d = env.domains.find(id); d != nullptr) env.domains.destroy(*d);
    return efault;
  }
  return 0;
}

/// Whether domctl `cmd` must wait until no other CPU holds an exit of its target unhandled (see
/// hypercall_again): those that pause, change or read the target's vCPUs or state. The dirty log's
/// operations and the reads of a snapshot do not: an exit handled after them is seen as one made after
/// them (a write fault after a clean belongs to the next round), and they are what a live migration makes
/// over and over while its guest faults on every page it writes; waiting for a moment with no fault of
/// that guest in flight made them wait for seconds on an emulator whose CPUs take turns on fewer host ones.
bool waits_for_exits(u32 cmd) {
  return cmd != abi::domctl::shadow_op && cmd != abi::domctl::getdomaininfo &&
         cmd != abi::domctl::get_paging_mempool_size;
}

} // namespace

i64 domctl(HypercallEnv& env, Domain& caller, Vcpu& vcpu, u64 arg, u64, u64) {
  if (!caller.privileged) return ret(Err::perm);
  DomainTable& table = env.domains;
  const GuestMemory guest(vcpu);
  abi::Domctl op{};
  if (!guest.read(arg, op)) return efault;
  if (op.interface_version != abi::domctl_interface_version) return ret(Err::acces);
  if (op.cmd == abi::domctl::createdomain) return createdomain(table, guest, op, arg);
  if (op.cmd == abi::domctl::hv_restore_stream) return restore_stream(env, guest, vcpu, op, arg);

  Domain* d = table.resolve(caller, op.domain);
  if (d == nullptr) return ret(Err::srch);
  if (d != &caller && waits_for_exits(op.cmd) && env.builder.exit_in_flight != nullptr &&
      env.builder.exit_in_flight(env.builder.context, *d)) [[unlikely]]
    return hypercall_again;
  switch (op.cmd) {
  case abi::domctl::destroydomain:
    if (d == &caller) return einval;
    table.destroy(*d);
    return 0;
  case abi::domctl::pausedomain: return d == &caller ? einval : ret(table.pause(*d));
  case abi::domctl::unpausedomain:
    if (d == &caller) return einval;
    return d->state == DomainState::created ? start(env, *d) : ret(table.unpause(*d));
  case abi::domctl::resumedomain: return d == &caller ? einval : resume(table, *d);
  case abi::domctl::getdomaininfo: getdomaininfo(*d, op.u.getdomaininfo); return guest.write(arg, op) ? 0 : efault;
  case abi::domctl::max_mem: table.set_max_pages(*d, op.u.max_mem.max_memkb / (page / 1024)); return 0;
  case abi::domctl::max_vcpus: return ret(table.set_max_vcpus(*d, op.u.max_vcpus.max));
  case abi::domctl::setvcpucontext:
    if (d == &caller || op.u.vcpucontext.vcpu >= d->vcpu_count) return einval;
    if (env.builder.set_vcpu_context == nullptr) return enosys;
    return env.builder.set_vcpu_context(env.builder.context, d->vcpus[op.u.vcpucontext.vcpu], vcpu,
                                        op.u.vcpucontext.ctxt);
  case abi::domctl::hv_save_stream: {
    if (d == &caller) return einval;
    if (env.builder.save_stream == nullptr) return enosys;
    abi::DomctlSaveStream& piece = op.u.save_stream;
    const i64 copied = env.builder.save_stream(env.builder.context, *d, vcpu, piece, piece.size);
    if (copied < 0) return copied;
    return guest.write(arg, op) ? copied : efault;
  }
  case abi::domctl::shadow_op: {
    if (d == &caller) return einval;
    if (env.builder.shadow_op == nullptr) return ret(Err::opnotsupp);
    const i64 r = env.builder.shadow_op(env.builder.context, *d, vcpu, op.u.shadow);
    if (r < 0) return r;
    return guest.write(arg, op) ? r : efault;
  }
  case abi::domctl::hv_adopt_peers: {
    const abi::domid_t predecessor = op.u.adopt_peers.predecessor;
    if (predecessor >= abi::domid_first_reserved || predecessor == d->id) return einval;
    if (table.find(predecessor) != nullptr) return ret(Err::exist);
    return evtchn::adopt_peers(table, *d, predecessor);
  }
  case abi::domctl::get_paging_mempool_size:
    op.u.paging_mempool.size = d->overhead.frames * page;
    return guest.write(arg, op) ? 0 : efault;
  default: return enosys;
  }
}

} // namespace hv::hypercalls

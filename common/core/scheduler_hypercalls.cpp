// SPDX-License-Identifier: Apache-2.0
// sched_op (29): (cmd, arg), a vCPU giving up the CPU or its domain stopping.
// SCHEDOP_yield: the caller goes behind every runnable domain at the next schedule. SCHEDOP_block: the
// vCPU blocks until an event (returns at once if one waits). SCHEDOP_shutdown: the domain stops with the
// SchedShutdown reason (-EINVAL for an unknown one). SCHEDOP_poll: returns at once when one of the named
// ports is pending or its timeout (system time, 0 for none) has passed, else blocks until the one port it
// names fires, masked or not (naming several, any event of the domain), an upcall comes, or the timeout;
// -EINVAL for more than 128 ports or a port past the domain's limit.
#include <hv/abi/hypercall.hpp>

#include "hypercall_family.hpp"

namespace hv::hypercalls {
namespace {

[[gnu::noinline]] i64 sched_poll(HypercallEnv& env, Domain& caller, Vcpu& vcpu, u64 arg) {
  u64 ports = 0, nr = 0, timeout = 0;
  if (!read_sized<abi::SchedPoll>(vcpu, arg, [&](const auto& p) {
        ports = p.ports;
        nr = p.nr_ports;
        timeout = p.timeout;
      }))
    return efault;
  if (nr > abi::sched_poll_max_ports) return einval;
  const GuestMemory guest(vcpu);
  bool pending = false;
  abi::evtchn_port_t port = 0;
  for (u64 i = 0; i < nr; ++i) {
    u64 at = 0;
    if (!GuestMemory::element(ports, i, sizeof port, at) || !guest.read(at, port)) return efault;
    if (port >= caller.events.limit) return einval;
    pending = pending || caller.shared_info.test_pending(port);
  }
  if (pending) return 0;
  VcpuTimers* timers = env.timers;
  if (timeout != 0 && timers != nullptr && timeout <= timers->now_of(caller)) return 0;
  if (!env.domains.vcpu_block(vcpu)) return 0;
  vcpu.polling = nr == 1 ? i64{port} : Vcpu::any_port;
  if (timeout != 0 && timers != nullptr) timers->wake_at(vcpu, VcpuTimers::from_guest(caller, timeout));
  return 0;
}

} // namespace

i64 sched_op(HypercallEnv& env, Domain& caller, Vcpu& vcpu, u64 cmd, u64 arg, u64) {
  switch (cmd) {
  case abi::schedop::yield:
    if (env.scheduler != nullptr) env.scheduler->yield(vcpu.sched.cpu);
    return 0;
  case abi::schedop::block: env.domains.vcpu_block(vcpu); return 0;
  case abi::schedop::shutdown: {
    abi::SchedShutdown s{};
    if (!GuestMemory(vcpu).read(arg, s)) return efault;
    return ret(env.domains.shutdown(caller, static_cast<abi::ShutdownReason>(s.reason)));
  }
  case abi::schedop::poll: return sched_poll(env, caller, vcpu, arg);
  default: return enosys;
  }
}

} // namespace hv::hypercalls

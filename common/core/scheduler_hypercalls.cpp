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
  abi::evtchn_port_t port = 0;
  // Whether one of the named ports is pending; false with `bad` set for a list that cannot be read or
  // names a port past the domain's limit.
  const auto any_pending = [&](i64& bad) {
    bool pending = false;
    for (u64 i = 0; i < nr; ++i) {
      u64 at = 0;
      if (!GuestMemory::element(ports, i, sizeof port, at) || !guest.read(at, port)) {
        bad = efault;
        return false;
      }
      if (port >= caller.events.limit) {
        bad = einval;
        return false;
      }
      pending = pending || caller.shared_info.test_pending(port);
    }
    return pending;
  };
  i64 bad = 0;
  if (any_pending(bad) || bad != 0) return bad;
  VcpuTimers* timers = env.timers;
  if (timeout != 0 && timers != nullptr && timeout <= timers->now_of(caller)) return 0;
  // What it waits for is said before it blocks, and the ports are read again after: a send on another CPU
  // sets the pending bit before it reads `polling` (event_channel.cpp), so that one of the two sees the
  // other and the wake-up is not lost.
  __atomic_store_n(&vcpu.polling, nr == 1 ? i64{port} : Vcpu::any_port, __ATOMIC_SEQ_CST);
  if (!env.domains.vcpu_block(vcpu)) {
    __atomic_store_n(&vcpu.polling, Vcpu::not_polling, __ATOMIC_RELAXED);
    return 0;
  }
  if (any_pending(bad)) {
    env.domains.vcpu_kick(vcpu);
    return 0;
  }
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

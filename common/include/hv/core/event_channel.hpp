// SPDX-License-Identifier: Apache-2.0
// Event channels with the semantics of the family's 2-level ABI.
//
// A port is a per-domain number. Its state is closed, unbound (waiting for a named domain to bind),
// interdomain (connected to a port of another, or the same, domain), virq (raised by the hypervisor) or
// ipi (a domain notifying one of its own vCPUs). An interdomain port whose peer is DOMID_XEN is bound to
// the hypervisor itself, the backend of a ring it provides (the console ring, hv/core/console_ring.hpp):
// a send on it reaches that backend. Sending sets the port's bit in shared_info's
// evtchn_pending; unless the port is masked, that sets the word's bit in the notified vCPU's
// evtchn_pending_sel and its evtchn_upcall_pending, and the first upcall_pending wakes a blocked vCPU.
//
// Port 0 is never handed out (guests use 0 as "no port"). Ports become valid in buckets of 64: a port
// above every bucket ever used is invalid (-EINVAL), one inside a used bucket is merely closed.
// Every misuse is the ABI's error code, never a panic; each function below says which.
//
// Calls come from hypercalls (the caller is the domain whose vCPU made the call) and from the
// hypervisor itself (send_virq), on any physical CPU at once. Each domain's ports are guarded by its own
// lock (EventChannels::lock): an operation takes the lock of the domain whose ports it changes or reads,
// and one that changes both ends of an interdomain channel (bind_interdomain, close) takes both, the
// lower domain ID's first. A send takes the sender's lock alone: the peer it reaches stays alive and
// connected while it is held, since closing the channel from either end, and so destroying the peer,
// needs that lock too. The peer's bits in shared_info are set with atomics, so a send never waits for
// the peer's lock. Under these locks only the scheduler's queue locks and the console's are taken.
#pragma once

#include <hv/abi/errno.hpp>
#include <hv/abi/event_channel.hpp>
#include <hv/core/limits.hpp>
#include <hv/core/result.hpp>
#include <hv/spinlock.hpp>

namespace hv {

struct Domain;
class DomainTable;

/// One port's state. `remote_port` holds the peer port (interdomain) or the VIRQ number (virq).
struct Channel {
  abi::EvtchnStat state = abi::EvtchnStat::closed;
  abi::domid_t remote_dom = abi::domid_invalid; ///< unbound: who may bind; interdomain: the peer
  u32 remote_port = 0;
  u32 notify_vcpu = 0; ///< read by a peer's send without this domain's lock (atomic)
  /// interdomain: the peer itself while connected (null for DOMID_XEN), so that a send reaches it
  /// without a lookup in the domain table.
  Domain* peer = nullptr;
};

/// A domain's ports. `limit` is the domain's own port count (at most the ABI's for its word size).
struct EventChannels {
  static constexpr u32 bucket = 64;
  u32 limit = 0;
  u32 valid = bucket; ///< ports below this are valid (port 0's bucket always is)
  /// Guards `valid`, `ports` and the domain's vCPUs' virq_port (see the header's comment).
  SpinLock lock;
  Channel ports[limits::max_evtchn_ports];
};

namespace evtchn {

/// EVTCHNOP_alloc_unbound. -ESRCH: `dom` does not exist; -EPERM: `dom` is another domain and the caller
/// is not privileged; -ENOSPC: no free port below the domain's limit. `remote_dom` is recorded, not
/// looked up (the ABI lets a port wait for a domain that does not exist yet); DOMID_SELF means the caller.
Err alloc_unbound(DomainTable& table, Domain& caller, abi::EvtchnAllocUnbound& op);
/// EVTCHNOP_bind_interdomain. -ESRCH: no such remote domain; -ENOSPC: no free local port; -EINVAL: the
/// remote port is invalid, not unbound, or waiting for another domain. The new local port is set
/// pending, since a notification sent before the bind would otherwise be lost.
Err bind_interdomain(DomainTable& table, Domain& caller, abi::EvtchnBindInterdomain& op);
/// EVTCHNOP_bind_virq. -EINVAL: no such VIRQ, or a global VIRQ on a vCPU other than 0; -ENOENT: no such
/// vCPU; -EEXIST: the VIRQ is already bound on that vCPU; -ENOSPC: no free port.
Err bind_virq(Domain& caller, abi::EvtchnBindVirq& op);
/// EVTCHNOP_bind_ipi. -ENOENT: no such vCPU; -ENOSPC: no free port.
Err bind_ipi(Domain& caller, abi::EvtchnBindIpi& op);
/// EVTCHNOP_close. -EINVAL: invalid or already closed port. An interdomain peer's port goes back to
/// unbound (bindable again by this domain), as the ABI says.
Err close(DomainTable& table, Domain& caller, u32 port);
/// EVTCHNOP_send. -EINVAL: invalid port, or one that cannot be sent on (closed, virq). Sending on an
/// unbound port is silently dropped (0); on a port bound to the hypervisor, its backend runs (the console
/// ring is drained).
Err send(DomainTable& table, Domain& caller, u32 port);
/// EVTCHNOP_status. -EPERM: another domain's port and the caller is not privileged; -ESRCH: no such
/// domain; -EINVAL: invalid port.
Err status(DomainTable& table, Domain& caller, abi::EvtchnStatus& op);
/// EVTCHNOP_unmask: clears the mask bit; if the port was pending, delivers it now. -EINVAL: invalid port.
Err unmask(DomainTable& table, Domain& caller, u32 port);
/// EVTCHNOP_bind_vcpu. -ENOENT: no such vCPU; -EINVAL: invalid port, or a state whose vCPU is fixed
/// (per-vCPU VIRQ, IPI, closed).
Err bind_vcpu(Domain& caller, abi::EvtchnBindVcpu& op);

/// A fresh port of `d` bound to the hypervisor (the console ring's backend): an interdomain port whose
/// peer is DOMID_XEN. Err::nospc when no port is free.
Result<u32> bind_hypervisor(Domain& d);

/// Raises `virq` in `domain`: per-vCPU VIRQs on `vcpu`, global ones on whichever vCPU they are bound to.
/// Nothing happens when the VIRQ is not bound.
void send_virq(DomainTable& table, Domain& domain, u32 virq, u32 vcpu = 0);
/// Closes every port of a domain that is going away (peers' ports go back to unbound).
void close_all(DomainTable& table, Domain& domain);
/// hv_adopt_peers: every unbound port, of any domain, that waits for `predecessor` (a domain destroyed
/// after it moved) waits for `successor` instead, so that the moved guest can bind again where its peers
/// wait, as it does after a save restored under its own ID. The caller (the control domain, on the
/// control path) makes sure `predecessor` is gone; the ports changed.
u32 adopt_peers(DomainTable& table, Domain& successor, abi::domid_t predecessor);

} // namespace evtchn
} // namespace hv

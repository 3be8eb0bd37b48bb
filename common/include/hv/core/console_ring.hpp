// SPDX-License-Identifier: Apache-2.0
// A domain's console ring with the hypervisor as its backend: the family's xencons_interface page
// (hv/abi/console.hpp) in the domain's own memory, and an event channel bound to the hypervisor, both
// announced through HVM_PARAM_CONSOLE_PFN and HVM_PARAM_CONSOLE_EVTCHN, so that a guest's ring console
// (Linux's hvc0) works with no control domain. When the guest notifies the channel, the hypervisor drains
// the out ring onto its console, line by line, each line prefixed "(dN) " as console_io's and the
// UART's are. Nothing is ever typed: the in ring stays empty.
//
// The page is ordinary guest memory, read and written through GuestMemory like any guest buffer: a guest
// that gives it back or scribbles on it harms only its own console. The channel is allocated the first
// time the guest (or the control domain) asks for it, so that a guest that never uses the ring keeps its
// port numbers as they were.
//
// Who calls: the run time sets the page when it builds a domain (the control domain gets none, as in the
// family, where it uses console_io); hvm_op allocates the channel; the event channels call drain() on a
// send, holding the domain's event lock, which serializes its vCPUs' drains; the run time drains and
// flushes once more when the domain goes.
#pragma once

#include <hv/guest/console_line.hpp>

namespace hv {

struct Domain;

struct ConsoleRing {
  static constexpr u64 none = ~u64{0};
  u64 gfn = none;      ///< the ring's page in the domain's memory; none: the domain has no ring
  u32 port = 0;        ///< its event channel, bound to the hypervisor; 0 until first asked for
  ConsoleLine line{0}; ///< what the guest printed, gathered into lines
  bool present() const { return gfn != none; }
};

namespace console_ring {

/// The ring's event channel, bound to the hypervisor the first time (the lowest free port): 0 when the
/// domain has no ring or no free port.
u32 port(Domain& d);
/// The guest notified the channel, or the domain is going: prints what the out ring holds (at most its
/// 2,048 bytes: a producer index further ahead than that only skips what was overwritten) and moves the
/// consumer index up to the producer's. Nothing happens when the page cannot be read.
void drain(Domain& d);
/// The guest closed the ring's channel: a later request allocates another.
void closed(Domain& d, u32 port);

} // namespace console_ring
} // namespace hv

// SPDX-License-Identifier: Apache-2.0
// A guest's side of being saved and restored with an inter-domain channel open: it suspends itself
// (SCHEDOP_shutdown, SHUTDOWN_suspend) at a point where no event of the channel is in flight, and when the
// call returns in a restored or migrated domain it binds again to the port its peer kept (docs/lifecycle.md,
// "Channels across a save").
#include "guest.hpp"

namespace guest {
namespace {
constexpr u64 rebind_attempts = 100'000;
} // namespace

long port_status(u32 port, hv::abi::EvtchnStatus& out) {
  out = hv::abi::EvtchnStatus{};
  out.dom = hv::abi::domid_self;
  out.port = port;
  return hypercall(hv::abi::hypercall::event_channel_op, hv::abi::evtchnop::status, address(&out));
}

long close_port(u32 port) {
  hv::abi::EvtchnSend op{port}; // close carries one port, as send does
  return hypercall(hv::abi::hypercall::event_channel_op, hv::abi::evtchnop::close, address(&op));
}

u32 suspend_and_rebind(u32 port, EventHandler handler) {
  hv::abi::EvtchnStatus before{};
  expect("evtchn status of the channel before the suspend", port_status(port, before), 0);
  expect("the channel is connected before the suspend", before.status,
         static_cast<i64>(hv::abi::EvtchnStat::interdomain));
  const hv::abi::domid_t peer = before.u.interdomain.dom;
  const u32 peer_port = before.u.interdomain.port;
  hv::abi::SchedShutdown reason{static_cast<u32>(hv::abi::ShutdownReason::suspend)};
  expect("SCHEDOP_shutdown(suspend)",
         hypercall(hv::abi::hypercall::sched_op, hv::abi::schedop::shutdown, address(&reason)), 0);
  hv::abi::EvtchnStatus after{};
  expect("evtchn status of the channel after the suspend", port_status(port, after), 0);
  if (after.status == static_cast<u32>(hv::abi::EvtchnStat::interdomain)) return port; // resumed where it was
  // Restored: the port came back waiting for the peer, and the peer's port waits for this domain's ID.
  on_event(port, nullptr);
  expect("close of the stale port", close_port(port), 0);
  // The peer's port waits for this domain's ID: at once after a save restored under the same ID; after a
  // live migration to a new ID, once the control domain destroyed the source and handed this domain the
  // ports that waited for it (hv_adopt_peers), which it does after this domain already runs.
  long again = -1;
  for (u64 attempt = 0; attempt < rebind_attempts && again < 0; ++attempt) {
    again = bind_interdomain(peer, peer_port);
    if (again < 0) yield();
  }
  if (again < 0) fail("bind_interdomain to the peer's kept port", again, 0);
  discard_pending(static_cast<u32>(again)); // the bind's own notification, not the peer's
  on_event(static_cast<u32>(again), handler);
  return static_cast<u32>(again);
}

} // namespace guest

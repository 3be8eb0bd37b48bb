// SPDX-License-Identifier: Apache-2.0
// pong: connects to the port its peer offered (retrying until the peer has offered it), says so with
// one event, then answers each event with one. Powers off after `count` answers.
// With `suspend=K` it suspends itself for the control domain to save once the K-th event (counted from 0)
// has come, before answering it (nothing in flight), and binds again if it comes back restored
// (suspend_and_rebind). Command line: peer=<domid> port=<peer's port> count=<n> [suspend=K] [bench].
#include "../lib/guest.hpp"

namespace guest {
namespace {
volatile u64 received = 0;
void on_ping(u32) { received = received + 1; }
constexpr u64 connect_attempts = 100'000;
} // namespace

void guest_main() {
  const auto peer = static_cast<hv::abi::domid_t>(option("peer", 1));
  const u64 count = option("count", 1000);
  const u64 suspend_at = option("suspend", ~u64{0});
  events_init();
  long port = -1;
  for (u64 attempt = 0; attempt < connect_attempts && port < 0; ++attempt) {
    port = bind_interdomain(peer, static_cast<u32>(option("port", 1)));
    if (port < 0) yield(); // the peer has not offered it yet
  }
  if (port < 0) fail("bind_interdomain", port, 1);
  // Binding left the port pending; that is not a ping. Nothing else can arrive before "connected".
  discard_pending(static_cast<u32>(port));
  on_event(static_cast<u32>(port), on_ping);
  Line() << "pong: connected to d" << static_cast<u32>(peer) << " on local port " << port;
  expect("send", send(static_cast<u32>(port)), 0);

  for (u64 i = 0; i < count; ++i) {
    while (received <= i) wait_for_event();
    if (has_option("verbose")) Line() << "pong: round " << i << " received " << received;
    if (i == suspend_at) {
      port = suspend_and_rebind(static_cast<u32>(port), on_ping);
      Line() << "pong: back from the suspend after " << received << " events, on port " << port;
    }
    expect("send", send(static_cast<u32>(port)), 0);
  }
  Line() << "pong: " << count << " events from d" << static_cast<u32>(peer) << ", each answered";
  if (has_option("bench")) Line() << "bench: last event's upcall entered at " << last_upcall_time();
}

} // namespace guest

// SPDX-License-Identifier: Apache-2.0
// ping: offers an event channel to its peer, waits for the peer to connect (its first event), then
// bounces `count` events: send one, wait for the answer. Powers off when every answer came, crashes
// otherwise. With `suspend=K` it suspends itself for the control domain to save once K answers are in,
// before the next send (nothing in flight), and binds again if it comes back restored (suspend_and_rebind).
// Command line: peer=<domid> count=<n> [suspend=K] [bench].
#include "../lib/guest.hpp"

namespace guest {
namespace {
volatile u64 answers = 0;
void on_answer(u32) { answers = answers + 1; }
} // namespace

void guest_main() {
  const auto peer = static_cast<hv::abi::domid_t>(option("peer", 2));
  const u64 count = option("count", 1000);
  events_init();
  const u64 suspend_at = option("suspend", ~u64{0});
  const long offered = alloc_unbound(peer);
  if (offered < 0) fail("alloc_unbound", offered, 1);
  u32 port = static_cast<u32>(offered);
  on_event(port, on_answer);
  Line() << "ping: port " << port << " offered to d" << static_cast<u32>(peer) << ", " << count << " events to bounce";

  while (answers == 0) wait_for_event(); // the peer's "connected"
  u64 sent_at = 0;
  for (u64 i = 0; i < count; ++i) {
    if (i == suspend_at) {
      port = suspend_and_rebind(port, on_answer);
      Line() << "ping: back from the suspend after " << i << " answers, on port " << port;
    }
    const u64 before = answers;
    sent_at = arch::timestamp();
    expect("send", send(port), 0);
    while (answers == before) wait_for_event();
    if (has_option("verbose")) Line() << "ping: round " << i << " answers " << answers;
  }
  expect("answers", static_cast<i64>(answers), static_cast<i64>(count + 1));
  Line() << "ping: " << count << " events bounced off d" << static_cast<u32>(peer) << ", every one answered";
  if (has_option("bench")) Line() << "bench: last event sent at " << sent_at;
}

} // namespace guest

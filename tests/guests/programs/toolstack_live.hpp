// SPDX-License-Identifier: Apache-2.0
// The test toolstack's live migration between two machines that map the same transfer window
// (docs/migration-link.md): the sender's pre-copy rounds and the receiver's building of the destination run
// as in one machine (migration.hpp), over a ring in the window (window_link.hpp).
#pragma once

#include "../lib/guest.hpp"

namespace guest::live {

/// send_live=N: holds domain N paused until the other machine listens, lets it run `wait=K` yields, then
/// migrates it live over the window: rounds until fewer than `small=P` pages (default 64) were dirtied or
/// `rounds=R` (default 30) were made, then paused, the last pages and its state. Once the other machine
/// says it restored the domain, hands it over and destroys it here; when the link stalls for `stall_ms`
/// (default 10000) or no word comes within `answer_ms` (default 10000), withdraws and runs it on here.
void send(hv::abi::domid_t source);

/// receive_live: says it listens, builds the destination from what arrives, restores its state, says so,
/// and unpauses it only once the sender handed it over; then waits until it shut down and destroys it.
/// `linger_at=BYTES linger_ms=T`: after BYTES of the stream it stops reading for T ms (a receiver slow to
/// read, so that a scenario can cut the link while the stream is under way).
void receive();

} // namespace guest::live

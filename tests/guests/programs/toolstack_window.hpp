// SPDX-License-Identifier: Apache-2.0
// The test toolstack's use of the transfer window (docs/migration-link.md): suspend to disk and resume in
// a later boot, and a cold migration between two machines that map the same window. Its own file, beside toolstack.cpp,
// which calls it for `suspend=N` and `resume`.
#pragma once

#include "../lib/guest.hpp"

namespace guest::window {

/// suspend=N: lets domain N run `wait=K` yields, pauses it, saves its stream (hv_save_stream) into this
/// domain's memory and from there into the transfer window behind a header, destroys it, and returns
/// (the toolstack then powers off, and the machine stops).
void suspend(hv::abi::domid_t target);

/// resume: finds a stream in the transfer window that a suspend left (header checked: magic, version,
/// length, checksum), restores it (hv_restore_stream), unpauses the domain, waits until it shut down and
/// destroys it. A window that holds no stream, or a wrong one, is refused with a line that says why
/// (`toolstack: resume refused: <reason>`), and the toolstack returns.
void resume();

/// send=N: a cold migration's source, with a toolstack running `receive` on another machine that maps the
/// same window: waits until the receiver says it listens, lets domain N run `wait=K` yields, pauses it and
/// writes its stream to the window as suspend does; then waits `answer_ms=T` (default 10000) of its system
/// time for the receiver's answer. Restored there: the domain is destroyed here. No answer, or a refusal:
/// the domain is unpaused here and runs on to its end (the link was cut; nothing is lost).
void send(hv::abi::domid_t target);

/// receive: a cold migration's destination: says it listens, waits for a stream in the window, restores
/// it, answers the sender, unpauses the domain, waits until it shut down and destroys it.
void receive();

/// Waits until `done` holds or `ms` of system time (its PV clock: events_init first) passed, yielding
/// between looks; whether it held.
template <class F> bool wait_for(u64 ms, F done) {
  const u64 until = system_time() + ms * 1'000'000;
  while (!done()) {
    if (system_time() > until) return done(); // a last look: this vCPU may not have run for a while
    yield();
  }
  return true;
}

/// Waits until running domain `d` shut down and destroys it (one that powered off and is gone already, as
/// a domain of the boot is, it only reports): its line says which.
void finish(hv::abi::domid_t d);

} // namespace guest::window

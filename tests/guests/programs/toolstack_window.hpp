// SPDX-License-Identifier: Apache-2.0
// The test toolstack's use of the transfer window (docs/migration-link.md): suspend to disk and resume in
// a later boot. Its own file, beside toolstack.cpp, which calls it for `suspend=N` and `resume`.
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

} // namespace guest::window

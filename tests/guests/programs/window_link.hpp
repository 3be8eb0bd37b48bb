// SPDX-License-Identifier: Apache-2.0
// The live migration's link between two machines (docs/migration-link.md): a ring of bytes in the transfer
// window that both machines map, with flow control (the window is smaller than the guest), and the words
// by which the destination says it restored the domain and the source hands it over, so that the domain
// never runs on both machines.
#pragma once

#include "migration.hpp"

namespace guest::window_link {

/// One machine's end of the ring. The sender alone writes `head` and the hand-over word; the receiver
/// alone writes `tail`, the listening word and the ready word: each word has one writer, and each index
/// is published only after the bytes it covers.
struct Link {
  u8* window = nullptr;
  u64 window_bytes = 0;
  u64 stall_ms = 10000;             ///< how long a write waits for room, or a read for its bytes, before the link is
                                    ///< taken for broken
  u64 answer_ms = 10000;            ///< how long the sender waits for the receiver's word once the stream is sent,
                                    ///< counted from the receiver's last read
  u64 handover_ms = 60000;          ///< how long the receiver waits for the sender's decision; longer than answer_ms,
                                    ///< so that a sender still alive always decides first
  u64 written = 0;                  ///< bytes this end wrote (the sender) or read (the receiver)
  u64 waits = 0;                    ///< polls that found the ring full (sender) or short (receiver)
  bool stalled = false;             ///< a read or write gave up after stall_ms
  u64 linger_at = 0, linger_ms = 0; ///< a test's slow receiver: once it read linger_at bytes (0: never), it
                                    ///< stops reading for linger_ms and says so
  migration::Transport transport();
};

/// The window's words and ring (offsets in the window; the header page's first 64 bytes and its words at
/// 64 and 72 are the cold migration's and suspend's, docs/migration-link.md).
constexpr u64 listening_offset = 64; // receiver: 1 once it polls the window
constexpr u64 head_offset = 128;     // sender: bytes of the stream published so far
constexpr u64 tail_offset = 136;     // receiver: bytes of it consumed so far
constexpr u64 ready_offset = 144;    // receiver: 1 destination restored (paused), 2 refused
constexpr u64 handover_offset = 152; // sender: 1 handed over (the source never runs again), 2 withdrawn
constexpr u64 ring_offset = 4096;    // the ring: from here to the window's end, a multiple of 8 bytes

/// The word at `offset` of the window, read and written whole.
inline volatile u64& word(u8* window, u64 offset) { return *reinterpret_cast<volatile u64*>(window + offset); }

} // namespace guest::window_link

// SPDX-License-Identifier: Apache-2.0
// Live migration by the test control domain (docs/migration.md): a sender that pre-copies a running
// domain's memory in rounds of its dirty pages (XEN_DOMCTL_shadow_op), then pauses it and sends what is
// left and its state, and a receiver that builds the destination domain from what arrives; the two talk
// only through a Transport, a byte stream one way and a confirmation back, so that the same sender and
// receiver run in one machine (a buffer in memory: migrate-local) or on two (a link between them).
#pragma once

#include "../lib/guest.hpp"

namespace guest::migration {

/// The link between sender and receiver. write() appends bytes to the stream (false: the link is broken,
/// and the sender gives up, keeping its domain); read() hands out up to `most` bytes that arrived (0: none
/// yet; the receiver reads a record's head and then its payload, and a link must hand over a record
/// whole once its head arrived: in one machine the sender writes each record before it lets the receiver
/// run, and between machines the link waits for all `most` bytes or gives none);
/// confirm() is the receiver's word that the destination is restored, confirmed() the sender's reading of
/// it (false: refused, or no word in time).
///
/// Between two machines the destination must not run before the source is gone for good (a double run),
/// so a link there also carries the sender's decision back: hand_over(true) once it confirmed and will
/// never run the source again, hand_over(false) when it gave up and runs it on; handed_over() is the
/// receiver's wait for that decision, and the destination is unpaused only on true. In one machine (both
/// null) the receiver unpauses at once and then confirms.
struct Transport {
  bool (*write)(void* self, const void* bytes, u64 length);
  u64 (*read)(void* self, void* out, u64 most);
  void (*confirm)(void* self);
  bool (*confirmed)(void* self);
  void* self;
  void (*hand_over)(void* self, bool go) = nullptr;
  bool (*handed_over)(void* self) = nullptr;
  /// Waits until `bytes` can be written without waiting: 0 the link stalled, 1 room at once, 2 room after
  /// waiting (the sender yielded, and its source may have run, even to its end). Null: never waits.
  u32 (*room)(void* self, u64 bytes) = nullptr;
};

/// What the sender measured, for the figures (docs/performance.md).
struct Figures {
  static constexpr u32 most_rounds = 32;
  u32 rounds = 0;                  ///< pre-copy rounds, the first (every page) included
  u64 pages[most_rounds + 1] = {}; ///< pages sent in each round; the last entry: those sent while paused
  u64 bytes = 0;                   ///< bytes written to the link
  u64 started_ns = 0, paused_ns = 0, confirmed_ns = 0; ///< the toolstack's system time at each step
  u64 sent_ns = 0;          ///< when the end record was written (the last byte of the stream)
  u64 handed_ns = 0;        ///< when it confirmed and handed over (before the source is destroyed)
  bool source_gone = false; ///< the source shut down before it moved (the sender gave up)
};

/// The receiver's side: what it made of the stream so far.
class Receiver {
public:
  explicit Receiver(Transport link) : link_(link) {}
  /// Reads and applies everything that arrived. False when the stream is broken (a record it cannot
  /// apply); the destination, if made, is destroyed then.
  bool pump();
  /// The destination domain, once made (0 before).
  hv::abi::domid_t destination() const { return destination_; }
  /// Whether the destination was restored, unpaused and confirmed.
  bool done() const { return done_; }
  /// Whether the stream was refused (the destination, if made, destroyed).
  bool broken() const { return broken_; }
  /// The toolstack's system time when the destination was unpaused, when the domain state record was
  /// whole (the restore began), when the sender's hand-over was seen (0 on a link without one).
  u64 resumed_ns() const { return resumed_ns_; }
  u64 state_ns() const { return state_ns_; }
  u64 handover_seen_ns() const { return handover_seen_ns_; }
  /// When it said the destination was restored (before the hand-over, on a link with one).
  u64 ready_ns() const { return ready_ns_; }
  /// Rounds whose end arrived (the pre-copy rounds).
  u32 rounds() const { return rounds_; }

  /// Gives up on the stream (the link broke, or the sender gave up): the destination, if made, destroyed.
  bool abandon() { return fail_stream(); }

private:
  bool apply(u32 type, const u8* payload, u64 length);
  bool flush_pages();
  bool fail_stream();
  Transport link_;
  hv::abi::domid_t destination_ = 0;
  bool head_seen_ = false, done_ = false, broken_ = false;
  u64 resumed_ns_ = 0, state_ns_ = 0, handover_seen_ns_ = 0, ready_ns_ = 0;
  u32 rounds_ = 0;
};

/// Migrates running `source` through `link`: log-dirty on, every page, then rounds of the dirty pages
/// while it runs until fewer than `small` are dirty or `most_rounds` were made, then paused: the last
/// dirty pages and its state. `pump` lets the receiver run between pieces when both are in one program
/// (null on a real link). The source is destroyed only once the receiver confirmed; a broken link or a
/// receiver that never confirms leaves it running where it was (log-dirty off, unpaused). Whether it
/// moved.
/// With `at_suspend`, the stop is the guest's own suspend (SCHEDOP_shutdown, SHUTDOWN_suspend) instead of
/// a pause when the dirty set is small: the rounds go on until it suspended (or the round limit), and
/// the sender then waits for it; a guest that moves so returns from its suspend on the destination and
/// binds its channels again (docs/migration.md, "A pair with one end moved"). Given up, it is resumed
/// (resumedomain) where it was.
bool send(hv::abi::domid_t source, Transport link, u64 small, u32 most_rounds, Figures& figures,
          bool (*pump)(void* context), void* context, bool at_suspend = false);

/// Whether getdomaininfo's `flags` say the domain suspended itself (shut down for suspend, not dying).
bool suspended_flags(u32 flags);

/// A transport over a buffer of this domain's memory, for sender and receiver in one program; `cut_at`
/// bytes into the stream (0: never) the link breaks, as a cut cable would.
struct MemoryLink {
  u8* buffer;
  u64 capacity;
  u64 head = 0, tail = 0; ///< bytes [tail, head) wait for the receiver
  u64 written = 0, cut_at = 0;
  bool confirmed_flag = false;
  Transport transport();
};

} // namespace guest::migration

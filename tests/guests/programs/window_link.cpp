// SPDX-License-Identifier: Apache-2.0
// The ring in the transfer window (window_link.hpp). Both machines run under their own emulator at their own
// pace, so every wait polls the other side's word, yields, and gives up after a time-out of its own system
// time: a machine that died (a cut link) is only ever seen as one that stopped answering.
#include "window_link.hpp"

namespace guest::window_link {
namespace {

u64 ring_bytes(const Link& l) { return (l.window_bytes - ring_offset) / 8 * 8; }

/// Waits until `done` holds or `ms` of system time passed; whether it held. `waits` counts the polls that
/// had to wait. It reads the word many times between two yields: a yield is an exit, which under an
/// emulator costs far more than the reads, and the other machine's word changes at the other emulator's
/// pace.
template <class F> bool wait_for(u64 ms, u64& waits, F done) {
  constexpr u32 reads_per_yield = 1000;
  if (done()) return true;
  const u64 until = system_time() + ms * 1'000'000;
  for (;;) {
    for (u32 i = 0; i < reads_per_yield; ++i)
      if (done()) return true;
    // A last look before giving up: this vCPU may not have run for most of the wait (a host that
    // starves its emulator's thread), and the other side may have answered meanwhile.
    if (system_time() > until) return done();
    ++waits;
    yield();
  }
}

/// Copies between the ring and this domain's memory: a doubleword at a time where both ends are aligned
/// (a page of the stream always is: records are padded to 8 bytes), a byte at a time otherwise.
void copy(volatile u8* to, const volatile u8* from, u64 length) {
  u64 i = 0;
  if (((reinterpret_cast<ulong>(to) | reinterpret_cast<ulong>(from)) & 7) == 0)
    for (; i + 8 <= length; i += 8)
      *reinterpret_cast<volatile u64*>(to + i) = *reinterpret_cast<const volatile u64*>(from + i);
  for (; i < length; ++i) to[i] = from[i];
}

bool write(Link& l, const u8* bytes, u64 length) {
  const u64 size = ring_bytes(l);
  volatile u64& head = word(l.window, head_offset);
  const volatile u64& tail = word(l.window, tail_offset);
  u8* const ring = l.window + ring_offset;
  while (length != 0) {
    if (!wait_for(l.stall_ms, l.waits, [&] { return head - tail < size; })) {
      l.stalled = true;
      return false;
    }
    const u64 h = head, room = size - (h - tail), at = h % size;
    u64 n = length < room ? length : room;
    if (n > size - at) n = size - at; // up to the ring's end; the rest from its start
    copy(ring + at, bytes, n);
    __atomic_thread_fence(__ATOMIC_SEQ_CST); // the bytes before the index that covers them
    head = h + n;
    bytes += n;
    length -= n;
    l.written += n;
  }
  return true;
}

u32 room(Link& l, u64 bytes) {
  const u64 size = ring_bytes(l);
  const volatile u64& head = word(l.window, head_offset);
  const volatile u64& tail = word(l.window, tail_offset);
  if (bytes > size) return 0;
  if (head - tail + bytes <= size) return 1;
  if (wait_for(l.stall_ms, l.waits, [&] { return head - tail + bytes <= size; })) return 2;
  l.stalled = true;
  return 0;
}

/// Waits for the receiver's ready word once the whole stream is published; whether it came. The time-out
/// counts from the receiver's last read, not from the end of the stream: a receiver whose emulator runs
/// slower than this one's may still be reading a ring that holds most of the stream, and a receiver that
/// is still reading is alive.
bool answered(Link& l) {
  const volatile u64& tail = word(l.window, tail_offset);
  u64 ignored = 0;
  for (u64 seen = tail;;) {
    if (wait_for(l.answer_ms, ignored, [&] { return word(l.window, ready_offset) != 0 || tail != seen; }) == false)
      return false;
    if (word(l.window, ready_offset) != 0) return true;
    seen = tail;
  }
}

u64 read(Link& l, u8* out, u64 most) {
  const u64 size = ring_bytes(l);
  const volatile u64& head = word(l.window, head_offset);
  volatile u64& tail = word(l.window, tail_offset);
  const u8* const ring = l.window + ring_offset;
  if (most > size) return 0;
  if (l.linger_at != 0 && l.written >= l.linger_at) {
    Line() << "toolstack: read " << l.written << " bytes of the stream; reading no more for " << l.linger_ms << " ms";
    l.linger_at = 0;
    const u64 until = system_time() + l.linger_ms * 1'000'000;
    while (system_time() < until) yield();
  }
  // All or nothing: the receiver reads a record's head and then its payload whole, and a sender on another
  // machine may have published only part of either.
  if (!wait_for(l.stall_ms, l.waits, [&] { return head - tail >= most; })) {
    l.stalled = true;
    return 0;
  }
  __atomic_thread_fence(__ATOMIC_SEQ_CST); // the index before the bytes it covers
  const u64 t = tail, at = t % size, first = most < size - at ? most : size - at;
  copy(out, ring + at, first);
  copy(out + first, ring, most - first);
  __atomic_thread_fence(__ATOMIC_SEQ_CST); // read before the room is given back
  tail = t + most;
  l.written += most;
  return most;
}

} // namespace

migration::Transport Link::transport() {
  return migration::Transport{
      [](void* self, const void* bytes, u64 length) {
        return write(*static_cast<Link*>(self), static_cast<const u8*>(bytes), length);
      },
      [](void* self, void* out, u64 most) { return read(*static_cast<Link*>(self), static_cast<u8*>(out), most); },
      [](void* self) { word(static_cast<Link*>(self)->window, ready_offset) = 1; },
      [](void* self) {
        auto& l = *static_cast<Link*>(self);
        return answered(l) && word(l.window, ready_offset) == 1;
      },
      this,
      [](void* self, bool go) { word(static_cast<Link*>(self)->window, handover_offset) = go ? 1 : 2; },
      [](void* self) {
        auto& l = *static_cast<Link*>(self);
        u64 ignored = 0;
        return wait_for(l.handover_ms, ignored, [&] { return word(l.window, handover_offset) != 0; }) &&
               word(l.window, handover_offset) == 1;
      },
      [](void* self, u64 bytes) { return room(*static_cast<Link*>(self), bytes); },
  };
}

} // namespace guest::window_link

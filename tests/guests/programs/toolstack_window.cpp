// SPDX-License-Identifier: Apache-2.0
// Suspend to disk and resume through the transfer window. See toolstack_window.hpp.
//
// The window's layout (docs/migration-link.md), every number in this guest's byte order:
//   0   8  magic "HVSUSPND"
//   8   4  version 1
//   12  4  where the stream starts (4096)
//   16  8  the stream's length
//   24  8  its checksum (64-bit FNV-1a of its bytes)
//   32  4  the saved domain's ID
//   36  4  reserved, 0
// The stream is written first and the header last, so that a suspend cut short leaves no header that
// names it. Between two machines (send, receive), the receiver's two words follow, each written by the
// receiver alone and read by the sender:
//   64  8  listening: 1 once the receiver polls the window
//   72  8  answer: 0 none yet, 1 restored (the sender may let its domain go), 2 refused
#include "toolstack_window.hpp"

#include <hv/abi/domctl.hpp>
#include <hv/abi/memory.hpp>

namespace guest::window {
namespace {

constexpr char magic[8] = {'H', 'V', 'S', 'U', 'S', 'P', 'N', 'D'};
constexpr u32 version = 1;
constexpr u64 stream_offset = 4096;
// The stream passes through [4 MiB, 7 MiB) of this domain's memory (the hypercalls copy to and from its
// RAM only), which the scenarios make 8 MiB.
constexpr ulong buffer_at = 4ul << 20, buffer_bytes = 3ul << 20;

struct Header {
  char magic[8];
  u32 version, stream_offset;
  u64 length, checksum;
  u32 domain, reserved;
};

hv::abi::Domctl op;

long domctl(u32 cmd, hv::abi::domid_t domain, const hv::abi::DomctlSaveStream* stream = nullptr) {
  op = hv::abi::Domctl{};
  op.cmd = cmd;
  op.interface_version = hv::abi::domctl_interface_version;
  op.domain = domain;
  if (stream != nullptr) op.u.save_stream = *stream;
  return hypercall(hv::abi::hypercall::domctl, address(&op));
}

u64 checksum(const u8* bytes, u64 length) {
  u64 h = 0xcbf2'9ce4'8422'2325ull;
  for (u64 i = 0; i < length; ++i) h = (h ^ bytes[i]) * 0x100'0000'01b3ull;
  return h;
}

/// Copies through volatile accesses (the window is another machine's memory too, or a disk's): a
/// doubleword at a time where both ends and the length allow, which streams are (records are padded to
/// 8 bytes), a byte at a time otherwise.
void copy(volatile u8* to, const volatile u8* from, u64 length) {
  const auto aligned = [](const volatile void* p) { return (reinterpret_cast<ulong>(p) & 7) == 0; };
  if (aligned(to) && aligned(from) && length % 8 == 0) {
    auto* to_words = reinterpret_cast<volatile u64*>(to);
    const auto* from_words = reinterpret_cast<const volatile u64*>(from);
    for (u64 i = 0; i < length / 8; ++i) to_words[i] = from_words[i];
    return;
  }
  for (u64 i = 0; i < length; ++i) to[i] = from[i];
}

/// The window, which the toolstack needs: it fails without one.
u8* window(u64& bytes) {
  u8* w = arch::transfer_window(bytes);
  if (w == nullptr) fail("a transfer window in the control domain's boot information", 0, 1);
  return w;
}

u8* buffer() {
  hv::abi::domid_t self = hv::abi::domid_self;
  const long own = hypercall(hv::abi::hypercall::memory_op, hv::abi::xenmem::current_reservation, address(&self));
  if (own < static_cast<long>((buffer_at + buffer_bytes) >> 12)) fail("the toolstack's memory, in pages", own, 2048);
  return reinterpret_cast<u8*>(buffer_at);
}

constexpr u32 gone = ~0u;

/// Waits until `d` shut down: its reason, or `gone` when it no longer exists (one of the boot's domains
/// ends at its poweroff).
u32 wait_for_shutdown(hv::abi::domid_t d) {
  for (u64 round = 0;; ++round) {
    if (round == 10'000'000) fail("a domain still running after ten million rounds", d, 0);
    const long r = domctl(hv::abi::domctl::getdomaininfo, d);
    if (r == static_cast<long>(hv::Err::srch)) return gone;
    expect("getdomaininfo of a domain it waits for", r, 0);
    const u32 flags = op.u.getdomaininfo.flags;
    if ((flags & hv::abi::dominf::shutdown) != 0) return flags >> hv::abi::dominf::shutdown_shift & 0xff;
    yield();
  }
}

/// Why the window's header and stream cannot be resumed from, or null.
const char* refusal(const Header& h, u64 window_bytes, const u8* stream) {
  for (usize i = 0; i < sizeof magic; ++i)
    if (h.magic[i] != magic[i]) return "no suspended domain in the transfer window";
  if (h.version != version) return "a suspend header of another version";
  if (h.stream_offset != stream_offset || h.length > window_bytes - stream_offset || h.length > buffer_bytes)
    return "a stream longer than the transfer window or the toolstack's buffer";
  if (checksum(stream, h.length) != h.checksum) return "the stream's checksum does not match: it was damaged";
  return nullptr;
}

constexpr usize listening_offset = 64, answer_offset = 72;
constexpr u64 answer_restored = 1, answer_refused = 2;

volatile u64& word(u8* w, usize offset) { return *reinterpret_cast<volatile u64*>(w + offset); }

/// Pauses `target`, reads its stream into this domain's buffer and writes it to the window behind the
/// header; its size.
u64 save_to_window(hv::abi::domid_t target, u8* w, u64 window_bytes) {
  using namespace hv::abi;
  u8* const stream = buffer();
  const u64 piece = option("piece", 65536);
  expect("pausedomain of the domain to save", domctl(domctl::pausedomain, target), 0);
  expect("hv_save_stream sizing the stream", domctl(domctl::hv_save_stream, target), 0);
  const u64 size = op.u.save_stream.size;
  if (size > buffer_bytes || size > window_bytes - stream_offset)
    fail("a stream larger than the toolstack's buffer or the window", static_cast<i64>(size), buffer_bytes);
  for (u64 offset = 0; offset < size;) {
    const DomctlSaveStream part{address(stream + offset), offset, piece, 0, 0};
    const long copied = domctl(domctl::hv_save_stream, target, &part);
    if (copied <= 0) fail("hv_save_stream of a piece", copied, 1);
    offset += static_cast<u64>(copied);
  }
  copy(w + stream_offset, stream, size);
  Header h{};
  h.version = version;
  h.stream_offset = stream_offset;
  h.length = size;
  h.checksum = checksum(stream, size);
  h.domain = target;
  copy(w + sizeof h.magic, reinterpret_cast<const u8*>(&h) + sizeof h.magic, sizeof h - sizeof h.magic);
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
  copy(w, reinterpret_cast<const u8*>(magic), sizeof magic); // last: the header now names a whole stream
  return size;
}

/// Restores the stream the window holds: the new domain's ID, or none with `why` set.
const char* restore_from_window(const u8* w, u64 window_bytes, Header& h, hv::abi::domid_t& restored) {
  using namespace hv::abi;
  u8* const stream = buffer();
  copy(reinterpret_cast<u8*>(&h), w, sizeof h);
  // The stream is checked in this domain's memory, where the restore reads it: what the checksum passed is
  // what the hypervisor gets, whatever happens to the window meanwhile.
  const u64 length = h.length <= buffer_bytes && h.length <= window_bytes - stream_offset ? h.length : 0;
  copy(stream, w + stream_offset, length);
  if (const char* why = refusal(h, window_bytes, stream); why != nullptr) return why;
  const DomctlSaveStream whole{address(stream), 0, 0, length, 0};
  if (domctl(domctl::hv_restore_stream, 0, &whole) != 0) return "the hypervisor refused the stream";
  restored = op.domain;
  return nullptr;
}

} // namespace

void finish(hv::abi::domid_t d) {
  using namespace hv::abi;
  const u32 reason = wait_for_shutdown(d);
  if (reason == gone) {
    Line() << "toolstack: d" << u32{d} << " finished and is gone";
    return;
  }
  expect("the domain's shutdown reason", reason, static_cast<i64>(ShutdownReason::poweroff));
  // A poweroff ends the domain: the hypervisor may have reaped it meanwhile on another CPU (-ESRCH).
  const long destroyed = domctl(domctl::destroydomain, d);
  if (destroyed != 0 && destroyed != static_cast<long>(hv::Err::srch))
    fail("destroydomain of a domain that finished", destroyed, 0);
  Line() << "toolstack: d" << u32{d} << " finished and " << (destroyed == 0 ? "was destroyed" : "is gone");
}

namespace {

/// Unpauses `d`, waits until it powered off and destroys it.
void run_to_end(hv::abi::domid_t d) {
  expect("unpausedomain", domctl(hv::abi::domctl::unpausedomain, d), 0);
  finish(d);
}

} // namespace

void suspend(hv::abi::domid_t target) {
  u64 window_bytes = 0;
  u8* const w = window(window_bytes);
  for (u64 i = 0, waits = option("wait", 200); i < waits; ++i) yield();
  const u64 paused_at = arch::timestamp();
  const u64 size = save_to_window(target, w, window_bytes);
  const u64 written_at = arch::timestamp();
  expect("destroydomain of the suspended domain", domctl(hv::abi::domctl::destroydomain, target), 0);
  Line() << "toolstack: suspended d" << u32{target} << " to the transfer window (" << size << " bytes, "
         << (written_at - paused_at) << " counter ticks); powering off";
}

void resume() {
  u64 window_bytes = 0;
  const u8* const w = window(window_bytes);
  const u64 started_at = arch::timestamp();
  Header h{};
  hv::abi::domid_t restored = 0;
  if (const char* why = restore_from_window(w, window_bytes, h, restored); why != nullptr) {
    Line() << "toolstack: resume refused: " << why;
    return;
  }
  Line() << "toolstack: resumed d" << h.domain << " from the transfer window as d" << u32{restored} << " (" << h.length
         << " bytes, " << (arch::timestamp() - started_at) << " counter ticks)";
  run_to_end(restored);
}

void send(hv::abi::domid_t target) {
  u64 window_bytes = 0;
  u8* const w = window(window_bytes);
  events_init(); // its PV clock, for the time-outs
  const u64 answer_ms = option("answer_ms", 10000);
  // Held until the other machine listens (its boot may take longer than this one's), so that the guest is
  // moved mid-run, not after it finished.
  expect("pausedomain of the domain to send", domctl(hv::abi::domctl::pausedomain, target), 0);
  if (!wait_for(option("listen_ms", 60000), [&] { return word(w, listening_offset) == 1; })) {
    Line() << "toolstack: nobody listens on the link; d" << u32{target} << " stays here";
    return run_to_end(target);
  }
  expect("unpausedomain of the domain to send", domctl(hv::abi::domctl::unpausedomain, target), 0);
  for (u64 i = 0, waits = option("wait", 200); i < waits; ++i) yield();
  const u64 paused_at = system_time();
  const u64 size = save_to_window(target, w, window_bytes);
  Line() << "toolstack: sent d" << u32{target} << " over the link (" << size << " bytes, saved and written in "
         << (system_time() - paused_at) << " ns); waiting for the answer";
  if (wait_for(answer_ms, [&] { return word(w, answer_offset) != 0; }) && word(w, answer_offset) == answer_restored) {
    expect("destroydomain of the migrated domain", domctl(hv::abi::domctl::destroydomain, target), 0);
    Line() << "toolstack: the other machine restored d" << u32{target} << " (" << (system_time() - paused_at)
           << " ns after the pause); destroyed here";
    return;
  }
  Line() << "toolstack: no restore answered over the link within " << answer_ms << " ms: d" << u32{target}
         << " runs on here";
  run_to_end(target);
}

void receive() {
  u64 window_bytes = 0;
  u8* const w = window(window_bytes);
  events_init();
  word(w, listening_offset) = 1;
  Line() << "toolstack: listening on the link";
  if (!wait_for(option("listen_ms", 120000), [&] {
        for (usize i = 0; i < sizeof magic; ++i)
          if (w[i] != static_cast<u8>(magic[i])) return false;
        return true;
      })) {
    Line() << "toolstack: nothing came over the link";
    return;
  }
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
  Header h{};
  hv::abi::domid_t restored = 0;
  if (const char* why = restore_from_window(w, window_bytes, h, restored); why != nullptr) {
    word(w, answer_offset) = answer_refused;
    Line() << "toolstack: receive refused: " << why;
    return;
  }
  word(w, answer_offset) = answer_restored;
  Line() << "toolstack: received d" << h.domain << " over the link as d" << u32{restored} << " (" << h.length
         << " bytes)";
  run_to_end(restored);
}

} // namespace guest::window

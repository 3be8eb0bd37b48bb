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
// names it.
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

void copy(volatile u8* to, const volatile u8* from, u64 length) {
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

u32 wait_for_shutdown(hv::abi::domid_t d) {
  for (u64 round = 0;; ++round) {
    if (round == 10'000'000) fail("a restored domain still running after ten million rounds", d, 0);
    expect("getdomaininfo of the restored domain", domctl(hv::abi::domctl::getdomaininfo, d), 0);
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

} // namespace

void suspend(hv::abi::domid_t target) {
  using namespace hv::abi;
  u64 window_bytes = 0;
  u8* const w = window(window_bytes);
  u8* const stream = buffer();
  const u64 waits = option("wait", 200), piece = option("piece", 65536);
  for (u64 i = 0; i < waits; ++i) yield();
  expect("pausedomain of the domain to suspend", domctl(domctl::pausedomain, target), 0);
  const u64 paused_at = arch::timestamp();
  expect("hv_save_stream sizing the stream", domctl(domctl::hv_save_stream, target), 0);
  const u64 size = op.u.save_stream.size;
  if (size > buffer_bytes || size > window_bytes - stream_offset)
    fail("a stream larger than the toolstack's buffer or the window", static_cast<i64>(size), buffer_bytes);
  for (u64 offset = 0; offset < size;) {
    const DomctlSaveStream part{address(stream + offset), offset, piece, 0};
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
  copy(w, reinterpret_cast<const u8*>(magic), sizeof magic); // last: the header now names a whole stream
  const u64 written_at = arch::timestamp();
  expect("destroydomain of the suspended domain", domctl(domctl::destroydomain, target), 0);
  Line() << "toolstack: suspended d" << u32{target} << " to the transfer window (" << size << " bytes, "
         << (written_at - paused_at) << " counter ticks); powering off";
}

void resume() {
  using namespace hv::abi;
  u64 window_bytes = 0;
  const u8* const w = window(window_bytes);
  u8* const stream = buffer();
  Header h{};
  copy(reinterpret_cast<u8*>(&h), w, sizeof h);
  // The stream is checked in this domain's memory, where the restore reads it: what the checksum passed is
  // what the hypervisor gets, whatever happens to the window meanwhile.
  const u64 length = h.length <= buffer_bytes && h.length <= window_bytes - stream_offset ? h.length : 0;
  copy(stream, w + stream_offset, length);
  if (const char* why = refusal(h, window_bytes, stream); why != nullptr) {
    Line() << "toolstack: resume refused: " << why;
    return;
  }
  const u64 started_at = arch::timestamp();
  const DomctlSaveStream whole{address(stream), 0, 0, length};
  expect("hv_restore_stream of the suspended domain", domctl(domctl::hv_restore_stream, 0, &whole), 0);
  const domid_t restored = op.domain;
  Line() << "toolstack: resumed d" << h.domain << " from the transfer window as d" << u32{restored} << " ("
         << length << " bytes, " << (arch::timestamp() - started_at) << " counter ticks)";
  expect("unpausedomain of the resumed domain", domctl(domctl::unpausedomain, restored), 0);
  expect("the resumed domain's shutdown reason", wait_for_shutdown(restored),
         static_cast<i64>(ShutdownReason::poweroff));
  expect("destroydomain of the resumed domain", domctl(domctl::destroydomain, restored), 0);
  Line() << "toolstack: d" << u32{restored} << " finished and was destroyed";
}

} // namespace guest::window

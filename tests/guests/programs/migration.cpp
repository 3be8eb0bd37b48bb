// SPDX-License-Identifier: Apache-2.0
// Live migration's sender and receiver (migration.hpp; the stream and the protocol: docs/migration.md).
// Their buffers sit at fixed places of the control domain's memory above 4 MiB, which the scenarios make
// 16 MiB: test guests address memory physically, and the toolstack's image must stay small for the
// scenarios that give it 2 MiB.
#include "migration.hpp"

#include <hv/abi/domctl.hpp>
#include <hv/abi/memory.hpp>

namespace guest::migration {
namespace {

using namespace hv::abi;
constexpr auto width = sizeof(ulong) == 8 ? GuestWidth::bits64 : GuestWidth::bits32;
constexpr u64 page = 4096;
constexpr u32 batch = 64; // pages mapped at once

// Where things go in this domain's memory.
u8* const receiver_pages = reinterpret_cast<u8*>(5ul << 20);                      // batch pages being applied
u8* const receiver_state = reinterpret_cast<u8*>(6ul << 20);                      // the domain_state record, 1 MiB
u8* const sender_bitmap = reinterpret_cast<u8*>((7ul << 20));                     // 64 KiB: 2 GiB of guest
u8* const receiver_populated = reinterpret_cast<u8*>((7ul << 20) + (64ul << 10)); // its frames populated
u8* const sender_state = reinterpret_cast<u8*>((7ul << 20) + (128ul << 10));      // 512 KiB
constexpr u64 state_capacity = 512ul << 10, receiver_state_capacity = 1ul << 20, most_gfns = 64ul << 13;

// The stream (docs/migration.md): a 16-byte head, then records framed as the save stream's.
constexpr char magic[8] = {'H', 'V', 'M', 'I', 'G', 'R', 'A', 'T'};
constexpr u32 byte_order_mark = 0x01020304;
enum Record : u32 { end = 0, memory = 3, begin = 9, round_end = 10, domain_state = 11 };
struct Head {
  u32 type, flags;
  u64 length;
};
struct Begin {
  u32 vcpus, reserved;
  u64 max_pages;
};

Domctl op;

/// A page (or any multiple of 8 bytes) copied a word at a time: the runtime's memcpy goes byte by byte.
void copy_words(void* to, const void* from, u64 bytes) {
  auto* d = static_cast<volatile u64*>(to);
  const auto* s = static_cast<const volatile u64*>(from);
  for (u64 i = 0; i < bytes / 8; ++i) d[i] = s[i];
  for (u64 i = bytes / 8 * 8; i < bytes; ++i) static_cast<u8*>(to)[i] = static_cast<const u8*>(from)[i];
}

long domctl(u32 cmd, domid_t domain) {
  op = Domctl{};
  op.cmd = cmd;
  op.interface_version = domctl_interface_version;
  op.domain = domain;
  return hypercall(hypercall::domctl, address(&op));
}

long shadow(domid_t d, u32 what, u8* bitmap, u64 pages) {
  op = Domctl{};
  op.cmd = domctl::shadow_op;
  op.interface_version = domctl_interface_version;
  op.domain = d;
  op.u.shadow.op = what;
  op.u.shadow.dirty_bitmap = address(bitmap);
  op.u.shadow.pages = pages;
  return hypercall(hypercall::domctl, address(&op));
}

/// Where the source's frames appear in this domain's space (its gfn g at sender_window() + g), and the
/// destination's (at receiver_window() + g): above its own RAM, mapped once and kept, so that a page
/// costs no hypercall and no flush of this domain's translations in any round after the first.
ulong sender_window() {
  static ulong base = 0;
  if (base == 0) {
    domid_t self = domid_self;
    const long own = hypercall(hypercall::memory_op, xenmem::current_reservation, address(&self));
    if (own <= 0) fail("current_reservation of itself", own, 1);
    base = static_cast<ulong>(own) + 1024;
  }
  return base;
}
ulong receiver_window() { return sender_window() + most_gfns; }

/// Maps `count` frames `gfns` of domain `d`, each at this domain's `window` + its gfn (errs[i] 0: mapped).
void map(domid_t d, const ulong* gfns, u32 count, ulong window, int* errs) {
  static ulong gpfns[batch];
  for (u32 i = 0; i < count; ++i) {
    gpfns[i] = window + gfns[i];
    errs[i] = 1;
  }
  AddToPhysmapBatch<width> b{};
  b.domid = domid_self;
  b.space = mapspace::gmfn_foreign;
  b.size = static_cast<u16>(count);
  b.foreign_domid = d;
  b.idxs = address(gfns);
  b.gpfns = address(gpfns);
  b.errs = address(errs);
  expect("add_to_physmap_batch", hypercall(hypercall::memory_op, xenmem::add_to_physmap_batch, address(&b)), 0);
}

void* window_page(ulong window, u64 gfn) { return reinterpret_cast<void*>((window + static_cast<ulong>(gfn)) * page); }

bool put(Transport& link, u32 type, const void* a, u64 a_len, const void* b = nullptr, u64 b_len = 0) {
  const Head h{type, 0, a_len + b_len};
  static const u8 zeros[8] = {};
  const u64 pad = (8 - (a_len + b_len) % 8) % 8;
  return link.write(link.self, &h, sizeof h) && (a_len == 0 || link.write(link.self, a, a_len)) &&
         (b_len == 0 || link.write(link.self, b, b_len)) && (pad == 0 || link.write(link.self, zeros, pad));
}

/// Whether the sender's last stop is the source's own suspend (send's `at_suspend`).
bool stop_at_suspend = false;

/// `d`'s getdomaininfo flags, one call; a domain that is no more reads as dying.
u32 info_flags(domid_t d) { return domctl(domctl::getdomaininfo, d) == 0 ? op.u.getdomaininfo.flags : dominf::dying; }

/// Whether `d` suspended itself (shut down for suspend, not dying).
bool suspended(domid_t d) { return suspended_flags(info_flags(d)); }

/// Whether a domain with these flags still runs (not shut down, not dying), or waits suspended for the
/// sender's last stop: its pages are mapped at the sender's window only while it exists.
bool alive_flags(u32 flags) {
  return (flags & (dominf::shutdown | dominf::dying)) == 0 || (stop_at_suspend && suspended_flags(flags));
}
bool alive(domid_t d) { return alive_flags(info_flags(d)); }

constexpr i64 link_broke = -1, source_gone = -2;
constexpr u64 suspend_waits = 10'000'000; // yields the sender waits for a source to suspend itself

/// Sends the pages `gfns` of `source` (each its RAM, mapped at the sender's window), letting the receiver
/// run after every `batch`. The pages sent, link_broke or source_gone. A page is read only once the link
/// has room for its record, and after any wait for that room the source is looked at first: it may have
/// run meanwhile and shut down, taking its pages with it.
i64 send_pages(domid_t source, const ulong* gfns, u64 count, Transport& link, bool (*pump)(void*), void* context) {
  constexpr u64 record = sizeof(Head) + 8 + page;
  for (u64 i = 0; i < count; ++i) {
    const u64 gfn = gfns[i];
    const u32 room = link.room != nullptr ? link.room(link.self, record) : 1;
    if (room == 0) return link_broke;
    if ((room == 2 || i % batch == 0) && !alive(source)) return source_gone;
    if (!put(link, memory, &gfn, sizeof gfn, window_page(sender_window(), gfn), page)) return link_broke;
    if ((i + 1) % batch == 0 && pump != nullptr && !pump(context)) return link_broke;
  }
  if (pump != nullptr && !pump(context)) return link_broke;
  return static_cast<i64>(count);
}

/// Maps every frame of `d` below `covered` at the sender's window; its RAM frames into `gfns`: how many.
u64 map_source(domid_t d, u64 covered, ulong* gfns) {
  static ulong idxs[batch];
  static int errs[batch];
  u64 ram = 0;
  for (u64 first = 0; first < covered; first += batch) {
    const u32 n = static_cast<u32>(covered - first < batch ? covered - first : batch);
    for (u32 i = 0; i < n; ++i) idxs[i] = static_cast<ulong>(first + i);
    map(d, idxs, n, sender_window(), errs);
    for (u32 i = 0; i < n; ++i)
      if (errs[i] == 0) gfns[ram++] = idxs[i];
  }
  return ram;
}

/// The dirty frames of the bitmap, for `covered` frames, into `out`: how many.
u64 dirty_list(u64 covered, ulong* out) {
  u64 n = 0;
  for (u64 g = 0; g < covered; ++g)
    if ((sender_bitmap[g / 8] >> (g % 8) & 1) != 0) out[n++] = static_cast<ulong>(g);
  return n;
}

} // namespace

bool suspended_flags(u32 flags) {
  return (flags & (dominf::shutdown | dominf::dying)) == dominf::shutdown &&
         (flags >> dominf::shutdown_shift & 0xff) == static_cast<u32>(ShutdownReason::suspend);
}

bool send(domid_t source, Transport link, u64 small, u32 most_rounds, Figures& fig, bool (*pump)(void*), void* context,
          bool at_suspend) {
  stop_at_suspend = at_suspend;
  // The gfn lists live after the receiver's populated bitmap: 4 MiB at 8 MiB.
  auto* const gfns = reinterpret_cast<ulong*>(8ul << 20);
  fig.started_ns = system_time();
  if (domctl(domctl::getdomaininfo, source) != 0) {
    fig.source_gone = true; // gone before it began: nothing was sent
    return false;
  }
  const Begin b{op.u.getdomaininfo.max_vcpu_id + 1, 0, op.u.getdomaininfo.max_pages};
  u8 head[16] = {};
  __builtin_memcpy(head, magic, 8);
  __builtin_memcpy(head + 8, &byte_order_mark, 4);
  head[12] = 1; // version 1.0, as a u16 pair in the writer's order
  auto give_up = [&] {
    if (link.hand_over != nullptr) link.hand_over(link.self, false); // withdrawn: the destination never runs
    (void)shadow(source, shadow_op::off, nullptr, 0);
    // A guest that suspended for the move goes on from its suspend where it was, its channels still there.
    if (at_suspend && suspended(source)) (void)domctl(domctl::resumedomain, source);
    (void)domctl(domctl::unpausedomain, source); // it may not be paused: then refused, and it runs on
    return false;
  };
  // A domctl on the source that fails because the source shut down meanwhile (it runs while the sender
  // works) ends the migration; one that fails otherwise is the toolstack's own fault.
  auto done = [&](const char* what, long r) {
    if (r == 0) return true;
    if (alive(source)) fail(what, r, 0);
    fig.source_gone = true;
    return false;
  };
  if (!link.write(link.self, head, sizeof head) || !put(link, begin, &b, sizeof b)) return false;
  if (!done("shadow_op enable_logdirty", shadow(source, shadow_op::enable_logdirty, nullptr, 0)) ||
      !done("shadow_op peek", shadow(source, shadow_op::peek, nullptr, 0)))
    return give_up();
  const u64 covered = op.u.shadow.pages;
  if (covered > most_gfns) fail("a source larger than the sender's bitmap", static_cast<i64>(covered), 0);
  // Round 1: every RAM frame; each later round: what was written meanwhile.
  const u64 ram = map_source(source, covered, gfns);
  if (!done("shadow_op clean before the first round", shadow(source, shadow_op::clean, sender_bitmap, covered)))
    return give_up();
  i64 sent = send_pages(source, gfns, ram, link, pump, context);
  while (sent >= 0) {
    fig.pages[fig.rounds++] = static_cast<u64>(sent);
    const u32 round = fig.rounds;
    if (has_option("verbose"))
      Line() << "migration: round " << round << ": " << sent << " pages, at " << (system_time() - fig.started_ns) / 1000
             << " us";
    if (!put(link, round_end, &round, sizeof round)) return give_up();
    if (!done("shadow_op peek", shadow(source, shadow_op::peek, nullptr, 0))) return give_up();
    const bool few_dirty = op.u.shadow.dirty_count < small;
    if (at_suspend ? suspended(source) : few_dirty) break;
    if (fig.rounds >= most_rounds || fig.rounds >= Figures::most_rounds) break;
    if (!done("shadow_op clean", shadow(source, shadow_op::clean, sender_bitmap, covered))) return give_up();
    sent = send_pages(source, gfns, dirty_list(covered, gfns), link, pump, context);
  }
  if (sent < 0) {
    fig.source_gone = sent == source_gone;
    return give_up();
  }
  // With `at_suspend`, the last stop is the guest's own: it suspends where nothing of its channels is in
  // flight, and what it writes until then goes in the last round.
  for (u64 waits = 0; at_suspend; ++waits) {
    // One getdomaininfo a poll: suspended (the last stop is here), gone, or still running.
    const u32 flags = info_flags(source);
    if (suspended_flags(flags)) break;
    const bool gone = !alive_flags(flags);
    if (gone || waits == suspend_waits) {
      fig.source_gone = gone;
      return give_up();
    }
    yield();
  }
  // Stop and copy: what was written since the last clean, and the state.
  if (!done("pausedomain of the source", domctl(domctl::pausedomain, source))) return give_up();
  fig.paused_ns = system_time();
  expect("shadow_op clean while paused", shadow(source, shadow_op::clean, sender_bitmap, covered), 0);
  sent = send_pages(source, gfns, dirty_list(covered, gfns), link, pump, context);
  if (sent < 0) return give_up();
  fig.pages[fig.rounds] = static_cast<u64>(sent);
  op = Domctl{};
  op.cmd = domctl::hv_save_stream;
  op.interface_version = domctl_interface_version;
  op.domain = source;
  op.u.save_stream = {address(sender_state), 0, state_capacity, 0, save_stream_flags::no_memory};
  const long copied = hypercall(hypercall::domctl, address(&op));
  if (copied <= 0 || op.u.save_stream.size > state_capacity) fail("hv_save_stream of the state", copied, 1);
  if (!put(link, domain_state, sender_state, static_cast<u64>(copied)) || !put(link, end, nullptr, 0)) return give_up();
  fig.sent_ns = system_time();
  if (pump != nullptr) (void)pump(context);
  if (!link.confirmed(link.self)) return give_up();
  // Handed over: from here the source never runs again, whatever the link does.
  if (link.hand_over != nullptr) link.hand_over(link.self, true);
  fig.handed_ns = system_time();
  expect("destroydomain of the source", domctl(domctl::destroydomain, source), 0);
  fig.confirmed_ns = system_time();
  return true;
}

// ---- the receiver ----

namespace {
struct Staged {
  ulong gfns[batch];
  u32 count = 0;
} staged;
} // namespace

bool Receiver::flush_pages() {
  if (staged.count == 0) return true;
  static ulong fresh[batch];
  static int errs[batch];
  u32 n = 0;
  for (u32 i = 0; i < staged.count; ++i) {
    const ulong g = staged.gfns[i];
    if (g >= most_gfns) return false;
    if ((receiver_populated[g / 8] >> (g % 8) & 1) == 0) {
      receiver_populated[g / 8] = static_cast<u8>(receiver_populated[g / 8] | 1u << (g % 8));
      fresh[n++] = g;
    }
  }
  if (n != 0) { // first seen: given to the destination and mapped, for good
    MemoryReservation<width> r{};
    r.extent_start = address(fresh);
    r.nr_extents = n;
    r.extent_order = 0;
    r.domid = destination_;
    if (hypercall(hypercall::memory_op, xenmem::populate_physmap, address(&r)) != static_cast<long>(n)) return false;
    map(destination_, fresh, n, receiver_window(), errs);
    for (u32 i = 0; i < n; ++i)
      if (errs[i] != 0) return false;
  }
  for (u32 i = 0; i < staged.count; ++i)
    copy_words(window_page(receiver_window(), staged.gfns[i]), receiver_pages + u64{i} * page, page);
  staged.count = 0;
  return true;
}

bool Receiver::apply(u32 type, const u8* payload, u64 length) {
  if (type != memory && !flush_pages()) return false;
  switch (type) {
  case begin: {
    Begin b{};
    if (length != sizeof b || destination_ != 0) return false;
    __builtin_memcpy(&b, payload, sizeof b);
    op = Domctl{};
    op.cmd = domctl::createdomain;
    op.interface_version = domctl_interface_version;
    op.u.createdomain.max_vcpus = b.vcpus;
    op.u.createdomain.max_evtchn_port = 1023;
    if (hypercall(hypercall::domctl, address(&op)) != 0) return false;
    destination_ = op.domain;
    __builtin_memset(receiver_populated, 0, most_gfns / 8);
    op = Domctl{};
    op.cmd = domctl::max_mem;
    op.interface_version = domctl_interface_version;
    op.domain = destination_;
    op.u.max_mem.max_memkb = b.max_pages * (page / 1024);
    return hypercall(hypercall::domctl, address(&op)) == 0;
  }
  case memory: {
    if (length != 8 + page || destination_ == 0) return false;
    u64 gfn = 0;
    __builtin_memcpy(&gfn, payload, 8);
    staged.gfns[staged.count] = static_cast<ulong>(gfn);
    copy_words(receiver_pages + u64{staged.count} * page, payload + 8, page);
    return ++staged.count < batch || flush_pages();
  }
  case round_end: ++rounds_; return true;
  case end: return true;
  case domain_state: {
    state_ns_ = system_time();
    op = Domctl{};
    op.cmd = domctl::hv_restore_stream;
    op.interface_version = domctl_interface_version;
    op.domain = destination_;
    op.u.save_stream = {address(payload), 0, 0, length, save_stream_flags::into};
    if (destination_ == 0 || hypercall(hypercall::domctl, address(&op)) != 0) return false;
    if (link_.handed_over != nullptr) { // between machines: restored, but run only once the source is gone
      ready_ns_ = system_time();
      link_.confirm(link_.self);
      if (!link_.handed_over(link_.self)) return false;
      handover_seen_ns_ = system_time();
    }
    if (domctl(domctl::unpausedomain, destination_) != 0) return false;
    resumed_ns_ = system_time();
    if (link_.handed_over == nullptr) link_.confirm(link_.self);
    done_ = true;
    return true;
  }
  default: return false;
  }
}

bool Receiver::pump() {
  for (;;) {
    if (!head_seen_) {
      u8 head[16];
      if (link_.read(link_.self, head, sizeof head) != sizeof head) return true; // a MemoryLink gives whole writes
      u32 mark = 0;
      __builtin_memcpy(&mark, head + 8, 4);
      bool ours = mark == byte_order_mark;
      for (u32 i = 0; i < 8; ++i) ours = ours && head[i] == static_cast<u8>(magic[i]);
      if (!ours) return fail_stream(); // not a migration stream, or one from the other byte order
      head_seen_ = true;
    }
    Head h{};
    if (link_.read(link_.self, &h, sizeof h) != sizeof h) return true;
    const u64 padded = (h.length + 7) / 8 * 8;
    u8* into = h.type == domain_state ? receiver_state : receiver_pages + u64{batch} * page;
    const u64 room = h.type == domain_state ? receiver_state_capacity : 2 * page;
    if (padded > room) return fail_stream();
    if (padded != 0 && link_.read(link_.self, into, padded) != padded) return fail_stream();
    if (!apply(h.type, into, h.length)) return fail_stream();
    if (done_) return true; // nothing after the state record is needed: reading on would wait for the stall
  }
}

bool Receiver::fail_stream() {
  if (destination_ != 0) (void)domctl(domctl::destroydomain, destination_);
  destination_ = 0;
  broken_ = true;
  return false;
}

// ---- the link in memory ----

Transport MemoryLink::transport() {
  return Transport{
      [](void* self, const void* bytes, u64 length) {
        auto& l = *static_cast<MemoryLink*>(self);
        if (l.cut_at != 0 && l.written + length > l.cut_at) return false;
        if (l.tail == l.head) l.tail = l.head = 0; // drained: start again at the front
        if (l.head + length > l.capacity) return false;
        copy_words(l.buffer + l.head, bytes, length);
        l.head += length;
        l.written += length;
        return true;
      },
      [](void* self, void* out, u64 most) -> u64 {
        auto& l = *static_cast<MemoryLink*>(self);
        const u64 n = l.head - l.tail < most ? l.head - l.tail : most;
        copy_words(out, l.buffer + l.tail, n);
        l.tail += n;
        return n;
      },
      [](void* self) { static_cast<MemoryLink*>(self)->confirmed_flag = true; },
      [](void* self) { return static_cast<MemoryLink*>(self)->confirmed_flag; },
      this,
  };
}

} // namespace guest::migration

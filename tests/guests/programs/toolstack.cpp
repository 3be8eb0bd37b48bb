// SPDX-License-Identifier: Apache-2.0
// toolstack: a control domain (hv,privileged) that manages domains at run time with domctl, as the
// family's toolstack does. `cycles=N` times (default 100): createdomain, max_mem, populate_physmap of
// `pages=N` frames (default 512) in extents of 16, unpausedomain, a few yields (so that the scheduler runs
// with the new domain live), getdomaininfo (its pages, running, not shut down), pausedomain, getdomaininfo
// (paused), destroydomain, getdomaininfo (-ESRCH). Then it says how many it made and powers off; the
// scenario judges that every frame came back.
//
// With `image`, each cycle builds a domain that runs instead, the family's way: after populate_physmap it
// maps the new domain's frames into its own space (XENMEM_add_to_physmap_batch, XENMAPSPACE_gmfn_foreign,
// at gfns above its own RAM), copies the loadable segments of the ELF image it carries (hello's,
// carry_image.py) to their physical addresses and the architecture's boot information (arch::boot_info,
// with `child=WORD` as the new domain's command line) to the top 16 KiB of its memory, unmaps them
// (XENMEM_remove_from_physmap), gives vCPU 0 its entry and the boot information's address
// (XEN_DOMCTL_setvcpucontext with the architecture's record, arch::vcpu_context) and unpauses it; it pauses
// it (getdomaininfo: paused) and unpauses it again, then watches it with getdomaininfo until it shut down
// (poweroff, which a domain the control domain made is left in), and destroys it.
//
// With `save=N`, it saves domain N of the boot mid-run into its own memory, destroys it and restores it as
// a new domain that runs on to its end (save_and_restore below; docs/lifecycle.md).
//
// With `suspend=N`, it saves domain N into the transfer window and destroys it; with `resume`, it restores
// the domain a suspend left there, in a later boot; `send=N` and `receive` move domain N from one machine
// to another that maps the same window (toolstack_window.cpp), and `send_live=N` and `receive_live` move it
// live, in pre-copy rounds while it runs (toolstack_live.cpp).
//
// With `decide=N`, it decides instead for domains 1..N of the boot, as the family's toolstack does when a
// domain shuts down: it watches each with getdomaininfo; one shut down for suspend it resumes
// (resumedomain), one shut down for any other reason it destroys, and one that is gone (it powered off,
// which ends a domain) it stops watching. It powers off when none is left. With `save` too, a domain that
// suspended is saved instead, destroyed and restored with its ID, then unpaused (save_suspended): a guest
// that suspends with a channel open binds again to its peer's port (docs/lifecycle.md).
#include "../lib/guest.hpp"
#include "migration.hpp"
#include "toolstack_live.hpp"
#include "toolstack_window.hpp"

#include <hv/abi/domctl.hpp>
#include <hv/abi/memory.hpp>

namespace guest {

extern const unsigned char carried_image[]; // carry_image.py
extern const unsigned long carried_image_size;

namespace {

constexpr auto width = sizeof(ulong) == 8 ? hv::abi::GuestWidth::bits64 : hv::abi::GuestWidth::bits32;
constexpr i64 esrch = static_cast<i64>(hv::Err::srch);
constexpr u64 extent_order = 4; // 16 frames an extent

hv::abi::Domctl op;

long domctl(u32 cmd, hv::abi::domid_t domain) {
  op = hv::abi::Domctl{};
  op.cmd = cmd;
  op.interface_version = hv::abi::domctl_interface_version;
  op.domain = domain;
  return hypercall(hv::abi::hypercall::domctl, address(&op));
}

/// createdomain with one vCPU; the new domain's ID.
hv::abi::domid_t create() {
  op = hv::abi::Domctl{};
  op.cmd = hv::abi::domctl::createdomain;
  op.interface_version = hv::abi::domctl_interface_version;
  op.u.createdomain.max_vcpus = 1;
  op.u.createdomain.max_evtchn_port = 1023;
  expect("createdomain", hypercall(hv::abi::hypercall::domctl, address(&op)), 0);
  return op.domain;
}

void set_max_mem(hv::abi::domid_t d, u64 kib) {
  op = hv::abi::Domctl{};
  op.cmd = hv::abi::domctl::max_mem;
  op.interface_version = hv::abi::domctl_interface_version;
  op.domain = d;
  op.u.max_mem.max_memkb = kib;
  expect("max_mem", hypercall(hv::abi::hypercall::domctl, address(&op)), 0);
}

/// populate_physmap of `pages` frames from gfn 0, in extents of 2^extent_order.
void populate(hv::abi::domid_t d, u64 pages) {
  static ulong extents[64];
  const u64 count = pages >> extent_order;
  if (count > sizeof extents / sizeof *extents) fail("pages= more than this toolstack populates", pages, 1024);
  for (u64 i = 0; i < count; ++i) extents[i] = static_cast<ulong>(i << extent_order);
  hv::abi::MemoryReservation<width> r{};
  r.extent_start = address(extents);
  r.nr_extents = static_cast<ulong>(count);
  r.extent_order = extent_order;
  r.domid = d;
  expect("populate_physmap of the new domain",
         hypercall(hv::abi::hypercall::memory_op, hv::abi::xenmem::populate_physmap, address(&r)),
         static_cast<i64>(count));
}

/// createdomain, max_mem and populate_physmap of `pages` frames: the new domain's ID.
hv::abi::domid_t create_with_memory(u64 pages) {
  const hv::abi::domid_t d = create();
  set_max_mem(d, pages * 4);
  populate(d, pages);
  return d;
}

void check_info(hv::abi::domid_t d, u64 pages, u32 must, u32 must_not) {
  expect("getdomaininfo", domctl(hv::abi::domctl::getdomaininfo, d), 0);
  const auto& info = op.u.getdomaininfo;
  expect("getdomaininfo's domain", info.domain, d);
  expect("getdomaininfo's pages", static_cast<i64>(info.tot_pages), static_cast<i64>(pages));
  expect("getdomaininfo's flags it must have", info.flags & must, must);
  expect("getdomaininfo's flags it must not have", info.flags & must_not, 0);
}

// ---- building from the carried image ----

/// A loadable segment of the carried image.
struct Segment {
  u64 offset, paddr, filesz;
};

template <class T> T field(u64 at) {
  T value{};
  __builtin_memcpy(&value, carried_image + at, sizeof value);
  return value;
}

/// The carried ELF image's PT_LOAD segments (ELF32 or ELF64, in this guest's byte order) and its entry.
u32 image_segments(Segment* out, u32 most, u64& entry) {
  const bool wide = carried_image[4] == 2;
  entry = wide ? field<u64>(24) : field<u32>(24);
  const u64 phoff = wide ? field<u64>(32) : field<u32>(28);
  const u16 phentsize = field<u16>(wide ? 54 : 42), phnum = field<u16>(wide ? 56 : 44);
  u32 n = 0;
  for (u16 i = 0; i < phnum && n < most; ++i) {
    const u64 ph = phoff + u64{i} * phentsize;
    if (field<u32>(ph) != 1) continue; // PT_LOAD
    if (wide)
      out[n++] = {field<u64>(ph + 8), field<u64>(ph + 24), field<u64>(ph + 32)};
    else
      out[n++] = {field<u32>(ph + 4), field<u32>(ph + 12), field<u32>(ph + 16)};
  }
  return n;
}

constexpr u64 page = 4096;
constexpr u32 window_pages = 64; // the most mapped at once
ulong window_gfn = 0;            // where in this domain's space the other's frames appear

/// Maps `count` frames of `d` from its gfn `first` at the window (XENMAPSPACE_gmfn_foreign).
void map_window(hv::abi::domid_t d, u64 first, u32 count) {
  static ulong idxs[window_pages], gpfns[window_pages];
  static int errs[window_pages];
  for (u32 i = 0; i < count; ++i) {
    idxs[i] = static_cast<ulong>(first + i);
    gpfns[i] = window_gfn + i;
    errs[i] = 1;
  }
  hv::abi::AddToPhysmapBatch<width> batch{};
  batch.domid = hv::abi::domid_self;
  batch.space = hv::abi::mapspace::gmfn_foreign;
  batch.size = static_cast<u16>(count);
  batch.foreign_domid = d;
  batch.idxs = address(idxs);
  batch.gpfns = address(gpfns);
  batch.errs = address(errs);
  expect("add_to_physmap_batch of the new domain's frames",
         hypercall(hv::abi::hypercall::memory_op, hv::abi::xenmem::add_to_physmap_batch, address(&batch)), 0);
  for (u32 i = 0; i < count; ++i) expect("a frame mapped", errs[i], 0);
}

void unmap_window(u32 count) {
  for (u32 i = 0; i < count; ++i) {
    hv::abi::RemoveFromPhysmap<width> r{hv::abi::domid_self, window_gfn + i};
    expect("remove_from_physmap of a mapped frame",
           hypercall(hv::abi::hypercall::memory_op, hv::abi::xenmem::remove_from_physmap, address(&r)), 0);
  }
}

/// Copies `len` bytes from `from` to the domain's guest-physical `to`.
void write_to(hv::abi::domid_t d, u64 to, const u8* from, u64 len) {
  while (len != 0) {
    const u64 first = to / page, in_page = to % page;
    u64 pages = (in_page + len + page - 1) / page;
    if (pages > window_pages) pages = window_pages;
    const u64 chunk = pages * page - in_page < len ? pages * page - in_page : len;
    map_window(d, first, static_cast<u32>(pages));
    __builtin_memcpy(reinterpret_cast<void*>(window_gfn * page + in_page), from, chunk);
    unmap_window(static_cast<u32>(pages));
    to += chunk;
    from += chunk;
    len -= chunk;
  }
}

/// Builds domain `d` of `pages` frames from the carried image, writes its boot information with
/// `command_line` at the top 16 KiB of its memory (as the boot's builder places it), gives vCPU 0 its
/// entry, and unpauses it. The entry.
u64 load_and_start(hv::abi::domid_t d, u64 pages, const char* command_line, u32& segments) {
  Segment seg[8];
  u64 entry = 0;
  segments = image_segments(seg, 8, entry);
  for (u32 i = 0; i < segments; ++i) write_to(d, seg[i].paddr, carried_image + seg[i].offset, seg[i].filesz);
  alignas(8) static u8 info[1024];
  const u64 at = pages * page - 16 * 1024;
  const usize info_size = arch::boot_info(pages * page, at, command_line, info, sizeof info);
  if (info_size == 0) fail("the boot information fits", 0, 1);
  write_to(d, at, info, info_size);
  alignas(8) static u8 record[8192];
  const usize size = arch::vcpu_context(static_cast<ulong>(entry), static_cast<ulong>(at), record, sizeof record);
  if (size == 0) fail("the vCPU context record fits", 0, 1);
  op = hv::abi::Domctl{};
  op.cmd = hv::abi::domctl::setvcpucontext;
  op.interface_version = hv::abi::domctl_interface_version;
  op.domain = d;
  op.u.vcpucontext.vcpu = 0;
  op.u.vcpucontext.ctxt = address(record);
  expect("setvcpucontext", hypercall(hv::abi::hypercall::domctl, address(&op)), 0);
  expect("unpausedomain", domctl(hv::abi::domctl::unpausedomain, d), 0);
  return entry;
}

/// Waits until `d` shut down, and returns its reason.
u32 wait_for_shutdown(hv::abi::domid_t d) {
  for (u64 round = 0;; ++round) {
    if (round == 10'000'000) fail("a built domain still running after ten million rounds", d, 0);
    expect("getdomaininfo of a built domain", domctl(hv::abi::domctl::getdomaininfo, d), 0);
    const u32 flags = op.u.getdomaininfo.flags;
    if ((flags & hv::abi::dominf::shutdown) != 0) return flags >> hv::abi::dominf::shutdown_shift & 0xff;
    yield();
  }
}

void build_and_run(u64 cycles, u64 pages, const char* command_line) {
  using namespace hv::abi;
  domid_t self = domid_self;
  const long own = hypercall(hypercall::memory_op, xenmem::current_reservation, address(&self));
  if (own <= 0) fail("current_reservation of itself", own, 1);
  window_gfn = static_cast<ulong>(own) + 256;
  domid_t first = 0, last = 0;
  for (u64 i = 0; i < cycles; ++i) {
    const domid_t d = create_with_memory(pages);
    if (i == 0) first = d;
    last = d;
    u32 segments = 0;
    const u64 entry = load_and_start(d, pages, command_line, segments);
    if (i == 0)
      Line() << "toolstack: d" << u32{d} << " built from the carried image (" << carried_image_size << " bytes, "
             << segments << " segments), entry " << entry << ", command line '" << command_line << "'";
    // Paused while it runs, it is seen paused and its pages all there; unpaused, it goes on.
    expect("pausedomain of a running built domain", domctl(domctl::pausedomain, d), 0);
    check_info(d, pages, dominf::paused, dominf::running | dominf::dying);
    expect("unpausedomain of a paused built domain", domctl(domctl::unpausedomain, d), 0);
    expect("the built domain's shutdown reason", wait_for_shutdown(d), static_cast<i64>(ShutdownReason::poweroff));
    expect("destroydomain", domctl(domctl::destroydomain, d), 0);
    expect("getdomaininfo of a destroyed domain", domctl(domctl::getdomaininfo, d), esrch);
  }
  Line() << "toolstack: " << cycles << " domains (d" << u32{first} << " to d" << u32{last}
         << ") built from the carried image, run to their poweroff and destroyed";
}

// ---- save streams in this domain's memory ----

// A stream goes to [4 MiB, 7 MiB) of its own memory, which the save scenarios make 8 MiB: not in its
// image, whose size the other scenarios' 2 MiB domains bound. Test guests address memory physically.
constexpr ulong stream_at = 4ul << 20, stream_bytes = 3ul << 20;

u8* stream_buffer() {
  hv::abi::domid_t self = hv::abi::domid_self;
  const long own = hypercall(hv::abi::hypercall::memory_op, hv::abi::xenmem::current_reservation, address(&self));
  if (own < static_cast<long>((stream_at + stream_bytes) >> 12) + 64)
    fail("saving in less than 8 MiB of memory", own, 2048);
  return reinterpret_cast<u8*>(stream_at);
}

/// Reads paused (or suspended) `target`'s save stream into `stream` in pieces of `piece` bytes
/// (hv_save_stream): its size; the number of pieces into `pieces`.
u64 read_stream(hv::abi::domid_t target, u8* stream, u64 piece, u64& pieces) {
  using namespace hv::abi;
  expect("hv_save_stream sizing the stream", domctl(domctl::hv_save_stream, target), 0);
  const u64 size = op.u.save_stream.size;
  if (size > stream_bytes) fail("a stream larger than the toolstack's buffer", static_cast<i64>(size), stream_bytes);
  u64 offset = 0;
  pieces = 0;
  while (offset < size) {
    op = Domctl{};
    op.cmd = domctl::hv_save_stream;
    op.interface_version = domctl_interface_version;
    op.domain = target;
    op.u.save_stream = {address(stream + offset), offset, piece, 0, 0};
    const long copied = hypercall(hypercall::domctl, address(&op));
    if (copied <= 0) fail("hv_save_stream of a piece", copied, 1);
    offset += static_cast<u64>(copied);
    ++pieces;
  }
  return size;
}

/// hv_restore_stream of the `size`-byte stream at `stream`, as domain `wanted` (0: any ID): the
/// restored domain's ID, or the negative error.
long restore_stream(const u8* stream, u64 size, hv::abi::domid_t wanted) {
  using namespace hv::abi;
  op = Domctl{};
  op.cmd = domctl::hv_restore_stream;
  op.interface_version = domctl_interface_version;
  op.domain = wanted;
  op.u.save_stream = {address(stream), 0, 0, size, 0};
  const long r = hypercall(hypercall::domctl, address(&op));
  return r < 0 ? r : long{op.domain};
}

/// A domain that suspended itself: saved into this domain's memory, destroyed, and restored with its ID
/// (so that its peers, whose ports wait for that ID, take its bind again), then unpaused.
void save_suspended(hv::abi::domid_t d) {
  using namespace hv::abi;
  u8* const stream = stream_buffer();
  u64 pieces = 0;
  const u64 before = arch::timestamp();
  const u64 size = read_stream(d, stream, option("piece", 65536), pieces);
  expect("destroydomain of the saved domain", domctl(domctl::destroydomain, d), 0);
  expect("hv_restore_stream as the same ID", restore_stream(stream, size, d), d);
  expect("unpausedomain of the restored domain", domctl(domctl::unpausedomain, d), 0);
  Line() << "toolstack: d" << u32{d} << " suspended: saved (" << size << " bytes in " << pieces
         << " pieces), destroyed, restored as d" << u32{d} << " and unpaused (" << (arch::timestamp() - before)
         << " counter ticks)";
}

const char* reason_name(u32 reason) {
  static const char* const names[] = {"poweroff", "reboot", "suspend", "crash", "watchdog", "soft reset"};
  return reason < sizeof names / sizeof *names ? names[reason] : "an unknown reason";
}

void decide(u32 targets, bool save) {
  using namespace hv::abi;
  constexpr u32 most = 8;
  if (targets == 0 || targets > most) fail("decide= more domains than this toolstack watches", targets, most);
  bool gone[most + 1] = {};
  u32 left = targets;
  for (u64 round = 0; left != 0; ++round) {
    if (round == 1'000'000) fail("domains still not gone after a million rounds", left, 0);
    for (u32 id = 1; id <= targets; ++id) {
      if (gone[id]) continue;
      const long r = domctl(domctl::getdomaininfo, static_cast<domid_t>(id));
      if (r == esrch) {
        Line() << "toolstack: d" << id << " is gone";
        gone[id] = true;
        --left;
        continue;
      }
      expect("getdomaininfo of a watched domain", r, 0);
      const u32 flags = op.u.getdomaininfo.flags;
      if ((flags & dominf::shutdown) == 0 || (flags & dominf::dying) != 0) continue;
      const u32 reason = flags >> dominf::shutdown_shift & 0xff;
      if (reason == static_cast<u32>(ShutdownReason::suspend) && save) {
        save_suspended(static_cast<domid_t>(id));
      } else if (reason == static_cast<u32>(ShutdownReason::suspend)) {
        expect("resumedomain", domctl(domctl::resumedomain, static_cast<domid_t>(id)), 0);
        Line() << "toolstack: d" << id << " shut down (" << reason_name(reason) << "): resumed";
      } else {
        // One that powered off or crashed may be reaped by another CPU between the look and this call.
        const long gone_already = domctl(domctl::destroydomain, static_cast<domid_t>(id));
        if (gone_already != esrch) expect("destroydomain", gone_already, 0);
        Line() << "toolstack: d" << id << " shut down (" << reason_name(reason) << "): destroyed";
      }
    }
    yield();
  }
  expect("resumedomain of itself", domctl(domctl::resumedomain, domid_self), static_cast<i64>(hv::Err::inval));
  Line() << "toolstack: decided for " << targets << " domains; done";
}

/// save=N: lets domain N of the boot run `wait=K` yields, pauses it, reads its save stream into its own
/// memory in pieces of `piece=BYTES` (hv_save_stream), destroys it, restores it from the stream
/// (hv_restore_stream) as a new domain, unpauses that, and waits until it shut down and destroys it.
void save_and_restore(hv::abi::domid_t target) {
  using namespace hv::abi;
  u8* const stream = stream_buffer();
  const u64 waits = option("wait", 200), piece = option("piece", 65536);
  events_init(); // its PV clock: the save's and the restore's times (virtual time under -icount)
  for (u64 i = 0; i < waits; ++i) yield();
  expect("pausedomain of the domain to save", domctl(domctl::pausedomain, target), 0);
  const u64 paused_at = arch::timestamp(), paused_ns = system_time();
  u64 pieces = 0;
  const u64 size = read_stream(target, stream, piece, pieces);
  const u64 saved_at = arch::timestamp(), saved_ns = system_time();
  expect("destroydomain of the saved domain", domctl(domctl::destroydomain, target), 0);
  expect("hv_restore_stream of a stream that is not one", restore_stream(stream + 8, size - 8, 0),
         static_cast<i64>(hv::Err::inval)); // its magic cut off: refused
  const long restored_id = restore_stream(stream, size, 0);
  if (restored_id < 0) fail("hv_restore_stream", restored_id, 0);
  const auto restored = static_cast<domid_t>(restored_id);
  const u64 restored_at = arch::timestamp(), restored_ns = system_time();
  Line() << "toolstack: saved d" << u32{target} << " (" << size << " bytes in " << pieces << " pieces, "
         << (saved_at - paused_at) << " counter ticks), destroyed it, restored it as d" << u32{restored} << " ("
         << (restored_at - saved_at) << " counter ticks)";
  Line() << "toolstack: the save took " << (saved_ns - paused_ns) / 1000 << " us and the restore "
         << (restored_ns - saved_ns) / 1000 << " us of its PV clock";
  expect("unpausedomain of the restored domain", domctl(domctl::unpausedomain, restored), 0);
  expect("the restored domain's shutdown reason", wait_for_shutdown(restored),
         static_cast<i64>(ShutdownReason::poweroff));
  expect("destroydomain of the restored domain", domctl(domctl::destroydomain, restored), 0);
  Line() << "toolstack: d" << u32{restored} << " finished and was destroyed";
}

/// migrate=N: lets domain N of the boot run `wait=K` yields, then migrates it to a new domain in this
/// machine through a link in memory (migration.hpp): pre-copy rounds until fewer than `small=P` pages
/// (default 64) are dirty or `rounds=R` (default 30) were made, then stop and copy. With `cut=BYTES` the
/// link breaks that far into the stream, and the domain must run on where it was. With `at_suspend`, the
/// stop is the guest's own suspend instead (migration.hpp), and once the source is destroyed the
/// destination takes over the ports that waited for it (hv_adopt_peers), for the guest to bind again to
/// its peers; a move given up resumes the source from its suspend, then or whenever it suspends later.
/// It then watches whichever domain runs the guest until it shuts down, and destroys it.
void migrate_local(hv::abi::domid_t source) {
  using namespace hv::abi;
  namespace m = migration;
  events_init(); // for its PV clock: the figures' times
  for (u64 i = 0, waits = option("wait", 20); i < waits; ++i) yield();
  static m::MemoryLink link{reinterpret_cast<u8*>(4ul << 20), 1ul << 20};
  link.cut_at = option("cut", 0);
  static m::Receiver receiver(link.transport());
  static m::Figures fig;
  const bool moved = m::send(
      source, link.transport(), option("small", 64), static_cast<u32>(option("rounds", 30)), fig,
      [](void* r) { return static_cast<m::Receiver*>(r)->pump(); }, &receiver, has_option("at_suspend"));
  if (!moved) {
    (void)receiver.abandon(); // the receiver's side of a link that broke: its half-built domain goes
    Line() << "toolstack: the migration of d" << u32{source} << " stopped after " << link.written
           << (fig.source_gone ? " bytes (it shut down first); d" : " bytes (the link broke); d") << u32{source}
           << " runs on where it was";
    for (u64 round = 0; domctl(domctl::getdomaininfo, source) == 0; ++round) {
      if (round == 10'000'000) fail("the source still there after ten million rounds", source, 0);
      // A guest that suspends for a move that is no more goes on where it was, its suspend cancelled.
      if (has_option("at_suspend") && m::suspended_flags(op.u.getdomaininfo.flags))
        expect("resumedomain of the source that suspended", domctl(domctl::resumedomain, source), 0);
      yield();
    }
    Line() << "toolstack: d" << u32{source} << " finished where it was";
    return;
  }
  const domid_t d = receiver.destination();
  {
    Line l;
    l << "toolstack: migrated d" << u32{source} << " to d" << u32{d} << ": " << fig.rounds << " rounds, pages";
    for (u32 r = 0; r < fig.rounds; ++r) l << (r == 0 ? " " : ", ") << fig.pages[r];
    l << "; " << fig.pages[fig.rounds] << " while paused";
  }
  const u64 downtime = receiver.resumed_ns() - fig.paused_ns, total = fig.confirmed_ns - fig.started_ns;
  Line() << "toolstack: downtime " << downtime / 1000 << " us (paused to unpaused), total " << total / 1000 << " us, "
         << link.written << " bytes over the link (" << (total != 0 ? link.written * 1000 / total : 0) << " MB/s)";
  if (has_option("at_suspend")) {
    op = Domctl{};
    op.cmd = domctl::hv_adopt_peers;
    op.interface_version = domctl_interface_version;
    op.domain = d;
    op.u.adopt_peers.predecessor = source;
    const long adopted = hypercall(hypercall::domctl, address(&op));
    if (adopted < 0) fail("hv_adopt_peers", adopted, 0);
    Line() << "toolstack: d" << u32{d} << " took over the " << adopted << " port(s) that waited for d" << u32{source};
  }
  expect("the migrated domain's shutdown reason", wait_for_shutdown(d), static_cast<i64>(ShutdownReason::poweroff));
  expect("destroydomain of the migrated domain", domctl(domctl::destroydomain, d), 0);
  Line() << "toolstack: d" << u32{d} << " finished and was destroyed";
}

} // namespace

void guest_main() {
  using namespace hv::abi;
  // Suspend to disk and resume in a later boot, through the transfer window (toolstack_window.cpp).
  if (has_option("suspend")) return window::suspend(static_cast<domid_t>(option("suspend", 1)));
  if (has_option("resume")) return window::resume();
  if (has_option("send")) return window::send(static_cast<domid_t>(option("send", 1)));
  if (has_option("receive")) return window::receive();
  if (has_option("send_live")) return live::send(static_cast<domid_t>(option("send_live", 1)));
  if (has_option("receive_live")) return live::receive();
  if (has_option("migrate")) {
    migrate_local(static_cast<domid_t>(option("migrate", 1)));
    return;
  }
  if (has_option("decide")) {
    decide(static_cast<u32>(option("decide", 0)), has_option("save"));
    return;
  }
  if (has_option("save")) {
    save_and_restore(static_cast<domid_t>(option("save", 1)));
    return;
  }
  const u64 cycles = option("cycles", 100);
  const u64 pages = option("pages", 512);
  if (has_option("image")) {
    static char child[64] = {};
    if (!option_text("child", child, sizeof child)) child[0] = '\0';
    build_and_run(cycles, pages, child);
    return;
  }
  hv::abi::domid_t first = 0, last = 0;
  for (u64 i = 0; i < cycles; ++i) {
    const domid_t d = create_with_memory(pages);
    if (i == 0) first = d;
    last = d;
    check_info(d, pages, dominf::paused, dominf::shutdown | dominf::dying);
    expect("unpausedomain", domctl(domctl::unpausedomain, d), 0);
    for (int k = 0; k < 3; ++k) yield();
    check_info(d, pages, 0, dominf::paused | dominf::shutdown | dominf::dying);
    expect("pausedomain", domctl(domctl::pausedomain, d), 0);
    check_info(d, pages, dominf::paused, dominf::shutdown | dominf::dying);
    expect("destroydomain", domctl(domctl::destroydomain, d), 0);
    expect("getdomaininfo of a destroyed domain", domctl(domctl::getdomaininfo, d), esrch);
  }
  Line() << "toolstack: " << cycles << " domains (d" << u32{first} << " to d" << u32{last} << ") created, given "
         << pages << " pages, unpaused, paused and destroyed";
}

} // namespace guest

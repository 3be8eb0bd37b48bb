// SPDX-License-Identifier: Apache-2.0
// fuzz: a hostile guest that makes `calls=N` hypercalls (default 20000) of random numbers 0-63 with
// random arguments, from the seed `seed=N` on its command line, and then says how many came back with
// each error: it passes when the hypervisor stays up, the domains beside it finish, and it finishes its
// calls itself. The arguments mix what catches handlers out: records of each family's real layouts
// filled with edge values (its own and other domains' IDs, DOMID_SELF, ports and references near every
// limit, orders and counts too large), raw random words, and pointers into its memory, straddling its
// end, and far outside it.
//
// The guest keeps out of the way what would only stop itself, so that a run shows what the hypervisor
// did rather than how the guest broke: every frame number it names in its own memory is one of the
// `victim` pages, which it never touches itself (the hypervisor may give them back, map shared_info or
// grant frames there, or move a vcpu_info there); every record it passes lies in `records`. It never
// asks to shut down (unless `shutdown` is on its command line), and it blocks only once an event of its
// own is pending, which no call of its own can clear, so that SCHEDOP_block returns.
//
// With `control` on its command line (as the control domain, hv,privileged) its domctl calls are mostly
// the commands the hypervisor has, with records a toolstack would pass, naming the domains it made; at
// the end it destroys every domain it made, so that the run can show every frame come back.
#include "../lib/guest.hpp"

#include <hv/abi/domctl.hpp>
#include <hv/abi/grant_table.hpp>
#include <hv/abi/hvm.hpp>
#include <hv/abi/memory.hpp>

namespace guest {
namespace {

constexpr auto width = sizeof(ulong) == 8 ? hv::abi::GuestWidth::bits64 : hv::abi::GuestWidth::bits32;
constexpr ulong page = 4096;
constexpr usize victim_pages = 16;
constexpr usize record_bytes = 1024; // filled for each call; pointers into the area point here
constexpr usize batch_records = 32;  // the most records of a batch that fit the area's page

// Named to the hypervisor, never touched here; aligned to their size, so that an extent of up to 16
// frames that starts at one at its own alignment stays among them.
alignas(victim_pages* page) volatile u8 victim[victim_pages * page];
// A page, of which only the first 1024 bytes hold records: what the hypervisor writes back from a pointer
// into them (xen_version's 1024-byte strings, a frame list) stays inside it, away from this guest's
// stack and hypercall page.
alignas(4096) u8 records[page];

u64 state = 1;
u64 next() { // xorshift64*
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  return state * 0x2545'f491'4f6c'dd1dull;
}
/// Uniform in [0, n): the high half of a 128-bit product, from 32-bit pieces, as a 32-bit guest has no
/// 64-bit division without a runtime library.
u64 below(u64 n) {
  const u64 r = next();
  if (n <= 0xffff'ffff) return (r >> 32) * n >> 32; // the common case: one multiplication
  const u64 rl = r & 0xffff'ffff, rh = r >> 32, nl = n & 0xffff'ffff, nh = n >> 32;
  const u64 middle = (rl * nl >> 32) + (rh * nl & 0xffff'ffff) + (rl * nh & 0xffff'ffff);
  return rh * nh + (rh * nl >> 32) + (rl * nh >> 32) + (middle >> 32);
}
bool one_in(u64 n) { return below(n) == 0; }

ulong ram_end = 0; // the first byte past the domain's RAM

/// A victim page that begins an extent of 2^order frames inside the victims.
ulong victim_gfn(u32 order = 0) {
  return static_cast<ulong>(address(victim) / page + (below(victim_pages) & ~((u64{1} << order) - 1)));
}

/// A frame number for an extent of 2^order frames: victim pages (when the extent fits among them),
/// just past the RAM, in the range the p2m covers but far away, or beyond every limit; never another
/// of this guest's own pages.
u64 gfn(u32 order = 0) {
  constexpr u64 p2m_frames = u64{1} << 27;
  const u64 ram_frames = ram_end / page;
  switch (below(6)) {
  case 0: return ram_frames + below(4);
  case 1: return ram_frames + below(p2m_frames - ram_frames);
  case 2: return p2m_frames - 1 - below(2);
  case 3: { // cut to the guest's word first, as the records hold it
    const u64 any = static_cast<ulong>(next());
    return any < ram_frames ? any + ram_frames : any;
  }
  default: return (u64{1} << order) <= victim_pages ? victim_gfn(order) : ram_frames + below(64);
  }
}

/// A pointer nothing answers: far above the RAM, or at the top of the address space.
ulong far_pointer() {
  return one_in(2) ? static_cast<ulong>(0x4000'0000u + below(page)) : static_cast<ulong>(~ulong{0} - below(64));
}

/// A pointer to a record: the records area mostly (where the typed records are), else across the RAM's
/// end or far outside. Never into a victim page: a record written there could land on this guest's
/// vcpu_info, moved there, and clear the pending upcall that keeps SCHEDOP_block from waiting for ever.
ulong pointer() {
  switch (below(10)) {
  case 0: return ram_end - below(16);
  case 1: return static_cast<ulong>(0x4000'0000u + below(page));
  case 2: return static_cast<ulong>(~ulong{0} - below(64));
  case 3: return address(records) + record_bytes - below(16);
  case 4: return address(records) + static_cast<ulong>(below(record_bytes));
  default: return address(records);
  }
}

/// `control`: this guest is the control domain and mostly drives domctl (domctl_record); the domains it
/// made, newest last, so that later calls name them.
bool control = false;
hv::u16 made[16] = {};
usize made_count = 0; // all time: made[made_count % 16] is the next slot
hv::u16 highest_made = 0;

/// A domain ID: DOMID_SELF, the first few domains (the others of the run, and this one), the reserved
/// IDs, or any; as the control domain, mostly one it made.
hv::u16 domid() {
  if (control && made_count != 0 && one_in(2)) return made[below(made_count < 16 ? made_count : 16)];
  switch (below(5)) {
  case 0: return static_cast<hv::u16>(hv::abi::domid_first_reserved + below(16));
  case 1: return static_cast<hv::u16>(below(8));
  case 2: return static_cast<hv::u16>(next());
  default: return hv::abi::domid_self;
  }
}

/// A count or index: small, at a power of two's edge, or any.
u64 number() {
  switch (below(4)) {
  case 0: return below(8);
  case 1: {
    const u64 edge = u64{1} << below(64);
    return edge - 1 + below(3);
  }
  case 2: return next();
  default: return below(1100);
  }
}

/// A word for a register argument or a record's raw bytes.
ulong word() {
  switch (below(4)) {
  case 0: return pointer();
  case 1: return static_cast<ulong>(number());
  case 2: return static_cast<ulong>(gfn());
  default: return static_cast<ulong>(next());
  }
}

template <class T> T& record() {
  static_assert(sizeof(T) <= record_bytes);
  return *reinterpret_cast<T*>(records);
}

/// A raw record's word: never a small number, which as a domain ID could be this guest's own and as a
/// frame number one of its own pages outside the victims.
ulong raw_word() {
  switch (below(3)) {
  case 0: return pointer();
  case 1: return static_cast<ulong>(gfn());
  default: return static_cast<ulong>(next());
  }
}

// Fills the records with raw words, and the 512 bytes after them: a record a pointer straddles across the
// records' end reads its tail there, where the hypervisor's write-backs of earlier calls may have left
// small numbers; one such frame number moved this guest's vcpu_info onto its own code (POWER guests
// start at 0x1000), and the hypervisor's updates of it then overwrote the upcall handler (ppc64le, seeds
// 3 and 11).
constexpr usize raw_bytes = record_bytes + 512;
static_assert(raw_bytes <= page);

void fill_raw() {
  for (usize i = 0; i < raw_bytes; i += sizeof(ulong)) {
    const ulong w = raw_word();
    __builtin_memcpy(records + i, &w, sizeof w);
  }
}

/// A list of frame numbers in the records area after the first 64 bytes.
ulong frame_list(u64 n, u32 order) {
  auto* list = reinterpret_cast<ulong*>(records + 64);
  for (u64 i = 0; i < n; ++i) list[i] = static_cast<ulong>(gfn(order));
  return address(list);
}

constexpr u32 port_edges[] = {0, 1, 2, 3, 31, 32, 63, 64, 1023, 1024, 4095, 4096, 0xffff'ffffu};
u32 port() {
  return one_in(2) ? static_cast<u32>(below(40)) : port_edges[below(sizeof port_edges / sizeof *port_edges)];
}

// ---- the families' records, filled with edge values ----

void memory_record(u64 op) {
  using namespace hv::abi;
  if (op == xenmem::add_to_physmap) {
    auto& a = record<AddToPhysmap<width>>();
    a.domid = domid();
    a.space = static_cast<u32>(below(4));
    a.idx = static_cast<ulong>(one_in(2) ? below(40) : number());
    a.gpfn = static_cast<ulong>(gfn());
  } else if (op == xenmem::current_reservation || op == xenmem::maximum_reservation) {
    record<domid_t>() = domid();
  } else if (op == xenmem::remove_from_physmap) {
    auto& r = record<RemoveFromPhysmap<width>>();
    r.domid = domid();
    r.gpfn = static_cast<ulong>(gfn());
  } else if (op == xenmem::add_to_physmap_batch) {
    // Another domain's frames (mostly its RAM's first pages) at this guest's victims or outside its RAM;
    // a batch longer than the lists hold names lists far outside memory, refused before any is read.
    auto& b = record<AddToPhysmapBatch<width>>();
    b.domid = domid();
    b.space = static_cast<u16>(one_in(4) ? below(8) : mapspace::gmfn_foreign);
    const u64 n = one_in(8) ? number() : below(8);
    b.size = static_cast<u16>(n);
    b.foreign_domid = domid();
    auto* idxs = reinterpret_cast<ulong*>(records + 64);
    auto* gpfns = reinterpret_cast<ulong*>(records + 128);
    for (u64 i = 0; i < n && i < 8; ++i) {
      idxs[i] = static_cast<ulong>(one_in(4) ? number() : below(600));
      gpfns[i] = static_cast<ulong>(gfn());
    }
    b.idxs = n <= 8 ? address(idxs) : far_pointer();
    b.gpfns = n <= 8 ? address(gpfns) : far_pointer();
    b.errs = n <= 8 ? address(records + 192) : far_pointer();
  } else {
    auto& r = record<MemoryReservation<width>>();
    const u64 n = one_in(4) ? number() : below(6);
    const auto order = static_cast<u32>(one_in(2) ? 0 : below(40));
    // A list longer than the records area holds would go on into whatever lies after it, small numbers
    // among them: such a count comes with a list far outside memory instead.
    constexpr u64 room = (record_bytes - 64) / sizeof(ulong);
    r.extent_start = n <= room && !one_in(6) ? frame_list(n, order) : far_pointer();
    r.nr_extents = static_cast<ulong>(n);
    r.extent_order = order;
    r.mem_flags = static_cast<u32>(next());
    r.domid = domid();
  }
}

void event_record(u64 op) {
  using namespace hv::abi;
  switch (op) {
  case evtchnop::alloc_unbound: record<EvtchnAllocUnbound>() = {domid(), domid(), 0}; break;
  case evtchnop::bind_interdomain: record<EvtchnBindInterdomain>() = {domid(), port(), 0}; break;
  case evtchnop::bind_virq:
  case evtchnop::bind_ipi:
  case evtchnop::bind_vcpu: {
    auto* w = reinterpret_cast<u32*>(records);
    w[0] = static_cast<u32>(one_in(2) ? below(12) : number());
    w[1] = static_cast<u32>(one_in(2) ? below(3) : number());
    w[2] = port();
    break;
  }
  case evtchnop::status: {
    auto* w = reinterpret_cast<hv::u16*>(records);
    w[0] = domid();
    reinterpret_cast<u32*>(records)[1] = port();
    break;
  }
  default: reinterpret_cast<u32*>(records)[0] = port(); break; // close, send, unmask: one port
  }
}

void grant_record(u64 op, u64& count) {
  using namespace hv::abi;
  if (op == gnttabop::map_grant_ref || op == gnttabop::unmap_grant_ref) {
    count = one_in(8) ? number() : below(4);
    for (u64 i = 0; i < count && i < batch_records; ++i) {
      auto& m = reinterpret_cast<GnttabMapGrantRef*>(records)[i];
      m.host_addr = gfn() * page + (one_in(8) ? below(page) : 0);
      m.flags = static_cast<u32>(one_in(2) ? below(32) : next());
      m.ref = static_cast<u32>(one_in(2) ? below(600) : number());
      m.dom = domid();
      m.handle = static_cast<u32>(below(8));
      m.dev_bus_addr = gfn() * page;
    }
    return;
  }
  count = one_in(8) ? number() : 1;
  if (op == gnttabop::setup_table) {
    auto& s = record<GnttabSetupTable<width>>();
    s.dom = domid();
    s.nr_frames = static_cast<u32>(one_in(2) ? below(70) : number());
    s.frame_list = one_in(3) ? pointer() : address(records + 64);
  } else {
    auto* w = reinterpret_cast<u32*>(records);
    reinterpret_cast<hv::u16*>(records)[0] = domid(); // query_size, get_version
    if (op == gnttabop::set_version) w[0] = static_cast<u32>(below(4));
  }
}

void vcpu_record(u64 op) {
  using namespace hv::abi;
  if (op == vcpuop::register_vcpu_info) {
    record<RegisterVcpuInfo>() = {gfn(), static_cast<u32>(one_in(2) ? below(page) : next()), 0};
  } else if (op == vcpuop::set_periodic_timer) {
    record<SetPeriodicTimer>().period_ns = one_in(2) ? below(3'000'000) : next();
  } else {
    auto& t = record<SetSingleshotTimer<width>>();
    t.timeout_abs_ns = one_in(2) ? below(10'000'000'000ull) : next();
    t.flags = static_cast<u32>(below(4));
  }
}

/// The upcall vector this guest can take (its IDT has the gate), for a CALLBACK_IRQ it may set.
u32 upcall_vector = 0;

void hvm_record(u64 op) {
  using namespace hv::abi;
  auto& p = record<HvmParam>();
  p.domid = domid();
  p.index = static_cast<u32>(one_in(8) ? number() : below(hvm_param::count + 2));
  p.value = one_in(2) ? below(16) : next();
  // An upcall to a vector without a gate would stop this guest's CPU: a fact about it, not the hypervisor.
  if (op == hvmop::set_param && p.index == hvm_param::callback_irq)
    p.value = one_in(2) ? 0 : hvm_param::callback_type_vector << hvm_param::callback_type_shift | upcall_vector;
}

/// The domctl commands the hypervisor implements, which the control domain's fuzz mostly calls.
constexpr u32 domctl_commands[] = {
    hv::abi::domctl::createdomain,  hv::abi::domctl::destroydomain,           hv::abi::domctl::pausedomain,
    hv::abi::domctl::unpausedomain, hv::abi::domctl::getdomaininfo,           hv::abi::domctl::max_mem,
    hv::abi::domctl::max_vcpus,     hv::abi::domctl::get_paging_mempool_size, hv::abi::domctl::hv_adopt_peers};

void domctl_record() {
  auto& d = record<hv::abi::Domctl>();
  d.cmd = static_cast<u32>(one_in(2) ? below(20) : number());
  d.interface_version = one_in(4) ? static_cast<u32>(next()) : hv::abi::domctl_interface_version;
  d.domain = domid();
  if (!control) return;
  // As the control domain: mostly the commands it has, with records a toolstack would pass, edges among
  // them; an allowance kept small (a large one is only as large as the machine's free memory, which a
  // single domain would then take from every other allocation this guest makes).
  if (!one_in(8)) d.cmd = domctl_commands[below(sizeof domctl_commands / sizeof *domctl_commands)];
  if (!one_in(16)) d.interface_version = hv::abi::domctl_interface_version;
  switch (d.cmd) {
  case hv::abi::domctl::createdomain:
    d.domain = one_in(4) ? domid() : 0;
    d.u.createdomain.max_vcpus = static_cast<u32>(one_in(4) ? number() : below(4));
    d.u.createdomain.max_evtchn_port = static_cast<u32>(one_in(2) ? below(2048) : number());
    d.u.createdomain.max_grant_frames = static_cast<hv::i32>(one_in(2) ? below(8) : number());
    break;
  case hv::abi::domctl::max_mem: d.u.max_mem.max_memkb = one_in(32) ? number() : below(4096); break;
  case hv::abi::domctl::max_vcpus: d.u.max_vcpus.max = static_cast<u32>(one_in(4) ? number() : below(40)); break;
  case hv::abi::domctl::hv_adopt_peers: d.u.adopt_peers.predecessor = domid(); break;
  default: break;
  }
}

/// After a call: a domain createdomain made is remembered, for later calls to name.
void note_created(long result) {
  const auto& d = record<hv::abi::Domctl>();
  if (result != 0 || d.cmd != hv::abi::domctl::createdomain) return;
  made[made_count++ % 16] = d.domain;
  if (d.domain > highest_made) highest_made = d.domain;
}

// ---- the calls ----

constexpr u64 families[] = {hv::abi::hypercall::memory_op,      hv::abi::hypercall::set_timer_op,
                            hv::abi::hypercall::xen_version,    hv::abi::hypercall::console_io,
                            hv::abi::hypercall::grant_table_op, hv::abi::hypercall::vcpu_op,
                            hv::abi::hypercall::sched_op,       hv::abi::hypercall::event_channel_op,
                            hv::abi::hypercall::hvm_op,         hv::abi::hypercall::domctl};

/// How many sub-operations a family's first argument selects among (the family's numbering, of which this
/// hypervisor answers some), so that most calls reach a handler rather than -ENOSYS.
u64 sub_operations(u64 nr) {
  using namespace hv::abi;
  switch (nr) {
  case hypercall::memory_op: return 8;
  case hypercall::xen_version: return 12;
  case hypercall::console_io: return 2;
  case hypercall::grant_table_op: return 11;
  case hypercall::vcpu_op: return 14;
  case hypercall::sched_op: return 4;
  case hypercall::event_channel_op: return 14;
  case hypercall::hvm_op: return 2;
  default: return 16;
  }
}

bool may_shut_down = false;
u64 only_family = 0;        // `family=N`: every call of hypercall N, to look at one family alone
bool trace = false;         // each call printed before it is made: where a run stops, its last line says why
bool event_pending = false; // SCHEDOP_block returns at once: this guest's upcall is pending and unmasked

/// Makes one of this guest's own ports pending: a channel bound to itself, sent on. No call of the fuzz
/// can take it back, since nothing clears evtchn_upcall_pending but the guest, and the guest never does.
void make_event_pending() {
  const long unbound = alloc_unbound(hv::abi::domid_self);
  if (unbound < 0) return;
  const long local = bind_interdomain(hv::abi::domid_self, static_cast<u32>(unbound));
  event_pending = local >= 0 && send(static_cast<u32>(local)) == 0;
}

long one_call() {
  using namespace hv::abi;
  u64 nr = one_in(4) ? below(64) : families[below(sizeof families / sizeof *families)];
  if (control && one_in(2)) nr = hv::abi::hypercall::domctl;
  if (only_family != 0) nr = only_family;
  ulong a0 = static_cast<ulong>(one_in(16) ? next() : below(sub_operations(nr) + 2));
  ulong a1 = pointer(), a2 = word();
  const bool typed = !one_in(8); // else the records area keeps its raw words
  // Raw words under every typed record too: a pointer into the area must never find a small number
  // left by an earlier call, which as a frame number could be one of this guest's own pages (on POWER
  // its code lies at the first pages).
  fill_raw();
  switch (nr) {
  case hypercall::memory_op:
    // The foreign-mapping operations lie past the small numbers the others have.
    if (one_in(8)) a0 = one_in(2) ? xenmem::remove_from_physmap : xenmem::add_to_physmap_batch;
    if (typed) memory_record(a0 & xenmem::memop_cmd_mask);
    // Not word(): a small raw word as the record's address points into this guest's first pages, whose
    // bytes (zeros between POWER's vectors) read as a record naming domain 0, which is this guest when it
    // is the control domain, and frame 0: it would give back its own vectors (ppc64, seed 3, `control`).
    a1 = one_in(8) ? (one_in(2) ? far_pointer() : static_cast<ulong>(next())) : pointer();
    break;
  case hypercall::event_channel_op:
    if (typed) event_record(a0);
    break;
  case hypercall::grant_table_op: {
    u64 count = 1;
    if (typed) grant_record(a0, count);
    a2 = static_cast<ulong>(count);
    // Each record of a batch is written back: a longer batch runs off the end of RAM instead, its
    // records past the end refused with -EFAULT, so that the hypervisor writes nothing of this guest's
    // but the records.
    if (count > batch_records) a1 = ram_end - static_cast<ulong>(32 * below(4));
    break;
  }
  case hypercall::vcpu_op:
    a1 = static_cast<ulong>(one_in(4) ? number() : below(2)); // the vCPU
    a2 = pointer();
    if (typed) vcpu_record(a0);
    // Taking vCPU 0 down is refused while it is the last one; nothing else here would ever bring it back.
    break;
  case hypercall::hvm_op:
    if (typed) hvm_record(a0);
    break;
  case hypercall::domctl:
    if (typed) domctl_record();
    a0 = control && typed && !one_in(8) ? address(records) : pointer();
    break;
  case hypercall::console_io:
    if (!one_in(4)) { // three in four print nothing: over the length limit, or the unknown CONSOLEIO_read
      a1 = static_cast<ulong>(0x1'0001 + below(u64{1} << 20));
      break;
    }
    // A short length from the records, any from elsewhere (most of which fault at once or are over the
    // limit): the output stays short, and never shows this guest's own memory.
    a2 = pointer();
    a1 = static_cast<ulong>(a2 >= address(records) && a2 < address(records) + page ? below(48) : number());
    for (usize i = 0; i < record_bytes; ++i) records[i] = one_in(40) ? '\n' : static_cast<u8>(' ' + below(95));
    break;
  case hypercall::sched_op:
    if (a0 == schedop::shutdown && !may_shut_down) a0 = schedop::yield;
    if (a0 == schedop::block && !event_pending) a0 = schedop::yield;
    if (a0 == schedop::poll) {
      // A timeout already passed (system time 1 ns) or none: the poll returns at once, or when one of
      // the ports is pending, and this guest's own is.
      auto& p = record<SchedPoll<width>>();
      p.ports = address(records + 64);
      p.nr_ports = static_cast<u32>(one_in(8) ? number() : below(4));
      p.timeout = event_pending ? below(2) : 1;
      for (usize i = 0; i < 8; ++i) reinterpret_cast<u32*>(records + 64)[i] = port();
      a1 = address(records);
    }
    break;
  case hypercall::set_timer_op: a0 = static_cast<ulong>(one_in(2) ? below(20'000'000'000ull) : next()); break;
  default: break;
  }
  if (trace) Line() << "fuzz: call " << nr << " (" << a0 << ", " << a1 << ", " << a2 << ")";
  const long r = hypercall(nr, a0, a1, a2, word(), word());
  if (trace) Line() << "fuzz: returned " << r;
  if (control && nr == hypercall::domctl && a0 == address(records)) note_created(r);
  return r;
}

// ---- the tally ----

struct Class {
  const char* name;
  i64 value;
};
constexpr Class classes[] = {{"EPERM", -1},   {"ENOENT", -2},  {"ESRCH", -3},   {"ENXIO", -6},    {"EAGAIN", -11},
                             {"ENOMEM", -12}, {"EACCES", -13}, {"EFAULT", -14}, {"EBUSY", -16},   {"EEXIST", -17},
                             {"EINVAL", -22}, {"ENOSPC", -28}, {"ENOSYS", -38}, {"ENODATA", -61}, {"ETIME", -62}};
constexpr usize class_count = sizeof classes / sizeof *classes;
u64 counts[class_count + 2] = {}; // then: succeeded, anything else

void tally(long r) {
  if (r >= 0) {
    ++counts[class_count];
    return;
  }
  for (usize i = 0; i < class_count; ++i)
    if (classes[i].value == r) {
      ++counts[i];
      return;
    }
  ++counts[class_count + 1];
}

/// As the control domain, at the end: destroys every domain it made that is still there (IDs are handed
/// out upwards from 1, so they are all at or below the highest it saw), and says how many.
void destroy_made() {
  u32 destroyed = 0;
  auto& d = record<hv::abi::Domctl>();
  for (u32 id = 1; id <= highest_made; ++id) {
    d = hv::abi::Domctl{};
    d.cmd = hv::abi::domctl::destroydomain;
    d.interface_version = hv::abi::domctl_interface_version;
    d.domain = static_cast<hv::u16>(id);
    if (hypercall(hv::abi::hypercall::domctl, address(records)) == 0) ++destroyed;
  }
  Line() << "fuzz: made " << made_count << " domains, destroyed the " << destroyed << " left";
}

} // namespace

void guest_main() {
  const u64 seed = option("seed", 1);
  const u64 calls = option("calls", 20000);
  may_shut_down = has_option("shutdown");
  trace = has_option("trace");
  only_family = option("family", 0);
  control = has_option("control");
  state = seed * 0x9e37'79b9'7f4a'7c15ull + 1;
  upcall_vector = arch::prepare_upcalls();
  hv::abi::domid_t self = hv::abi::domid_self;
  const long pages = hypercall(hv::abi::hypercall::memory_op, hv::abi::xenmem::current_reservation, address(&self));
  if (pages <= 0) fail("current_reservation of itself", pages, 1);
  ram_end = static_cast<ulong>(pages) * page;
  make_event_pending();
  Line() << "fuzz: seed " << seed << ", " << calls << " calls of hypercalls 0-63, memory ends at " << ram_end;

  for (u64 i = 0; i < calls; ++i) tally(one_call());

  // Whatever console_io printed last may have ended mid-line.
  hypercall(hv::abi::hypercall::console_io, hv::abi::consoleio::write, 1, address("\n"));
  Line() << "fuzz: " << calls << " calls made, seed " << seed << ", the hypervisor answered every one";
  if (control) destroy_made();
  // Two lines, as one would not fit the console line's 160 characters.
  for (usize half = 0; half < 2; ++half) {
    Line line;
    line << "fuzz: returned";
    if (half == 0) line << " success " << counts[class_count];
    if (half == 1) line << " (continued) other " << counts[class_count + 1];
    for (usize i = half * 8; i < class_count && i < half * 8 + 8; ++i)
      line << ", " << classes[i].name << " " << counts[i];
  }
}

} // namespace guest

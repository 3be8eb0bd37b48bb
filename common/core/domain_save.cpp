// SPDX-License-Identifier: Apache-2.0
// A domain's architecture-neutral state in the save stream. See hv/core/domain_save.hpp.
#include <hv/core/domain_save.hpp>
#include <hv/core/grant_table.hpp>
#include <hv/core/guest_memory.hpp>
#include <hv/core/machine_memory.hpp>

namespace hv::save {
namespace {

constexpr u64 page = FrameAllocator::frame_size;
constexpr u32 type(RecordType t) { return static_cast<u32>(t); }

/// The memory record's head: the page's gfn. Its body is the page.
struct PageHead {
  u64 gfn;
};
/// The shared_info record's head: where the guest mapped it (~0: nowhere). Its body is the page.
struct SharedInfoHead {
  u64 gfn;
};
/// The hvm_params record: the callback, then every parameter.
struct HvmParamsRecord {
  u64 callback;
  u64 params[abi::hvm_param::count];
};

/// The event_channels record's head: how many ports follow, and the console ring the hypervisor backs
/// (its page and its port, which is one of those that follow).
struct ChannelsHead {
  u32 count;
  u32 console_port;
  u64 console_gfn; ///< ~0: no ring
};
/// One open port.
struct ChannelEntry {
  u32 port;
  u8 state; ///< abi::EvtchnStat
  u8 reserved;
  u16 remote_dom;  ///< unbound: who may bind; interdomain: the peer
  u32 remote_port; ///< interdomain: the peer's port; virq: the VIRQ
  u32 notify_vcpu;
};
static_assert(sizeof(ChannelEntry) == 16);
static_assert(sizeof(Uart16550::Registers) == 8);

/// The open ports of `d` into `out` (at most limits::max_evtchn_ports); how many.
u32 open_ports(const Domain& d, ChannelEntry* out) {
  u32 n = 0;
  for (u32 port = 1; port < d.events.valid && port < d.events.limit; ++port) {
    const Channel& c = d.events.ports[port];
    if (c.state == abi::EvtchnStat::closed) continue;
    out[n++] = ChannelEntry{port, static_cast<u8>(c.state), 0, c.remote_dom, c.remote_port, c.notify_vcpu};
  }
  return n;
}

/// Restores one port into `d` (all of whose vCPUs exist): false when it is out of range. A port connected
/// to another domain comes back unbound for that domain, which the guest binds again (the peer's side was
/// closed when the saved domain was destroyed, and the restored domain has another ID); one bound to the
/// hypervisor (the console ring's) comes back bound.
bool restore_port(Domain& d, const ChannelEntry& e) {
  if (e.port == 0 || e.port >= d.events.limit || e.notify_vcpu >= d.vcpu_count) return false;
  Channel& c = d.events.ports[e.port];
  if (c.state != abi::EvtchnStat::closed) return false; // given twice
  while (d.events.valid <= e.port) d.events.valid += EventChannels::bucket;
  const auto state = static_cast<abi::EvtchnStat>(e.state);
  switch (state) {
  case abi::EvtchnStat::unbound: c = Channel{state, e.remote_dom, 0, e.notify_vcpu}; return true;
  case abi::EvtchnStat::interdomain:
    if (e.remote_dom == abi::domid_xen) {
      c = Channel{state, e.remote_dom, 0, e.notify_vcpu};
      return true;
    }
    c = Channel{abi::EvtchnStat::unbound, e.remote_dom, 0, e.notify_vcpu};
    return true;
  case abi::EvtchnStat::virq: {
    if (e.remote_port >= abi::virq::count) return false;
    if (!abi::virq::is_per_vcpu(e.remote_port) && e.notify_vcpu != 0) return false;
    u32& bound = d.vcpus[e.notify_vcpu].virq_port[e.remote_port];
    if (bound != 0) return false;
    bound = e.port;
    c = Channel{state, abi::domid_invalid, e.remote_port, e.notify_vcpu};
    return true;
  }
  case abi::EvtchnStat::ipi: c = Channel{state, abi::domid_invalid, 0, e.notify_vcpu}; return true;
  default: return false;
  }
}

/// The grant_table record's head, one per frame of the table: which frame, and where the guest mapped
/// it (~0: nowhere). Its body is the frame's entries.
struct GrantFrameHead {
  u32 index;
  u32 reserved;
  u64 gfn;
};

/// Reads a record's payload into `out`, which it must fill exactly.
template <class T> bool take(const Record& r, T& out) {
  if (r.length != sizeof out) return false;
  __builtin_memcpy(&out, r.payload, sizeof out);
  return true;
}

} // namespace

const char* unsaveable(const Domain& d) {
  if (d.grants.pinned != 0) return "another domain maps its grants";
  bool foreign = false;
  d.p2m.for_each([&](u64, GuestPhysMap::Entry e) {
    foreign = foreign || e.kind == GuestPhysMap::Kind::foreign || e.kind == GuestPhysMap::Kind::foreign_readonly ||
              e.kind == GuestPhysMap::Kind::foreign_privileged;
  });
  if (d.grants.maptrack != nullptr)
    for (u32 i = 0; i < limits::max_maptrack; ++i) foreign = foreign || d.grants.maptrack[i].flags != 0;
  return foreign ? "it maps another domain's grants or frames" : nullptr;
}

bool write_domain(Writer& out, const Domain& d, bool memory) {
  DomainRecord dr{};
  dr.vcpus = d.vcpu_count;
  dr.max_evtchn_ports = d.events.limit;
  dr.max_pages = d.memory.limit;
  dr.weight = d.sched.weight;
  dr.cap = d.sched.cap;
  dr.grant_frames = d.grants.max_frames;
  dr.word_bytes = static_cast<u8>(abi::word_bytes(d.width));
  if (!out.record(type(RecordType::domain), &dr, sizeof dr)) return false;
  bool ok = true;
  d.p2m.for_each([&](u64 gfn, GuestPhysMap::Entry e) {
    if (!ok || !memory || e.kind != GuestPhysMap::Kind::ram) return;
    const PageHead head{gfn};
    ok = out.record(type(RecordType::memory), &head, sizeof head, map_frame(e.frame), page);
  });
  if (!ok) return false;
  const SharedInfoHead shared{d.shared_info_gfn};
  if (!out.record(type(RecordType::shared_info), &shared, sizeof shared, map_frame(d.shared_info_frame), page))
    return false;
  const Uart16550::Registers uart = d.uart.registers();
  if (!out.record(type(RecordType::uart), &uart, sizeof uart, flag_optional)) return false;
  HvmParamsRecord params{};
  params.callback = d.callback_param;
  for (u32 i = 0; i < abi::hvm_param::count; ++i) params.params[i] = d.hvm_params[i];
  if (!out.record(type(RecordType::hvm_params), &params, sizeof params)) return false;
  static ChannelEntry ports[limits::max_evtchn_ports]; // too large for a stack; one CPU saves at a time
  const ChannelsHead head{open_ports(d, ports), d.console.port, d.console.gfn};
  if (!out.record(type(RecordType::event_channels), &head, sizeof head, ports, head.count * sizeof(ChannelEntry)))
    return false;
  for (u32 i = 0; i < d.grants.nr_frames; ++i) {
    const GrantFrameHead frame{i, 0, d.grants.gfn[i] == GrantTable::unmapped ? ~u64{0} : d.grants.gfn[i]};
    if (!out.record(type(RecordType::grant_table), &frame, sizeof frame, map_frame(d.grants.shared[i]), page))
      return false;
  }
  return true;
}

namespace {
bool read_records(Reader& in, DomainTable& table, Domain& d, const char*& why, RecordHook hook, bool pages_there);
Domain* read_into(Reader& in, DomainTable& table, const char*& why, RecordHook hook, Domain& d,
                  const DomainConfig& config);
} // namespace

Domain* read_domain(Reader& in, DomainTable& table, const char*& why, RecordHook hook, abi::domid_t id, Domain* into) {
  Record r;
  if (!in.next(r, why)) {
    if (why == nullptr) why = "the stream holds no domain";
    return nullptr;
  }
  DomainRecord dr{};
  if (r.type != type(RecordType::domain) || !take(r, dr)) {
    why = "the stream does not begin with a domain record of its size";
    return nullptr;
  }
  DomainConfig config;
  config.vcpus = dr.vcpus;
  config.max_evtchn_ports = dr.max_evtchn_ports;
  config.max_pages = dr.max_pages;
  config.weight = dr.weight;
  config.cap = dr.cap;
  config.grant_frames = dr.grant_frames;
  config.id = id;
  if (dr.word_bytes != 4 && dr.word_bytes != 8) {
    why = "the domain record's word size is neither 4 nor 8";
    return nullptr;
  }
  config.width = dr.word_bytes == 4 ? abi::GuestWidth::bits32 : abi::GuestWidth::bits64;
  if (into != nullptr) return read_into(in, table, why, hook, *into, config);
  auto created = table.create(config);
  if (!created.ok()) {
    why = created.error() == Err::nomem   ? "no room on this machine for the domain"
          : created.error() == Err::exist ? "the domain ID asked for is taken"
                                          : "the domain record's configuration is out of range";
    return nullptr;
  }
  Domain& d = *created.value();
  for (u32 i = 0; i < d.vcpu_count; ++i) d.vcpus[i].online = false; // until given a state, as createdomain's
  if (!read_records(in, table, d, why, hook, false)) {
    table.destroy(d);
    return nullptr;
  }
  return &d;
}

namespace {

/// Before a page of the hypervisor's is placed at `gfn` of a domain restored into (`pages_there`): RAM the
/// toolstack gave it there goes back. The source gave that page back for this one after an earlier round
/// had sent it (the family's guests place shared_info over a page of their RAM). Whether `gfn` is in range
/// and, when it held RAM, whether that went.
bool vacate_ram(DomainTable& table, Domain& d, u64 gfn, bool pages_there) {
  if (gfn >= GuestPhysMap::gfn_limit) return false;
  if (!pages_there || d.p2m.lookup(gfn).kind != GuestPhysMap::Kind::ram) return true;
  return table.depopulate(d, gfn) == Err::ok;
}

bool read_records(Reader& in, DomainTable& table, Domain& d, const char*& why, RecordHook hook, bool pages_there) {
  Record r;
  auto fail = [&](const char* reason) -> bool {
    why = reason;
    return false;
  };
  bool shared_seen = false, params_seen = false, channels_seen = false, uart_seen = false;
  while (in.next(r, why)) {
    switch (static_cast<RecordType>(r.type)) {
    case RecordType::memory: {
      PageHead head{};
      if (r.length != sizeof head + page) return fail("a memory record is not one page long");
      __builtin_memcpy(&head, r.payload, sizeof head);
      const GuestPhysMap::Entry there = d.p2m.lookup(head.gfn);
      // Restored into a domain the toolstack gave memory, a page overwrites the one there.
      const bool overwrite = pages_there && there.kind == GuestPhysMap::Kind::ram;
      if (head.gfn >= GuestPhysMap::gfn_limit || (there.present() && !overwrite))
        return fail("a memory record's gfn is out of range or given twice");
      const Err e = overwrite ? Err::ok : table.populate(d, head.gfn, 1);
      if (e != Err::ok)
        return fail(e == Err::nomem ? "more memory than the domain's allowance or the machine has"
                                    : "a memory record's page cannot be placed");
      if (!GuestMemory(d.p2m).copy_to(head.gfn * page, r.payload + sizeof head, page))
        return fail("a memory record's page cannot be written");
      break;
    }
    case RecordType::shared_info: {
      SharedInfoHead head{};
      if (shared_seen || r.length != sizeof head + page)
        return fail("a second shared_info record, or one not a page long");
      shared_seen = true;
      __builtin_memcpy(&head, r.payload, sizeof head);
      __builtin_memcpy(map_frame(d.shared_info_frame), r.payload + sizeof head, page);
      if (head.gfn != ~u64{0}) {
        if (!vacate_ram(table, d, head.gfn, pages_there) || d.p2m.lookup(head.gfn).present())
          return fail("shared_info's gfn is out of range or holds memory");
        if (d.p2m.set(head.gfn, d.shared_info_frame, GuestPhysMap::Kind::hypervisor) != Err::ok)
          return fail("no room on this machine for the domain's tables");
        d.shared_info_gfn = head.gfn;
      }
      break;
    }
    case RecordType::hvm_params: {
      HvmParamsRecord params{};
      if (params_seen || !take(r, params)) return fail("a second hvm_params record, or one of the wrong size");
      params_seen = true;
      d.callback_param = params.callback;
      for (u32 i = 0; i < abi::hvm_param::count; ++i) d.hvm_params[i] = params.params[i];
      break;
    }
    case RecordType::uart: {
      Uart16550::Registers registers{};
      if (uart_seen || !take(r, registers) || registers.reserved[0] != 0 || registers.reserved[1] != 0)
        return fail("a second uart record, or one of the wrong size or with its reserved bytes set");
      uart_seen = true;
      d.uart.set_registers(registers);
      break;
    }
    case RecordType::event_channels: {
      ChannelsHead head{};
      if (channels_seen || r.length < sizeof head) return fail("a second event_channels record, or one cut short");
      channels_seen = true;
      __builtin_memcpy(&head, r.payload, sizeof head);
      if (head.count > limits::max_evtchn_ports || r.length != sizeof head + head.count * sizeof(ChannelEntry))
        return fail("the event_channels record's length does not match its ports");
      for (u32 i = 0; i < head.count; ++i) {
        ChannelEntry e{};
        __builtin_memcpy(&e, r.payload + sizeof head + i * sizeof e, sizeof e);
        if (!restore_port(d, e)) return fail("an event channel out of range, given twice, or of an unknown state");
      }
      if (head.console_gfn != ConsoleRing::none) {
        if (head.console_gfn >= GuestPhysMap::gfn_limit) return fail("the console ring's gfn is out of range");
        d.console.gfn = head.console_gfn;
      }
      if (head.console_port != 0) {
        const bool bound = head.console_port < d.events.limit &&
                           d.events.ports[head.console_port].state == abi::EvtchnStat::interdomain &&
                           d.events.ports[head.console_port].remote_dom == abi::domid_xen;
        if (!bound || !d.console.present()) return fail("the console ring's port is not bound to the hypervisor");
        d.console.port = head.console_port;
      }
      break;
    }
    case RecordType::grant_table: {
      GrantFrameHead head{};
      if (r.length != sizeof head + page) return fail("a grant_table record is not one frame long");
      __builtin_memcpy(&head, r.payload, sizeof head);
      if (head.index >= d.grants.max_frames || grant::grow(table.frames(), d, head.index + 1) != Err::ok)
        return fail("a grant frame past the domain's table, or no room on this machine for it");
      __builtin_memcpy(map_frame(d.grants.shared[head.index]), r.payload + sizeof head, page);
      if (head.gfn != ~u64{0}) {
        if (d.grants.gfn[head.index] != GrantTable::unmapped) return fail("a grant frame given twice");
        if (!vacate_ram(table, d, head.gfn, pages_there) || d.p2m.lookup(head.gfn).present())
          return fail("a grant frame's gfn is out of range or holds memory");
        if (d.p2m.set(head.gfn, d.grants.shared[head.index], GuestPhysMap::Kind::hypervisor) != Err::ok)
          return fail("no room on this machine for the domain's tables");
        d.grants.gfn[head.index] = head.gfn;
      }
      break;
    }
    default:
      if (hook.take == nullptr) return fail("a record this version restores nothing from (vCPU or timer state)");
      if (!hook.take(hook.context, d, r, why)) return fail(why);
      break;
    }
  }
  if (why != nullptr) return fail(why);
  if (!shared_seen) return fail("the stream has no shared_info record");
  return true;
}

Domain* read_into(Reader& in, DomainTable& table, const char*& why, RecordHook hook, Domain& d,
                  const DomainConfig& config) {
  // What createdomain cannot say (the word size, known from an image) comes from the record; what it
  // sized (vCPUs, the grant table) must match.
  if (config.vcpus != d.vcpu_count || config.grant_frames != d.grants.max_frames ||
      config.max_evtchn_ports > abi::two_level_port_limit(config.width) ||
      config.max_evtchn_ports > limits::max_evtchn_ports || config.max_evtchn_ports == 0 || config.weight == 0) {
    why = "the domain record does not match the domain restored into";
    return nullptr;
  }
  bool fresh = d.state == DomainState::created && d.shared_info_gfn == ~u64{0};
  for (u32 i = 0; i < d.vcpu_count; ++i) fresh = fresh && !d.vcpus[i].context_made;
  for (u32 p = 1; p < d.events.limit; ++p) fresh = fresh && d.events.ports[p].state == abi::EvtchnStat::closed;
  if (!fresh) {
    why = "the domain restored into has run or holds state already";
    return nullptr;
  }
  d.width = config.width;
  d.shared_info = SharedInfoPage(map_frame(d.shared_info_frame), config.width);
  d.events.limit = config.max_evtchn_ports;
  d.sched.weight = config.weight;
  d.sched.cap = config.cap;
  table.set_max_pages(d, config.max_pages);
  for (u32 i = 0; i < d.vcpu_count; ++i) d.vcpus[i].online = false;
  return read_records(in, table, d, why, hook, true) ? &d : nullptr;
}

} // namespace

} // namespace hv::save

// Hypercall dispatch. See hv/core/hypercall.hpp for the entry's contract; each handler below says what
// its hypercall does and which errors it returns.
#include <hv/abi/domctl.hpp>
#include <hv/abi/hypercall.hpp>
#include <hv/abi/memory.hpp>
#include <hv/console.hpp>
#include <hv/core/guest_memory.hpp>
#include <hv/core/hypercall.hpp>

namespace hv {
namespace {

constexpr i64 ret(Err e) { return to_return(e); }
constexpr i64 efault = to_return(Err::fault);
constexpr i64 enosys = to_return(Err::nosys);
constexpr i64 einval = to_return(Err::inval);
constexpr u64 page = FrameAllocator::frame_size;

template <class T> bool read(const Domain& d, u64 gpa, T& out) { return GuestMemory(d.p2m).read(gpa, out); }
template <class T> bool write(const Domain& d, u64 gpa, const T& in) { return GuestMemory(d.p2m).write(gpa, in); }

bool wide(const Domain& d) { return d.width == abi::GuestWidth::bits64; }

/// Reads the record at `gpa` of `d`'s memory in the layout of `d`'s word size, Record<bits32> or
/// Record<bits64> (hv/abi/guest_width.hpp), and calls `use(record)` with it: a generic lambda, which
/// takes what it needs out of either layout. False, without calling `use`, when it cannot be read.
template <template <abi::GuestWidth> class Record, class Use> bool read_sized(const Domain& d, u64 gpa, Use use) {
  if (wide(d)) {
    Record<abi::GuestWidth::bits64> r{};
    if (!read(d, gpa, r)) return false;
    use(r);
  } else {
    Record<abi::GuestWidth::bits32> r{};
    if (!read(d, gpa, r)) return false;
    use(r);
  }
  return true;
}

bool element_address(u64 base, u64 index, u64 size, u64& out) { return GuestMemory::element(base, index, size, out); }

/// Reads a guest word (xen_pfn_t, xen_ulong_t) of the guest's width.
bool read_word(const Domain& d, u64 gpa, u64& out) {
  if (wide(d)) return read(d, gpa, out);
  u32 narrow = 0;
  const bool ok = read(d, gpa, narrow);
  out = narrow;
  return ok;
}

// ---- xen_version (17): (cmd, arg) ----
// XENVER_version returns major << 16 | minor; XENVER_extraversion copies a 16-byte string to arg;
// XENVER_get_features fills the requested feature word (-EINVAL past the last); XENVER_pagesize returns the
// page size. Anything else: -ENOSYS.
i64 xen_version(Domain& caller, u64 cmd, u64 arg) {
  switch (cmd) {
  case abi::xenver::version: return static_cast<i64>(abi::version_major << 16 | abi::version_minor);
  case abi::xenver::extraversion: {
    char text[abi::extraversion_size] = {'.', '0', '-', 'h', 'v'};
    return write(caller, arg, text) ? 0 : efault;
  }
  case abi::xenver::get_features: {
    abi::FeatureInfo info{};
    if (!read(caller, arg, info)) return efault;
    if (info.submap_idx >= abi::xenfeat::submaps) return einval;
    info.submap = u32{1} << abi::xenfeat::auto_translated_physmap;
    if (caller.privileged) info.submap |= u32{1} << abi::xenfeat::dom0;
    return write(caller, arg, info) ? 0 : efault;
  }
  case abi::xenver::pagesize: return static_cast<i64>(page);
  default: return enosys;
  }
}

// ---- console_io (18): (cmd, count, buffer) ----
// CONSOLEIO_write prints `count` bytes of the guest's buffer, each line prefixed with "(dN) ". Control
// characters other than newline and tab are shown as '.', so a guest cannot drive the terminal. -EFAULT
// when the buffer cannot be read (what was read before the fault is printed). CONSOLEIO_read: -ENOSYS,
// there is no console input yet.
void console_emit(Domain& d, const char* text, usize n) {
  char out[160];
  usize used = 0;
  auto flush = [&] {
    if (used != 0) console_write(out, used);
    used = 0;
  };
  for (usize i = 0; i < n; ++i) {
    if (!d.console_mid_line) {
      flush();
      print("(d{}) ", d.id);
      d.console_mid_line = true;
    }
    char c = text[i];
    if (c == '\n')
      d.console_mid_line = false;
    else if (c != '\t' && (c < 0x20 || c > 0x7e))
      c = '.';
    out[used++] = c;
    if (used == sizeof out) flush();
  }
  flush();
}

[[gnu::noinline]] i64 console_io(Domain& caller, u64 cmd, u64 count, u64 buffer) {
  if (cmd != abi::consoleio::write) return enosys;
  count &= 0xffff'ffff; // an unsigned int in the ABI
  char chunk[128];
  for (u64 done = 0; done < count;) {
    const usize n = static_cast<usize>(count - done < sizeof chunk ? count - done : sizeof chunk);
    u64 at = 0;
    if (!GuestMemory::element(buffer, done, 1, at) || !GuestMemory(caller.p2m).copy_from(at, chunk, n)) return efault;
    console_emit(caller, chunk, n);
    done += n;
  }
  return 0;
}

// ---- sched_op (29): (cmd, arg) ----
// SCHEDOP_yield: the caller goes behind every runnable domain at the next schedule. SCHEDOP_block: the
// vCPU blocks until an event (returns at once if one waits). SCHEDOP_shutdown: the domain stops with the
// SchedShutdown reason (-EINVAL for an unknown one). SCHEDOP_poll: returns at once when one of the named
// ports is pending, else blocks like SCHEDOP_block (any event wakes it; the timeout is not implemented
// yet); -EINVAL for more than 128 ports or a port past the domain's limit.
[[gnu::noinline]] i64 sched_poll(HypercallEnv& env, Domain& caller, Vcpu& vcpu, u64 arg) {
  u64 ports = 0, nr = 0;
  if (!read_sized<abi::SchedPoll>(caller, arg, [&](const auto& p) {
        ports = p.ports;
        nr = p.nr_ports;
      }))
    return efault;
  if (nr > abi::sched_poll_max_ports) return einval;
  bool pending = false;
  for (u64 i = 0; i < nr; ++i) {
    u64 at = 0;
    abi::evtchn_port_t port = 0;
    if (!element_address(ports, i, sizeof port, at) || !read(caller, at, port)) return efault;
    if (port >= caller.events.limit) return einval;
    pending = pending || caller.shared_info.test_pending(port);
  }
  if (!pending) env.domains.vcpu_block(vcpu);
  return 0;
}

i64 sched_op(HypercallEnv& env, Domain& caller, Vcpu& vcpu, u64 cmd, u64 arg) {
  switch (cmd) {
  case abi::schedop::yield:
    if (env.scheduler != nullptr) env.scheduler->yield();
    return 0;
  case abi::schedop::block: env.domains.vcpu_block(vcpu); return 0;
  case abi::schedop::shutdown: {
    abi::SchedShutdown s{};
    if (!read(caller, arg, s)) return efault;
    return ret(env.domains.shutdown(caller, static_cast<abi::ShutdownReason>(s.reason)));
  }
  case abi::schedop::poll: return sched_poll(env, caller, vcpu, arg);
  default: return enosys;
  }
}

// ---- event_channel_op (32): (cmd, arg) ----
// Each sub-operation reads its record, performs it (hv/core/event_channel.hpp has the semantics and error
// codes) and, on success, writes the record back when it has OUT fields. bind_pirq and the FIFO ABI's
// operations (reset, init_control, expand_array, set_priority): -ENOSYS, so guests stay on the 2-level ABI.
template <class Op, class F> i64 evtchn_call_inline(Domain& caller, u64 arg, bool has_out, F f) {
  Op op{};
  if (!read(caller, arg, op)) return efault;
  const Err e = f(op);
  if (e == Err::ok && has_out && !write(caller, arg, op)) return efault;
  return ret(e);
}
// Every sub-operation but the hot one (send) out of line: see dispatch.
template <class Op, class F> [[gnu::noinline]] i64 evtchn_call(Domain& caller, u64 arg, bool has_out, F f) {
  return evtchn_call_inline<Op>(caller, arg, has_out, f);
}

i64 event_channel_op(DomainTable& table, Domain& caller, u64 cmd, u64 arg) {
  namespace op = abi::evtchnop;
  switch (cmd) {
  case op::alloc_unbound:
    return evtchn_call<abi::EvtchnAllocUnbound>(caller, arg, true,
                                                [&](auto& o) { return evtchn::alloc_unbound(table, caller, o); });
  case op::bind_interdomain:
    return evtchn_call<abi::EvtchnBindInterdomain>(caller, arg, true,
                                                   [&](auto& o) { return evtchn::bind_interdomain(table, caller, o); });
  case op::bind_virq:
    return evtchn_call<abi::EvtchnBindVirq>(caller, arg, true, [&](auto& o) { return evtchn::bind_virq(caller, o); });
  case op::bind_ipi:
    return evtchn_call<abi::EvtchnBindIpi>(caller, arg, true, [&](auto& o) { return evtchn::bind_ipi(caller, o); });
  case op::close:
    return evtchn_call<abi::EvtchnClose>(caller, arg, false,
                                         [&](auto& o) { return evtchn::close(table, caller, o.port); });
  case op::send:
    return evtchn_call_inline<abi::EvtchnSend>(caller, arg, false,
                                               [&](auto& o) { return evtchn::send(table, caller, o.port); });
  case op::status:
    return evtchn_call<abi::EvtchnStatus>(caller, arg, true, [&](auto& o) { return evtchn::status(table, caller, o); });
  case op::unmask:
    return evtchn_call<abi::EvtchnUnmask>(caller, arg, false,
                                          [&](auto& o) { return evtchn::unmask(table, caller, o.port); });
  case op::bind_vcpu:
    return evtchn_call<abi::EvtchnBindVcpu>(caller, arg, false, [&](auto& o) { return evtchn::bind_vcpu(caller, o); });
  default: return enosys;
  }
}

// ---- grant_table_op (20): (cmd, uop, count) ----
// map_grant_ref and unmap_grant_ref take an array of `count` records; each one's outcome is its `status`
// (GNTST_*, hv/core/grant_table.hpp), and the hypercall returns 0, or -EFAULT when a record cannot be read
// or written back (the records before it were done). query_size takes exactly one record (-EINVAL
// otherwise) and reports the domain's grant frames; another domain's only to a privileged caller. Other
// sub-operations: -ENOSYS.
template <class Op, class F> i64 grant_batch(Domain& caller, u64 uop, u64 count, F f) {
  for (u64 i = 0; i < count; ++i) {
    u64 at = 0;
    Op op{};
    if (!element_address(uop, i, sizeof op, at) || !read(caller, at, op)) return efault;
    f(op);
    if (!write(caller, at, op)) return efault;
  }
  return 0;
}

[[gnu::noinline]] i64 grant_table_op(DomainTable& table, Domain& caller, u64 cmd, u64 uop, u64 count) {
  count &= 0xffff'ffff; // an unsigned int in the ABI
  switch (cmd) {
  case abi::gnttabop::map_grant_ref:
    return grant_batch<abi::GnttabMapGrantRef>(caller, uop, count, [&](auto& op) { grant::map(table, caller, op); });
  case abi::gnttabop::unmap_grant_ref:
    return grant_batch<abi::GnttabUnmapGrantRef>(caller, uop, count,
                                                 [&](auto& op) { grant::unmap(table, caller, op); });
  case abi::gnttabop::query_size: {
    if (count != 1) return einval;
    abi::GnttabQuerySize op{};
    if (!read(caller, uop, op)) return efault;
    Domain* d = table.resolve(caller, op.dom);
    if (d == nullptr) {
      op.status = abi::gntst::bad_domain;
    } else if (d != &caller && !caller.privileged) {
      op.status = abi::gntst::permission_denied;
    } else {
      op.nr_frames = d->grants.nr_frames;
      op.max_nr_frames = d->grants.nr_frames; // fixed at creation: the table does not grow
      op.status = abi::gntst::okay;
    }
    return write(caller, uop, op) ? 0 : efault;
  }
  default: return enosys;
  }
}

// ---- memory_op (12): (cmd, arg) ----
// increase_reservation, populate_physmap: for each extent, the guest frame number read from extent_start
// gets 2^extent_order fresh zeroed frames (our guests are all translated, so increase_reservation is
// populate_physmap by another name). decrease_reservation gives back each extent's frames. All three
// return the number of extents done (stopping at the first that fails: over the allowance, a range
// already or not mapped, a frame still granted), resume at the start extent in the command's upper bits,
// and say -EFAULT when the record, or the first extent's frame number, cannot be read; -ESRCH for no such
// domain, -EPERM for another domain from an unprivileged caller, -EINVAL for an order above the
// allocator's largest. current_reservation and maximum_reservation return a domain's pages and allowance.
Result<Domain*> target_domain(DomainTable& table, Domain& caller, abi::domid_t id) {
  Domain* d = table.resolve(caller, id);
  if (d == nullptr) return Err::srch;
  if (d != &caller && !caller.privileged) return Err::perm;
  return d;
}

i64 reservation(DomainTable& table, Domain& caller, u64 op, u64 start, u64 arg) {
  u64 extents = 0, nr = 0;
  u32 order = 0;
  abi::domid_t domid = 0;
  if (!read_sized<abi::MemoryReservation>(caller, arg, [&](const auto& r) {
        extents = r.extent_start;
        nr = r.nr_extents;
        order = r.extent_order;
        domid = r.domid;
      }))
    return efault;
  auto target = target_domain(table, caller, domid);
  if (!target.ok()) return ret(target.error());
  Domain& d = *target.value();
  if (order > FrameAllocator::max_order) return einval;
  const u64 word = abi::word_bytes(caller.width); // of each xen_pfn_t
  const u64 frames = u64{1} << order;
  for (u64 i = start; i < nr; ++i) {
    u64 at = 0, gfn = 0;
    if (!element_address(extents, i, word, at) || !read_word(caller, at, gfn))
      return i == start ? efault : static_cast<i64>(i);
    if (op == abi::xenmem::decrease_reservation) {
      if (gfn >= GuestPhysMap::gfn_limit || frames > GuestPhysMap::gfn_limit - gfn) return static_cast<i64>(i);
      for (u64 k = 0; k < frames; ++k)
        if (table.depopulate(d, gfn + k) != Err::ok) return static_cast<i64>(i);
    } else if (table.populate(d, gfn, frames) != Err::ok) {
      return static_cast<i64>(i);
    }
  }
  return static_cast<i64>(nr > start ? nr : start);
}

// add_to_physmap: XENMAPSPACE_shared_info (idx 0) maps the domain's shared_info page at gpfn, moving it
// from wherever it was mapped before; RAM that was at gpfn is given back first (-EBUSY while another
// domain maps that frame through a grant). -EINVAL for another idx or a gpfn out of range, -ENOSYS for
// the other spaces (grant frames are not mapped this way yet).
i64 add_to_physmap(DomainTable& table, Domain& caller, u64 arg) {
  abi::domid_t domid = 0;
  u32 space = 0;
  u64 idx = 0, gpfn = 0;
  if (!read_sized<abi::AddToPhysmap>(caller, arg, [&](const auto& a) {
        domid = a.domid;
        space = a.space;
        idx = a.idx;
        gpfn = a.gpfn;
      }))
    return efault;
  auto target = target_domain(table, caller, domid);
  if (!target.ok()) return ret(target.error());
  Domain& d = *target.value();
  if (space != abi::mapspace::shared_info) return enosys;
  if (idx != 0 || gpfn >= GuestPhysMap::gfn_limit) return einval;
  if (gpfn == d.shared_info_gfn) return 0;
  const GuestPhysMap::Entry there = d.p2m.lookup(gpfn);
  if (there.kind == GuestPhysMap::Kind::ram) {
    const Err e = table.depopulate(d, gpfn);
    if (e != Err::ok) return ret(e);
  } else if (there.present()) {
    return ret(Err::busy); // a foreign frame: the grant must be unmapped first
  }
  const Err e = d.p2m.set(gpfn, d.shared_info_frame, GuestPhysMap::Kind::hypervisor);
  if (e != Err::ok) return ret(e);
  if (d.shared_info_gfn != ~u64{0}) d.p2m.clear(d.shared_info_gfn);
  d.shared_info_gfn = gpfn;
  return 0;
}

[[gnu::noinline]] i64 memory_op(DomainTable& table, Domain& caller, u64 cmd, u64 arg) {
  const u64 op = cmd & abi::xenmem::memop_cmd_mask;
  const u64 start = cmd >> abi::xenmem::memop_extent_shift;
  switch (op) {
  case abi::xenmem::increase_reservation:
  case abi::xenmem::decrease_reservation:
  case abi::xenmem::populate_physmap: return reservation(table, caller, op, start, arg);
  case abi::xenmem::add_to_physmap: return add_to_physmap(table, caller, arg);
  case abi::xenmem::current_reservation:
  case abi::xenmem::maximum_reservation: {
    abi::domid_t id = 0;
    if (!read(caller, arg, id)) return efault;
    auto target = target_domain(table, caller, id);
    if (!target.ok()) return ret(target.error());
    const FrameAccount& m = target.value()->memory;
    const u64 value = op == abi::xenmem::current_reservation ? m.frames : m.limit;
    return static_cast<i64>(value > u64{0x7fff'ffff'ffff'ffff} ? u64{0x7fff'ffff'ffff'ffff} : value);
  }
  default: return enosys;
  }
}

// ---- hvm_op (34): (op, arg) ----
// HVMOP_set_param / get_param of HVM_PARAM_CALLBACK_IRQ: how the domain's event upcall is delivered.
// Only the vector type (2) is supported: setting another type, or 0, unregisters the upcall (events are
// then only seen by polling). Other parameter indexes below HVM_NR_PARAMS: -ENOSYS; at or above it:
// -EINVAL; other operations: -ENOSYS.
[[gnu::noinline]] i64 hvm_op(DomainTable& table, Domain& caller, u64 op, u64 arg) {
  if (op != abi::hvmop::set_param && op != abi::hvmop::get_param) return enosys;
  abi::HvmParam p{};
  if (!read(caller, arg, p)) return efault;
  auto target = target_domain(table, caller, p.domid);
  if (!target.ok()) return ret(target.error());
  if (p.index >= abi::hvm_param::count) return einval;
  if (p.index != abi::hvm_param::callback_irq) return enosys;
  Domain& d = *target.value();
  if (op == abi::hvmop::get_param) {
    p.value = d.callback_param;
    return write(caller, arg, p) ? 0 : efault;
  }
  d.callback_param = p.value;
  return 0;
}

// ---- vcpu_op (24): (cmd, vcpuid, arg), on the caller's own vCPUs ----
// VCPUOP_up brings a vCPU online (0 if it already is); VCPUOP_down takes one offline (-EINVAL for the last
// online one); VCPUOP_is_up returns 1 or 0. -ENOENT for no such vCPU. VCPUOP_initialise and others:
// -ENOSYS (a vCPU's register state is the port's, and not settable by hypercall yet).
[[gnu::noinline]] i64 vcpu_op(DomainTable& table, Domain& caller, u64 cmd, u64 vcpuid) {
  Vcpu* v = vcpuid < caller.vcpu_count ? caller.vcpu(static_cast<u32>(vcpuid)) : nullptr;
  if (v == nullptr) return ret(Err::noent);
  switch (cmd) {
  case abi::vcpuop::up: return v->online ? 0 : ret(table.vcpu_up(*v));
  case abi::vcpuop::down: return ret(table.vcpu_down(*v));
  case abi::vcpuop::is_up: return v->online ? 1 : 0;
  default: return enosys;
  }
}

// ---- domctl (36): (arg), the control domain only ----
// -EPERM for any other caller (checked before the record is read), -EFAULT when the record cannot be read,
// -EACCES for another interface version, -ESRCH when the target domain does not exist.
// createdomain: a new paused domain from the record (max_vcpus, max_evtchn_port, max_grant_frames; no
// memory allowance until max_mem); its ID is written back in `domain` (which must be 0 or reserved on the
// way in: choosing IDs is not supported, -EINVAL). destroydomain, pausedomain, unpausedomain (which also
// starts a domain being built, once it has memory): -EINVAL on the caller itself. getdomaininfo fills the
// record. max_mem sets the allowance (KiB); max_vcpus raises the vCPU count of a domain being built.
// Other commands: -ENOSYS.
u32 dominfo_flags(const Domain& d) {
  u32 flags = abi::dominf::hvm_guest;
  if (d.state == DomainState::dying) flags |= abi::dominf::dying | abi::dominf::shutdown;
  if (d.state == DomainState::shut_down) flags |= abi::dominf::shutdown;
  if (d.state == DomainState::shut_down || d.state == DomainState::dying)
    flags |= static_cast<u32>(d.shutdown_reason) << abi::dominf::shutdown_shift;
  if (d.pause_count != 0) flags |= abi::dominf::paused;
  bool any_runnable = false, all_blocked = true;
  for (u32 i = 0; i < d.vcpu_count; ++i) {
    if (!d.vcpus[i].online) continue;
    any_runnable = any_runnable || d.runnable(d.vcpus[i]);
    all_blocked = all_blocked && d.vcpus[i].blocked;
  }
  if (any_runnable)
    flags |= abi::dominf::running;
  else if (all_blocked && d.state == DomainState::running)
    flags |= abi::dominf::blocked;
  return flags;
}

i64 createdomain(DomainTable& table, Domain& caller, abi::Domctl& op, u64 arg) {
  if (op.domain != 0 && op.domain < abi::domid_first_reserved) return einval;
  const abi::DomctlCreateDomain& c = op.u.createdomain;
  DomainConfig config;
  config.vcpus = c.max_vcpus;
  const u32 port_limit = abi::two_level_port_limit(config.width);
  config.max_evtchn_ports = c.max_evtchn_port >= port_limit - 1 ? port_limit : c.max_evtchn_port + 1;
  config.grant_frames = c.max_grant_frames <= 0 ? 1 : static_cast<u32>(c.max_grant_frames);
  auto created = table.create(config);
  if (!created.ok()) return ret(created.error());
  op.domain = created.value()->id;
  if (!write(caller, arg, op)) {
    table.destroy(*created.value()); // the caller would never learn its ID
    return efault;
  }
  return 0;
}

[[gnu::noinline]] i64 domctl(DomainTable& table, Domain& caller, u64 arg) {
  if (!caller.privileged) return ret(Err::perm);
  abi::Domctl op{};
  if (!read(caller, arg, op)) return efault;
  if (op.interface_version != abi::domctl_interface_version) return ret(Err::acces);
  if (op.cmd == abi::domctl::createdomain) return createdomain(table, caller, op, arg);

  Domain* d = table.resolve(caller, op.domain);
  if (d == nullptr) return ret(Err::srch);
  switch (op.cmd) {
  case abi::domctl::destroydomain:
    if (d == &caller) return einval;
    table.destroy(*d);
    return 0;
  case abi::domctl::pausedomain: return d == &caller ? einval : ret(table.pause(*d));
  case abi::domctl::unpausedomain:
    if (d == &caller) return einval;
    return ret(d->state == DomainState::created ? table.start(*d) : table.unpause(*d));
  case abi::domctl::getdomaininfo: {
    abi::DomctlGetDomainInfo& info = op.u.getdomaininfo;
    info = abi::DomctlGetDomainInfo{};
    info.domain = d->id;
    info.flags = dominfo_flags(*d);
    info.tot_pages = d->memory.frames;
    info.max_pages = d->memory.limit;
    info.shared_info_frame = d->shared_info_frame / page;
    info.cpu_time = d->sched.run_ns;
    for (u32 i = 0; i < d->vcpu_count; ++i) info.nr_online_vcpus += d->vcpus[i].online ? 1 : 0;
    info.max_vcpu_id = d->vcpu_count - 1;
    return write(caller, arg, op) ? 0 : efault;
  }
  case abi::domctl::max_mem: d->memory.limit = op.u.max_mem.max_memkb / (page / 1024); return 0;
  case abi::domctl::max_vcpus: return ret(table.set_max_vcpus(*d, op.u.max_vcpus.max));
  default: return enosys;
  }
}

} // namespace

// The handlers of the hypercalls off the hot paths, and each event channel sub-operation, are kept out of
// line (noinline): inlined, their records and register pressure made every hypercall, even a null one,
// save and restore all the non-volatile registers.
i64 dispatch(HypercallEnv& env, Domain& caller, Vcpu& vcpu, u64 nr, u64 a0, u64 a1, u64 a2) {
  if (!wide(caller)) {
    constexpr u64 low = 0xffff'ffff;
    nr &= low;
    a0 &= low;
    a1 &= low;
    a2 &= low;
  }
  DomainTable& table = env.domains;
  switch (nr) {
  case abi::hypercall::xen_version: return xen_version(caller, a0, a1);
  case abi::hypercall::console_io: return console_io(caller, a0, a1, a2);
  case abi::hypercall::sched_op: return sched_op(env, caller, vcpu, a0, a1);
  case abi::hypercall::event_channel_op: return event_channel_op(table, caller, a0, a1);
  case abi::hypercall::grant_table_op: return grant_table_op(table, caller, a0, a1, a2);
  case abi::hypercall::memory_op: return memory_op(table, caller, a0, a1);
  case abi::hypercall::vcpu_op: return vcpu_op(table, caller, a0, a1);
  case abi::hypercall::hvm_op: return hvm_op(table, caller, a0, a1);
  case abi::hypercall::domctl: return domctl(table, caller, a0);
  default: return enosys;
  }
}

} // namespace hv

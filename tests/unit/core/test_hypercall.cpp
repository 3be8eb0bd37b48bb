// SPDX-License-Identifier: Apache-2.0
// Hypercall dispatch: each hypercall's success path and error codes, through guest memory as a guest
// would pass its arguments; and copy-from/to-guest itself.
#include <hv/abi/domctl.hpp>
#include <hv/abi/hvm.hpp>
#include <hv/abi/hypercall.hpp>
#include <hv/abi/memory.hpp>
#include <hv/core/guest_memory.hpp>
#include <hv/core/hypercall.hpp>
#include <hv/core/machine_memory.hpp>

#include "hypercall_support.hpp"

#include <array>
#include <cstring>
#include <string>
#include <vector>

using hv::Domain;
using hv::Err;
using hv::i64;
using hv::u32;
using hv::u64;
using namespace hv::abi;

namespace {
constexpr u64 page = 4096;
constexpr i64 enosys = -38, efault = -14, einval = -22, eperm = -1, esrch = -3, enoent = -2, eacces = -13;

using Machine = hv::test::HypercallMachine;
using hv::test::get;
using hv::test::put;
} // namespace

TEST_CASE("guest memory as the calling vCPU addresses it: translated page by page, all or nothing") {
  // The host port's guests address memory physically (translate_linear is the identity), so this is the
  // path a hypercall argument takes, page walks and one-page shortcut included, checked against the p2m.
  Machine m;
  Domain& d = m.running({}, 4); // gfn 0..3
  const hv::GuestMemory caller(d.vcpus[0]);
  const char text[] = "straddles a page boundary";
  REQUIRE(caller.copy_to(2 * page - 5, text, sizeof text));
  char back[sizeof text] = {};
  REQUIRE(hv::GuestMemory(d.p2m).copy_from(2 * page - 5, back, sizeof back));
  CHECK(std::strcmp(back, text) == 0);
  std::memset(back, 0, sizeof back);
  REQUIRE(caller.copy_from(2 * page - 5, back, sizeof back));
  CHECK(std::strcmp(back, text) == 0);
  CHECK(caller.copy_from(page, back, 8)); // one page

  const char before[] = "untouched";
  REQUIRE(caller.copy_to(4 * page - sizeof before, before, sizeof before)); // the last bytes of gfn 3
  CHECK_FALSE(caller.copy_to(4 * page - 4, text, 8)); // its second page is not mapped: nothing written
  REQUIRE(caller.copy_from(4 * page - sizeof before, back, sizeof before));
  CHECK(std::strcmp(back, before) == 0);
  CHECK_FALSE(caller.copy_from(~u64{0} - 2, back, 8)); // wraps around
  CHECK_FALSE(caller.copy_from(hv::GuestMemory::limit, back, 1));
  CHECK(caller.copy_from(0, back, 0));
}

TEST_CASE("guest memory: copies across pages, refuses unmapped, out-of-range and read-only pages") {
  Machine m;
  Domain& d = m.running({}, 4); // gfn 0..3
  const char text[] = "straddles a page boundary";
  REQUIRE(hv::GuestMemory(d.p2m).copy_to(2 * page - 5, text, sizeof text));
  char back[sizeof text] = {};
  REQUIRE(hv::GuestMemory(d.p2m).copy_from(2 * page - 5, back, sizeof back));
  CHECK(std::strcmp(back, text) == 0);
  // The bytes really are in the two machine frames behind gfn 1 and 2.
  CHECK(std::memcmp(static_cast<char*>(hv::map_frame(d.p2m.lookup(1).frame)) + page - 5, text, 5) == 0);
  CHECK(std::memcmp(hv::map_frame(d.p2m.lookup(2).frame), text + 5, 5) == 0);

  CHECK(hv::GuestMemory(d.p2m).copy_from(0, back, 0));                  // empty: fine
  CHECK_FALSE(hv::GuestMemory(d.p2m).copy_from(4 * page, back, 1));     // unmapped
  CHECK_FALSE(hv::GuestMemory(d.p2m).copy_from(4 * page - 4, back, 8)); // straddles the end
  CHECK_FALSE(hv::GuestMemory(d.p2m).copy_to(4 * page - 4, text, 8));
  CHECK_FALSE(hv::GuestMemory(d.p2m).copy_from(~u64{0} - 2, back, 8)); // wraps around
  CHECK_FALSE(hv::GuestMemory(d.p2m).copy_from(hv::GuestMemory::limit, back, 1));

  // Array elements: one that would not end below 2^64 (the arithmetic would wrap) is refused; one past
  // the guest-physical space is the copy's to refuse, since a virtual address may lie anywhere.
  u64 at = 0;
  CHECK(hv::GuestMemory::element(0x1000, 3, 8, at));
  CHECK(at == 0x1018);
  CHECK_FALSE(hv::GuestMemory::element(~u64{0} - 15, 2, 8, at));
  CHECK(hv::GuestMemory::element(~u64{0} - 15, 1, 8, at));
  CHECK(at == ~u64{0} - 7);
  CHECK(hv::GuestMemory::element(hv::GuestMemory::limit - 16, 2, 8, at));
  CHECK_FALSE(hv::GuestMemory(d.p2m).copy_from(at, back, 8));
  CHECK_FALSE(hv::GuestMemory::element(~u64{0} - 63, 64, 1, at));
  CHECK_FALSE(hv::GuestMemory::element(page, ~u64{0} / 8, 16, at));

  // A read-only grant mapping is readable, not writable.
  Domain& other = m.running({}, 4);
  REQUIRE(d.p2m.set(100, other.p2m.lookup(0).frame, hv::GuestPhysMap::Kind::foreign_readonly) == Err::ok);
  CHECK(hv::GuestMemory(d.p2m).copy_from(100 * page, back, 4));
  CHECK_FALSE(hv::GuestMemory(d.p2m).copy_to(100 * page, text, 4));
  d.p2m.clear(100);
}

TEST_CASE("hypercalls: unknown numbers are -ENOSYS; 32-bit guests' arguments are truncated") {
  Machine m;
  Domain& d = m.running();
  CHECK(m.call(d, 0) == enosys);
  CHECK(m.call(d, 63) == enosys);
  CHECK(m.call(d, ~u64{0}) == enosys);
  CHECK(m.call(d, hypercall::xen_version | (u64{1} << 32)) == enosys); // a 64-bit guest's number is all 64 bits

  hv::DomainConfig narrow;
  narrow.width = GuestWidth::bits32;
  Domain& n = m.running(narrow);
  CHECK(m.call(n, hypercall::xen_version | (u64{1} << 32), xenver::version | (u64{7} << 32)) == (4 << 16 | 17));
}

TEST_CASE("console_io: writes prefixed lines, faults on bad buffers") {
  Machine m;
  Domain& d = m.running();
  const char text[] = "hello\nworld\x1b[2J\nno newline";
  put(d, 0x300, text);
  CHECK(m.call(d, hypercall::console_io, consoleio::write, sizeof text - 1, 0x300) == 0);
  const char more[] = " yet\n";
  put(d, 0x400, more);
  CHECK(m.call(d, hypercall::console_io, consoleio::write, sizeof more - 1, 0x400) == 0);
  CHECK(std::string(hv::host::console_output()) == "(d1) hello\n(d1) world.[2J\n(d1) no newline yet\n");

  // A long buffer across pages.
  std::string big(3000, 'x');
  REQUIRE(hv::GuestMemory(d.p2m).copy_to(page + 2000, big.data(), big.size()));
  CHECK(m.call(d, hypercall::console_io, consoleio::write, big.size(), page + 2000) == 0);
  CHECK(std::string(hv::host::console_output()).find(big) != std::string::npos);

  CHECK(m.call(d, hypercall::console_io, consoleio::write, 10, 16 * page) == efault);
  CHECK(m.call(d, hypercall::console_io, consoleio::write, 10, 16 * page - 4) == efault);
  CHECK(m.call(d, hypercall::console_io, consoleio::write, 10, ~u64{0} - 3) == efault);
  CHECK(m.call(d, hypercall::console_io, consoleio::write, 0, 16 * page) == 0); // nothing to read
  // One call prints at most 64 KiB: the guest's whole memory in one call is refused, nothing printed.
  const std::string before = hv::host::console_output();
  CHECK(m.call(d, hypercall::console_io, consoleio::write, 0xffff'ffff, 0) == einval);
  CHECK(m.call(d, hypercall::console_io, consoleio::write, 64 * 1024 + 1, 0) == einval);
  CHECK(std::string(hv::host::console_output()) == before);
  CHECK(m.call(d, hypercall::console_io, consoleio::write, 64 * 1024, page) == efault); // within the limit: read
  CHECK(m.call(d, hypercall::console_io, consoleio::read, 10, 0x300) == enosys);
}

TEST_CASE("sched_op: yield, block, shutdown, poll") {
  Machine m;
  hv::CreditScheduler sched;
  m.domains->set_run_state_hook(sched.hook());
  m.env.scheduler = &sched;
  Domain& d = m.running();
  sched.update(d.vcpus[0]);

  CHECK(m.call(d, hypercall::sched_op, schedop::yield) == 0);
  CHECK(m.call(d, hypercall::sched_op, schedop::block) == 0);
  CHECK(d.vcpus[0].blocked);
  m.domains->vcpu_kick(d.vcpus[0]);

  // poll: returns at once for a pending port, blocks otherwise.
  EvtchnBindIpi ipi{0, 0};
  REQUIRE(hv::evtchn::bind_ipi(d, ipi) == Err::ok);
  put(d, 0x500, ipi.port);
  put(d, 0x600, SchedPoll<GuestWidth::bits64>{0x500, 1, 0});
  CHECK(m.call(d, hypercall::sched_op, schedop::poll, 0x600) == 0);
  CHECK(d.vcpus[0].blocked); // nothing pending
  m.domains->vcpu_kick(d.vcpus[0]);
  REQUIRE(hv::evtchn::send(*m.domains, d, ipi.port) == Err::ok);
  CHECK(m.call(d, hypercall::sched_op, schedop::poll, 0x600) == 0);
  CHECK_FALSE(d.vcpus[0].blocked);
  put(d, 0x600, SchedPoll<GuestWidth::bits64>{0x500, 129, 0});
  CHECK(m.call(d, hypercall::sched_op, schedop::poll, 0x600) == einval);
  put(d, 0x500, u32{5000});
  put(d, 0x600, SchedPoll<GuestWidth::bits64>{0x500, 1, 0});
  CHECK(m.call(d, hypercall::sched_op, schedop::poll, 0x600) == einval);
  put(d, 0x600, SchedPoll<GuestWidth::bits64>{16 * page - 2, 1, 0});
  CHECK(m.call(d, hypercall::sched_op, schedop::poll, 0x600) == efault);
  CHECK(m.call(d, hypercall::sched_op, schedop::poll, 16 * page) == efault);

  CHECK(m.call(d, hypercall::sched_op, 77) == enosys);
  CHECK(m.call(d, hypercall::sched_op, schedop::shutdown, 16 * page) == efault);
  put(d, 0x700, SchedShutdown{99});
  CHECK(m.call(d, hypercall::sched_op, schedop::shutdown, 0x700) == einval);
  CHECK(d.state == hv::DomainState::running);
  put(d, 0x700, SchedShutdown{static_cast<u32>(ShutdownReason::reboot)});
  CHECK(m.call(d, hypercall::sched_op, schedop::shutdown, 0x700) == 0);
  CHECK(d.state == hv::DomainState::shut_down);
  CHECK(d.shutdown_reason == ShutdownReason::reboot);
}

TEST_CASE("sched_op: poll wakes when its port fires even masked, and not for another masked port") {
  Machine m;
  Domain& d = m.running();
  EvtchnBindIpi polled{0, 0}, other{0, 0};
  REQUIRE(hv::evtchn::bind_ipi(d, polled) == Err::ok);
  REQUIRE(hv::evtchn::bind_ipi(d, other) == Err::ok);
  d.shared_info.set_mask(polled.port); // how the family's spinlocks poll
  d.shared_info.set_mask(other.port);
  put(d, 0x500, polled.port);
  put(d, 0x600, SchedPoll<GuestWidth::bits64>{0x500, 1, 0});
  CHECK(m.call(d, hypercall::sched_op, schedop::poll, 0x600) == 0);
  REQUIRE(d.vcpus[0].blocked);
  REQUIRE(hv::evtchn::send(*m.domains, d, other.port) == Err::ok);
  CHECK(d.vcpus[0].blocked); // masked and not polled: nothing
  REQUIRE(hv::evtchn::send(*m.domains, d, polled.port) == Err::ok);
  CHECK_FALSE(d.vcpus[0].blocked);
  CHECK(d.vcpus[0].polling == hv::Vcpu::not_polling);
  // Once woken, a later send on that port does not count as a poll's wake-up.
  CHECK(m.call(d, hypercall::sched_op, schedop::block) == 0);
  REQUIRE(d.vcpus[0].blocked);
  d.shared_info.clear_pending(polled.port);
  REQUIRE(hv::evtchn::send(*m.domains, d, polled.port) == Err::ok);
  CHECK(d.vcpus[0].blocked);
}

TEST_CASE("sched_op: poll reads a 32-bit guest's layout") {
  Machine m;
  hv::DomainConfig narrow;
  narrow.width = GuestWidth::bits32;
  Domain& d = m.running(narrow);
  put(d, 0x500, u32{1});
  put(d, 0x600, SchedPoll<GuestWidth::bits32>{0x500, 1, 0});
  CHECK(m.call(d, hypercall::sched_op, schedop::poll, 0x600) == 0);
  CHECK(d.vcpus[0].blocked);
  put(d, 0x600, SchedPoll<GuestWidth::bits32>{0x500, 200, 0});
  CHECK(m.call(d, hypercall::sched_op, schedop::poll, 0x600) == einval);
}

TEST_CASE("event_channel_op: connect, send, status, close through guest records") {
  Machine m;
  Domain& a = m.running();
  Domain& b = m.running();
  const u64 op = 0x800;

  put(a, op, EvtchnAllocUnbound{domid_self, b.id, 0});
  REQUIRE(m.call(a, hypercall::event_channel_op, evtchnop::alloc_unbound, op) == 0);
  const u32 pa = get<EvtchnAllocUnbound>(a, op).port;
  CHECK(pa != 0);

  put(b, op, EvtchnBindInterdomain{a.id, pa, 0});
  REQUIRE(m.call(b, hypercall::event_channel_op, evtchnop::bind_interdomain, op) == 0);
  const u32 pb = get<EvtchnBindInterdomain>(b, op).local_port;
  CHECK(pb != 0);

  put(b, op, EvtchnSend{pb});
  CHECK(m.call(b, hypercall::event_channel_op, evtchnop::send, op) == 0);
  CHECK(a.shared_info.test_pending(pa));

  EvtchnStatus st{};
  st.dom = domid_self;
  st.port = pa;
  put(a, op, st);
  CHECK(m.call(a, hypercall::event_channel_op, evtchnop::status, op) == 0);
  st = get<EvtchnStatus>(a, op);
  CHECK(st.status == static_cast<u32>(EvtchnStat::interdomain));
  CHECK(st.u.interdomain.dom == b.id);
  CHECK(st.u.interdomain.port == pb);

  a.shared_info.set_mask(pa);
  put(a, op, EvtchnUnmask{pa});
  CHECK(m.call(a, hypercall::event_channel_op, evtchnop::unmask, op) == 0);
  CHECK_FALSE(a.shared_info.test_mask(pa));

  put(a, op, EvtchnBindVirq{virq::timer, 0, 0});
  CHECK(m.call(a, hypercall::event_channel_op, evtchnop::bind_virq, op) == 0);
  CHECK(a.vcpus[0].virq_port[virq::timer] == get<EvtchnBindVirq>(a, op).port);
  CHECK(m.call(a, hypercall::event_channel_op, evtchnop::bind_virq, op) == -17); // EEXIST

  put(a, op, EvtchnBindIpi{0, 0});
  CHECK(m.call(a, hypercall::event_channel_op, evtchnop::bind_ipi, op) == 0);
  put(a, op, EvtchnBindIpi{5, 0});
  CHECK(m.call(a, hypercall::event_channel_op, evtchnop::bind_ipi, op) == enoent);

  put(a, op, EvtchnBindVcpu{pa, 3});
  CHECK(m.call(a, hypercall::event_channel_op, evtchnop::bind_vcpu, op) == enoent);

  put(b, op, EvtchnClose{pb});
  CHECK(m.call(b, hypercall::event_channel_op, evtchnop::close, op) == 0);
  CHECK(m.call(b, hypercall::event_channel_op, evtchnop::close, op) == einval); // twice

  // Errors: no such domain, another domain's port, bad pointers, unknown and unimplemented operations.
  put(a, op, EvtchnAllocUnbound{555, 0, 0});
  CHECK(m.call(a, hypercall::event_channel_op, evtchnop::alloc_unbound, op) == esrch);
  put(a, op, EvtchnAllocUnbound{b.id, 0, 0});
  CHECK(m.call(a, hypercall::event_channel_op, evtchnop::alloc_unbound, op) == eperm);
  CHECK(m.call(a, hypercall::event_channel_op, evtchnop::send, 16 * page) == efault);
  CHECK(m.call(a, hypercall::event_channel_op, evtchnop::status, 16 * page - 8) == efault);
  CHECK(m.call(a, hypercall::event_channel_op, evtchnop::init_control, op) == enosys);
  CHECK(m.call(a, hypercall::event_channel_op, 1000, op) == enosys);
}

TEST_CASE("grant_table_op: map, unmap and query_size through guest records") {
  Machine m;
  Domain& a = m.running();
  Domain& b = m.running();
  GrantEntryV1* e = hv::grant::entry(a, 3);
  e->domid = b.id;
  e->frame = 2;
  e->flags = gtf::permit_access;

  // Two records in one call: the second fails with its own status.
  const u64 ops = 0x900;
  put(b, ops, GnttabMapGrantRef{0x40 * page, gntmap::host_map, 3, a.id, 0, 0, 0});
  put(b, ops + sizeof(GnttabMapGrantRef), GnttabMapGrantRef{0x41 * page, gntmap::host_map, 4, a.id, 0, 0, 0});
  CHECK(m.call(b, hypercall::grant_table_op, gnttabop::map_grant_ref, ops, 2) == 0);
  const auto first = get<GnttabMapGrantRef>(b, ops);
  CHECK(first.status == gntst::okay);
  CHECK(get<GnttabMapGrantRef>(b, ops + sizeof(GnttabMapGrantRef)).status == gntst::permission_denied);
  CHECK(b.p2m.lookup(0x40).frame == a.p2m.lookup(2).frame);
  // b reaches the granted page through copy-from-guest too.
  put(a, 2 * page, u32{0xfeedbeef});
  CHECK(get<u32>(b, 0x40 * page) == 0xfeedbeef);

  put(b, ops, GnttabUnmapGrantRef{0x40 * page, 0, first.handle, 0, 0});
  CHECK(m.call(b, hypercall::grant_table_op, gnttabop::unmap_grant_ref, ops, 1) == 0);
  CHECK(get<GnttabUnmapGrantRef>(b, ops).status == gntst::okay);
  CHECK_FALSE(b.p2m.lookup(0x40).present());

  put(b, ops, GnttabQuerySize{domid_self, 0, 0, 0, 0, 0});
  CHECK(m.call(b, hypercall::grant_table_op, gnttabop::query_size, ops, 1) == 0);
  CHECK(get<GnttabQuerySize>(b, ops).nr_frames == 1);
  CHECK(get<GnttabQuerySize>(b, ops).max_nr_frames == 32); // the default; it grows that far
  CHECK(get<GnttabQuerySize>(b, ops).status == gntst::okay);
  put(b, ops, GnttabQuerySize{a.id, 0, 0, 0, 0, 0});
  CHECK(m.call(b, hypercall::grant_table_op, gnttabop::query_size, ops, 1) == 0);
  CHECK(get<GnttabQuerySize>(b, ops).status == gntst::permission_denied);
  put(b, ops, GnttabQuerySize{999, 0, 0, 0, 0, 0});
  CHECK(m.call(b, hypercall::grant_table_op, gnttabop::query_size, ops, 1) == 0);
  CHECK(get<GnttabQuerySize>(b, ops).status == gntst::bad_domain);
  CHECK(m.call(b, hypercall::grant_table_op, gnttabop::query_size, ops, 2) == einval);

  CHECK(m.call(b, hypercall::grant_table_op, gnttabop::map_grant_ref, 16 * page - 8, 1) == efault);
  CHECK(m.call(b, hypercall::grant_table_op, gnttabop::map_grant_ref, 16 * page - 32, 2) == efault); // runs off the end
  CHECK(m.call(b, hypercall::grant_table_op, gnttabop::query_size, 16 * page, 1) == efault);
  CHECK(m.call(b, hypercall::grant_table_op, gnttabop::map_grant_ref, ops, 0) == 0);
  CHECK(m.call(b, hypercall::grant_table_op, gnttabop::transfer, ops, 1) == enosys); // test_grant_frames.cpp: the rest
}

TEST_CASE("memory_op: populate, decrease and reservations over guest frame lists") {
  Machine m;
  hv::DomainConfig c;
  c.max_pages = 24;
  Domain& d = m.running(c, 16);
  const u64 list = 0xa00, res = 0xb00;
  put(d, list, std::array<u64, 3>{100, 101, 200});
  put(d, res, MemoryReservation<GuestWidth::bits64>{list, 3, 0, 0, domid_self});
  CHECK(m.call(d, hypercall::memory_op, xenmem::populate_physmap, res) == 3);
  CHECK(d.p2m.lookup(101).kind == hv::GuestPhysMap::Kind::ram);
  CHECK(d.memory.frames == 19);
  put(d, 0xc00, domid_self);
  CHECK(m.call(d, hypercall::memory_op, xenmem::current_reservation, 0xc00) == 19);
  CHECK(m.call(d, hypercall::memory_op, xenmem::maximum_reservation, 0xc00) == 24);

  // An extent of order 2 at gfn 300 takes 4 frames (23 of 24); one more at 400 runs over the allowance
  // after its first frame: no extent done (the frame it got stays the domain's).
  put(d, list, u64{300});
  put(d, res, MemoryReservation<GuestWidth::bits64>{list, 1, 2, 0, domid_self});
  CHECK(m.call(d, hypercall::memory_op, xenmem::populate_physmap, res) == 1);
  CHECK(d.memory.frames == 23);
  put(d, list, u64{400});
  CHECK(m.call(d, hypercall::memory_op, xenmem::increase_reservation, res) == 0);
  CHECK(d.memory.frames == 24);

  // Give back 100 and 101; the third gfn (7777) is not mapped: two done.
  put(d, list, std::array<u64, 3>{100, 101, 7777});
  put(d, res, MemoryReservation<GuestWidth::bits64>{list, 3, 0, 0, domid_self});
  CHECK(m.call(d, hypercall::memory_op, xenmem::decrease_reservation, res) == 2);
  CHECK_FALSE(d.p2m.lookup(100).present());
  CHECK(d.memory.frames == 22);
  // Resuming at extent 2 (the command's upper bits) does only the third.
  CHECK(m.call(d, hypercall::memory_op, xenmem::decrease_reservation | (2u << xenmem::memop_extent_shift), res) == 2);
  // A list that runs off the end of guest memory: the first extent is done, then the fault ends it.
  put(d, 16 * page - 8, u64{5});
  put(d, res, MemoryReservation<GuestWidth::bits64>{16 * page - 8, 2, 0, 0, domid_self});
  CHECK(m.call(d, hypercall::memory_op, xenmem::decrease_reservation, res) == 1);
  CHECK_FALSE(d.p2m.lookup(5).present());

  // Errors.
  Domain& other = m.running();
  put(d, res, MemoryReservation<GuestWidth::bits64>{list, 1, 0, 0, other.id});
  CHECK(m.call(d, hypercall::memory_op, xenmem::populate_physmap, res) == eperm);
  put(d, res, MemoryReservation<GuestWidth::bits64>{list, 1, 0, 0, 4000});
  CHECK(m.call(d, hypercall::memory_op, xenmem::populate_physmap, res) == esrch);
  put(d, res, MemoryReservation<GuestWidth::bits64>{list, 1, 11, 0, domid_self});
  CHECK(m.call(d, hypercall::memory_op, xenmem::populate_physmap, res) == einval);
  put(d, res, MemoryReservation<GuestWidth::bits64>{16 * page, 1, 0, 0, domid_self});
  CHECK(m.call(d, hypercall::memory_op, xenmem::populate_physmap, res) == efault);           // the list
  CHECK(m.call(d, hypercall::memory_op, xenmem::populate_physmap, 16 * page - 4) == efault); // the record
  put(d, 0xc00, other.id);
  CHECK(m.call(d, hypercall::memory_op, xenmem::current_reservation, 0xc00) == eperm);
  CHECK(m.call(d, hypercall::memory_op, 5, res) == enosys);
}

TEST_CASE("memory_op: a 32-bit guest's reservation layout and frame list") {
  Machine m;
  hv::DomainConfig c;
  c.width = GuestWidth::bits32;
  c.max_pages = 20;
  Domain& d = m.running(c, 16);
  put(d, 0xa00, std::array<u32, 2>{50, 60});
  put(d, 0xb00, MemoryReservation<GuestWidth::bits32>{0xa00, 2, 0, 0, domid_self});
  CHECK(m.call(d, hypercall::memory_op, xenmem::populate_physmap, 0xb00) == 2);
  CHECK(d.p2m.lookup(50).present());
  CHECK(d.p2m.lookup(60).present());
}

TEST_CASE("vcpu_op: up, down, is_up") {
  Machine m;
  hv::DomainConfig c;
  c.vcpus = 2;
  Domain& d = m.running(c);
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::is_up, 1) == 0);
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::up, 1) == einval); // no VCPUOP_initialise set its registers
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::is_up, 1) == 0);
  d.vcpus[1].initialised = true; // as VCPUOP_initialise will
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::up, 1) == 0);
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::is_up, 1) == 1);
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::up, 1) == 0); // already up: fine
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::down, 0) == 0);
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::down, 1) == einval); // the last one
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::down, 0) == einval); // already down
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::is_up, 2) == enoent);
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::is_up, u64{1} << 32) == enoent);
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::initialise, 1) == enosys);
}

TEST_CASE("vcpu_op: a vCPU nothing gave a state cannot be brought up") {
  Machine m;
  hv::DomainConfig c;
  c.vcpus = 2;
  Domain& d = m.running(c);
  d.vcpus[1].context_made = false; // as in a domain the control domain built, setvcpucontext given vCPU 0 only
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::up, 1) == einval);
  CHECK(m.call(d, hypercall::vcpu_op, vcpuop::is_up, 1) == 0);
  CHECK_FALSE(d.runnable(d.vcpus[1]));
}

TEST_CASE("domctl: the control domain creates, builds, runs, inspects and destroys a domain") {
  Machine m;
  Domain& ctl = m.control();
  const u64 total_free = m.frames.free_frames();
  const u64 at = 0x1000;
  Domctl op{};
  op.cmd = domctl::createdomain;
  op.interface_version = domctl_interface_version;
  op.u.createdomain.max_vcpus = 2;
  op.u.createdomain.max_evtchn_port = 1023;
  op.u.createdomain.max_grant_frames = 2;
  put(ctl, at, op);
  REQUIRE(m.call(ctl, hypercall::domctl, at) == 0);
  const auto id = get<Domctl>(ctl, at).domain;
  Domain* d = m.domains->find(id);
  REQUIRE(d != nullptr);
  CHECK(d->vcpu_count == 2);
  CHECK(d->events.limit == 1024);
  CHECK(d->grants.max_frames == 2);
  CHECK(d->grants.nr_frames == 1); // it grows when asked

  auto control = [&](u32 cmd, auto fill) {
    Domctl o{};
    o.cmd = cmd;
    o.interface_version = domctl_interface_version;
    o.domain = id;
    fill(o);
    put(ctl, at, o);
    return m.call(ctl, hypercall::domctl, at);
  };
  auto nothing = [](Domctl&) {};
  CHECK(control(domctl::unpausedomain, nothing) == einval); // no memory yet
  CHECK(control(domctl::max_mem, [](Domctl& o) { o.u.max_mem.max_memkb = 64; }) == 0);
  CHECK(d->memory.limit == 16);
  CHECK(control(domctl::max_vcpus, [](Domctl& o) { o.u.max_vcpus.max = 4; }) == 0);
  CHECK(d->vcpu_count == 4);
  CHECK(control(domctl::max_vcpus, [](Domctl& o) { o.u.max_vcpus.max = 1; }) == einval);

  // The control domain populates the new domain's memory through memory_op.
  put(ctl, 0xa00, std::array<u64, 2>{0, 1});
  put(ctl, 0xb00, MemoryReservation<GuestWidth::bits64>{0xa00, 2, 0, 0, id});
  CHECK(m.call(ctl, hypercall::memory_op, xenmem::populate_physmap, 0xb00) == 2);
  CHECK(control(domctl::unpausedomain, nothing) == 0);
  CHECK(d->state == hv::DomainState::running);
  CHECK(d->pause_count == 0);
  // Started with its vCPUs down (no context was given them): nothing of it can run, so the hypervisor
  // never enters a vCPU it holds no backend state for.
  for (hv::u32 i = 0; i < d->vcpu_count; ++i) CHECK_FALSE(d->runnable(d->vcpus[i]));

  CHECK(control(domctl::pausedomain, nothing) == 0);
  CHECK(control(domctl::getdomaininfo, nothing) == 0);
  const auto info = get<Domctl>(ctl, at).u.getdomaininfo;
  CHECK(info.domain == id);
  CHECK((info.flags & dominf::paused) != 0);
  CHECK((info.flags & dominf::hvm_guest) != 0);
  CHECK(info.tot_pages == 2);
  CHECK(info.max_pages == 16);
  CHECK(info.nr_online_vcpus == 0);
  CHECK(info.max_vcpu_id == 3);
  // The memory the hypervisor spends on it, its tables included: every frame of its overhead account.
  CHECK(control(domctl::get_paging_mempool_size, nothing) == 0);
  CHECK(get<Domctl>(ctl, at).u.paging_mempool.size == d->overhead.frames * page);
  CHECK(d->overhead.frames > 0);
  CHECK(control(domctl::unpausedomain, nothing) == 0);
  CHECK(control(domctl::unpausedomain, nothing) == einval); // not paused

  CHECK(control(domctl::destroydomain, nothing) == 0);
  CHECK(m.domains->find(id) == nullptr);
  CHECK(m.frames.free_frames() == total_free); // every frame came back
  CHECK(control(domctl::getdomaininfo, nothing) == esrch);
  CHECK(control(domctl::pausedomain, [&](Domctl& o) { o.domain = ctl.id; }) == einval);
  CHECK(control(domctl::destroydomain, [&](Domctl& o) { o.domain = domid_self; }) == einval);
  CHECK(control(99, [&](Domctl& o) { o.domain = ctl.id; }) == enosys);
  CHECK(control(domctl::createdomain, [](Domctl& o) {
          o.domain = 0;
          o.u.createdomain.max_vcpus = 0;
        }) == einval);
  CHECK(control(domctl::createdomain, [](Domctl& o) {
          o.domain = 5;
          o.u.createdomain.max_vcpus = 1;
        }) == einval);
  CHECK(control(domctl::getdomaininfo, [](Domctl& o) { o.interface_version = 0x14; }) == eacces);
  CHECK(m.call(ctl, hypercall::domctl, 16 * page - 100) == efault);
}

TEST_CASE("domctl: while another CPU holds an unhandled exit of the target, the call is made again later") {
  Machine m;
  Domain& ctl = m.control();
  Domain& d = m.running();
  struct InFlight {
    const Domain* domain = nullptr;
  } in_flight{&d};
  m.env.builder.exit_in_flight = [](void* c, const Domain& target) {
    return static_cast<InFlight*>(c)->domain == &target;
  };
  m.env.builder.context = &in_flight;
  Domctl op{};
  op.cmd = domctl::pausedomain;
  op.interface_version = domctl_interface_version;
  op.domain = d.id;
  put(ctl, 0x1000, op);
  CHECK(m.call(ctl, hypercall::domctl, 0x1000) == hv::hypercall_again);
  CHECK(d.pause_count == 0);  // nothing of the call was done
  in_flight.domain = nullptr; // that CPU handled its exit
  CHECK(m.call(ctl, hypercall::domctl, 0x1000) == 0);
  CHECK(d.pause_count == 1);
}

TEST_CASE("domctl: reading a domain or its dirty log does not wait for another CPU's exit of it") {
  Machine m;
  Domain& ctl = m.control();
  Domain& d = m.running();
  m.env.builder.exit_in_flight = [](void*, const Domain&) { return true; };
  Domctl op{};
  op.cmd = domctl::getdomaininfo;
  op.interface_version = domctl_interface_version;
  op.domain = d.id;
  put(ctl, 0x1000, op);
  CHECK(m.call(ctl, hypercall::domctl, 0x1000) == 0);
  // Nor does the dirty log's read and clean: a live migration makes it while the guest faults on its writes.
  m.env.builder.shadow_op = [](void*, Domain&, const hv::Vcpu&, DomctlShadowOp&) -> i64 { return 0; };
  op.cmd = domctl::shadow_op;
  op.u.shadow.op = shadow_op::clean;
  put(ctl, 0x1000, op);
  CHECK(m.call(ctl, hypercall::domctl, 0x1000) == 0);
  op.cmd = domctl::pausedomain; // one that changes the domain still waits
  put(ctl, 0x1000, op);
  CHECK(m.call(ctl, hypercall::domctl, 0x1000) == hv::hypercall_again);
}

TEST_CASE("domctl: hv_adopt_peers lets a migrated domain's destination bind where its source's peers wait") {
  Machine m;
  Domain& ctl = m.control();
  Domain& peer = m.running();
  Domain& source = m.running();
  Domain& destination = m.running();
  const hv::abi::domid_t source_id = source.id;
  const u64 at = 0x1000, rec = 0x800;
  // The peer offers a port to the source, which binds it; a second port waits for a domain not made yet.
  put(peer, rec, EvtchnAllocUnbound{domid_self, source_id, 0});
  REQUIRE(m.call(peer, hypercall::event_channel_op, evtchnop::alloc_unbound, rec) == 0);
  const u32 kept = get<EvtchnAllocUnbound>(peer, rec).port;
  put(peer, rec, EvtchnAllocUnbound{domid_self, 77, 0});
  REQUIRE(m.call(peer, hypercall::event_channel_op, evtchnop::alloc_unbound, rec) == 0);
  const u32 other = get<EvtchnAllocUnbound>(peer, rec).port;
  put(source, rec, EvtchnBindInterdomain{peer.id, kept, 0});
  REQUIRE(m.call(source, hypercall::event_channel_op, evtchnop::bind_interdomain, rec) == 0);

  auto adopt = [&](hv::abi::domid_t successor, hv::abi::domid_t predecessor) {
    Domctl o{};
    o.cmd = domctl::hv_adopt_peers;
    o.interface_version = domctl_interface_version;
    o.domain = successor;
    o.u.adopt_peers.predecessor = predecessor;
    put(ctl, at, o);
    return m.call(ctl, hypercall::domctl, at);
  };
  CHECK(adopt(destination.id, source_id) == -17); // EEXIST: the source still holds its channel
  CHECK(adopt(destination.id, destination.id) == einval);
  CHECK(adopt(destination.id, domid_self) == einval);
  CHECK(adopt(555, source_id) == esrch);

  m.domains->destroy(source); // the peer's port goes back to unbound, waiting for the source's ID
  put(destination, rec, EvtchnBindInterdomain{peer.id, kept, 0});
  CHECK(m.call(destination, hypercall::event_channel_op, evtchnop::bind_interdomain, rec) == einval);
  CHECK(adopt(destination.id, source_id) == 1);
  CHECK(peer.events.ports[other].remote_dom == 77); // a port waiting for someone else is left alone
  REQUIRE(m.call(destination, hypercall::event_channel_op, evtchnop::bind_interdomain, rec) == 0);
  const u32 bound = get<EvtchnBindInterdomain>(destination, rec).local_port;
  CHECK(peer.events.ports[kept].state == EvtchnStat::interdomain);
  CHECK(peer.events.ports[kept].remote_dom == destination.id);
  destination.shared_info.clear_pending(bound); // the bind's own notification
  put(peer, rec, EvtchnSend{kept});
  CHECK(m.call(peer, hypercall::event_channel_op, evtchnop::send, rec) == 0);
  CHECK(destination.shared_info.test_pending(bound));
  CHECK(adopt(destination.id, source_id) == 0); // nothing waits for it any more
}

TEST_CASE("domctl: -EPERM for every domain but the control domain") {
  Machine m;
  m.control();
  Domain& d = m.running();
  Domctl op{};
  op.cmd = domctl::createdomain;
  op.interface_version = domctl_interface_version;
  op.u.createdomain.max_vcpus = 1;
  put(d, 0x1000, op);
  const auto before = m.domains->count();
  CHECK(m.call(d, hypercall::domctl, 0x1000) == eperm);
  op.cmd = domctl::destroydomain;
  op.domain = 0;
  put(d, 0x1000, op);
  CHECK(m.call(d, hypercall::domctl, 0x1000) == eperm);
  CHECK(m.call(d, hypercall::domctl, 16 * page) == eperm); // even with a bad pointer
  CHECK(m.domains->count() == before);
  CHECK(m.domains->control() != nullptr);
}

TEST_CASE("memory_op: add_to_physmap maps shared_info where the guest asks, moving it and replacing RAM") {
  Machine m;
  Domain& d = m.running({}, 8);
  std::vector<u64> removed;
  d.p2m.set_observer({[](void* c, u64 gfn) { static_cast<std::vector<u64>*>(c)->push_back(gfn); }, &removed});
  const u64 before = d.memory.frames;
  put(d, 0, AddToPhysmap<GuestWidth::bits64>{domid_self, 0, mapspace::shared_info, 0, 5});
  REQUIRE(m.call(d, hypercall::memory_op, xenmem::add_to_physmap, 0) == 0);
  CHECK(d.p2m.lookup(5).frame == d.shared_info_frame);
  CHECK(d.p2m.lookup(5).kind == hv::GuestPhysMap::Kind::hypervisor);
  CHECK(d.memory.frames == before - 1);  // the RAM frame at gfn 5 was given back
  CHECK(removed == std::vector<u64>{5}); // and the port was told before the frame could be reused
  // What the guest writes there is what the hypervisor's shared_info holds.
  put(d, 5 * page + 8, u64{0xfeed});
  u64 seen = 0;
  std::memcpy(&seen, static_cast<char*>(hv::map_frame(d.shared_info_frame)) + 8, sizeof seen);
  CHECK(seen == 0xfeed);
  // Moving it unmaps the old place.
  put(d, 0, AddToPhysmap<GuestWidth::bits64>{domid_self, 0, mapspace::shared_info, 0, 100});
  REQUIRE(m.call(d, hypercall::memory_op, xenmem::add_to_physmap, 0) == 0);
  CHECK_FALSE(d.p2m.lookup(5).present());
  CHECK(d.p2m.lookup(100).frame == d.shared_info_frame);
  // Errors.
  put(d, 0, AddToPhysmap<GuestWidth::bits64>{domid_self, 0, mapspace::shared_info, 1, 6});
  CHECK(m.call(d, hypercall::memory_op, xenmem::add_to_physmap, 0) == einval);
  put(d, 0, AddToPhysmap<GuestWidth::bits64>{domid_self, 0, mapspace::shared_info, 0, u64{1} << 40});
  CHECK(m.call(d, hypercall::memory_op, xenmem::add_to_physmap, 0) == einval);
  put(d, 0, AddToPhysmap<GuestWidth::bits64>{domid_self, 0, 9, 0, 6});
  CHECK(m.call(d, hypercall::memory_op, xenmem::add_to_physmap, 0) == enosys);
  put(d, 0, AddToPhysmap<GuestWidth::bits64>{0x7ff0 - 1, 0, mapspace::shared_info, 0, 6});
  CHECK(m.call(d, hypercall::memory_op, xenmem::add_to_physmap, 0) == esrch);
  CHECK(m.call(d, hypercall::memory_op, xenmem::add_to_physmap, 64 * page) == efault);
  // Destroying the domain gives back everything, shared_info mapped or not.
  m.domains->destroy(d);
}

TEST_CASE("memory_op: add_to_physmap in a 32-bit guest's layout") {
  Machine m;
  hv::DomainConfig c;
  c.width = GuestWidth::bits32;
  Domain& d = m.running(c, 4);
  put(d, 0, AddToPhysmap<GuestWidth::bits32>{domid_self, 0, mapspace::shared_info, 0, 3});
  REQUIRE(m.call(d, hypercall::memory_op, xenmem::add_to_physmap, 0) == 0);
  CHECK(d.p2m.lookup(3).frame == d.shared_info_frame);
}

TEST_CASE("hvm_op: the callback parameter registers the upcall vector") {
  Machine m;
  Domain& d = m.running({}, 2);
  CHECK_FALSE(d.upcall_registered());
  const u64 vector_type = u64{2} << 56;
  put(d, 0, HvmParam{domid_self, 0, hvm_param::callback_irq, vector_type | 0xf3});
  REQUIRE(m.call(d, hypercall::hvm_op, hvmop::set_param, 0) == 0);
  CHECK(d.upcall_registered());
  CHECK(d.upcall_vector() == 0xf3);
  put(d, 64, HvmParam{domid_self, 0, hvm_param::callback_irq, 0});
  REQUIRE(m.call(d, hypercall::hvm_op, hvmop::get_param, 64) == 0);
  CHECK(get<HvmParam>(d, 64).value == (vector_type | 0xf3));
  put(d, 0, HvmParam{domid_self, 0, hvm_param::count, 1});
  CHECK(m.call(d, hypercall::hvm_op, hvmop::set_param, 0) == einval);
  put(d, 0, HvmParam{domid_self, 0, hvm_param::ioreq_pfn, 1}); // the toolstack's (test_hvm_params.cpp)
  CHECK(m.call(d, hypercall::hvm_op, hvmop::set_param, 0) == eperm);
  CHECK(m.call(d, hypercall::hvm_op, 99, 0) == enosys);
  CHECK(m.call(d, hypercall::hvm_op, hvmop::set_param, 64 * page) == efault);
  Domain& other = m.running({}, 2);
  put(d, 0, HvmParam{other.id, 0, hvm_param::callback_irq, vector_type | 0x20});
  CHECK(m.call(d, hypercall::hvm_op, hvmop::set_param, 0) == eperm);
  // Unregistering: events are then only seen by polling.
  put(d, 0, HvmParam{domid_self, 0, hvm_param::callback_irq, 0});
  REQUIRE(m.call(d, hypercall::hvm_op, hvmop::set_param, 0) == 0);
  CHECK_FALSE(d.upcall_registered());
}

TEST_CASE("memory_op: a guest that scatters its pages over the guest-physical space runs out of its own allowance, "
          "not the hypervisor's") {
  Machine m;
  Domain& d = m.running({.max_pages = 64}, 4);
  const u64 free_before = m.frames.free_frames();
  // shared_info moved 1 GiB further each time: every move needs new p2m tables.
  i64 result = 0;
  u64 moves = 0;
  for (; moves < 100'000 && result == 0; ++moves) {
    put(d, 0, AddToPhysmap<GuestWidth::bits64>{domid_self, 0, mapspace::shared_info, 0, (moves + 1) << 18});
    result = m.call(d, hypercall::memory_op, xenmem::add_to_physmap, 0);
  }
  CHECK(result == static_cast<i64>(hv::Err::nomem));
  CHECK(moves < 200);                           // stopped by its own overhead allowance
  CHECK(d.overhead.frames <= d.overhead.limit); // which it never passed
  CHECK(free_before - m.frames.free_frames() < 300);
  // The domain runs on with what it has; its tables all go back with it.
  CHECK(d.state == hv::DomainState::running);
  const hv::abi::domid_t id = d.id;
  m.domains->destroy(d);
  CHECK(m.domains->find(id) == nullptr);
}

TEST_CASE("memory_op: the control domain maps another domain's frames (gmfn_foreign), writes them, and "
          "every mapping goes with either domain") {
  Machine m;
  Domain& ctl = m.control(); // 16 pages of its own
  const u64 free_before = m.frames.free_frames();
  const u64 ctl_tables_before = ctl.overhead.frames;
  Domain& d = m.running({}, 8);
  const u64 window = 0x100;                                            // gfns far above the control domain's RAM
  put(ctl, 0xa00, std::array<u64, 3>{2, 3, 40});                       // the new domain's gfns (40: none)
  put(ctl, 0xa40, std::array<u64, 3>{window, window + 1, window + 2}); // where they go
  put(ctl, 0xa80, std::array<hv::i32, 3>{7, 7, 7});
  AddToPhysmapBatch<GuestWidth::bits64> batch{domid_self, mapspace::gmfn_foreign, 3, d.id, 0xa00, 0xa40, 0xa80};
  put(ctl, 0xb00, batch);
  CHECK(m.call(ctl, hypercall::memory_op, xenmem::add_to_physmap_batch, 0xb00) == 0);
  const auto errs = get<std::array<hv::i32, 3>>(ctl, 0xa80);
  CHECK(errs[0] == 0);
  CHECK(errs[1] == 0);
  CHECK(errs[2] == einval); // not its RAM
  CHECK(d.foreign_mapped == 2);
  CHECK(ctl.p2m.lookup(window).kind == hv::GuestPhysMap::Kind::foreign_privileged);
  CHECK(ctl.p2m.lookup(window).frame == d.p2m.lookup(2).frame);

  // What the control domain writes there is the other domain's memory.
  put(ctl, window * page + 8, u64{0x1234'5678});
  CHECK(get<u64>(d, 2 * page + 8) == 0x1234'5678);

  // A mapped frame given back leaves the domain at once (the family's guests do so while their toolstack
  // maps every page to migrate them); the control domain holds it, still readable, until it unmaps it.
  const u64 d_frames = d.memory.frames, ctl_overhead = ctl.overhead.frames, free_mapped = m.frames.free_frames();
  put(d, 0xc00, u64{2});
  put(d, 0xc40, MemoryReservation<GuestWidth::bits64>{0xc00, 1, 0, 0, domid_self});
  CHECK(m.call(d, hypercall::memory_op, xenmem::decrease_reservation, 0xc40) == 1);
  CHECK_FALSE(d.p2m.lookup(2).present());
  CHECK(d.memory.frames == d_frames - 1);
  CHECK(d.foreign_mapped == 1); // the other mapping, of gfn 3
  CHECK(ctl.overhead.frames == ctl_overhead + 1);
  CHECK(get<u64>(ctl, window * page + 8) == 0x1234'5678);
  CHECK(m.frames.free_frames() == free_mapped); // not freed yet
  put(ctl, 0xb40, RemoveFromPhysmap<GuestWidth::bits64>{domid_self, window});
  CHECK(m.call(ctl, hypercall::memory_op, xenmem::remove_from_physmap, 0xb40) == 0);
  CHECK(m.call(ctl, hypercall::memory_op, xenmem::remove_from_physmap, 0xb40) == einval); // nothing there now
  CHECK(ctl.overhead.frames == ctl_overhead);
  CHECK(m.frames.free_frames() == free_mapped + 1); // freed with the mapping
  CHECK(d.foreign_mapped == 1);
  // The other one given back and the control domain destroyed: the frame it held goes with it.
  put(d, 0xc00, u64{3});
  CHECK(m.call(d, hypercall::memory_op, xenmem::decrease_reservation, 0xc40) == 1);
  CHECK(d.foreign_mapped == 0);
  CHECK(ctl.overhead.frames == ctl_overhead + 1);

  // Refused: an unprivileged caller, another space, a domid not the caller's, no such domain, itself.
  put(d, 0xb00, batch);
  CHECK(m.call(d, hypercall::memory_op, xenmem::add_to_physmap_batch, 0xb00) == eperm);
  auto refused = [&](auto change) {
    auto b = batch;
    change(b);
    put(ctl, 0xb00, b);
    return m.call(ctl, hypercall::memory_op, xenmem::add_to_physmap_batch, 0xb00);
  };
  CHECK(refused([](auto& b) { b.space = mapspace::shared_info; }) == enosys);
  CHECK(refused([&](auto& b) { b.domid = d.id; }) == einval);
  CHECK(refused([](auto& b) { b.foreign_domid = 200; }) == esrch);
  CHECK(refused([&](auto& b) { b.foreign_domid = ctl.id; }) == einval);
  CHECK(refused([](auto& b) { b.errs = 16 * page - 2; }) == efault);

  // Destroying the domain leaves the frame its mapper holds; destroying the mapper frees it.
  CHECK(ctl.p2m.lookup(window + 1).present());
  m.domains->destroy(d);
  CHECK(ctl.p2m.lookup(window + 1).present());
  CHECK(m.frames.free_frames() == free_before - (ctl.overhead.frames - ctl_tables_before));
  CHECK(ctl.p2m.entries() == 17);
  const u64 free_now = m.frames.free_frames();
  const u64 held = ctl.overhead.frames + ctl.memory.frames;
  m.domains->destroy(ctl);
  CHECK(m.frames.free_frames() >= free_now + held);
}

TEST_CASE("memory_op: a frame given back while the control domain maps it twice stays mapped once, and is "
          "freed when that mapping goes") {
  Machine m;
  Domain& ctl = m.control();
  Domain& d = m.running({}, 8);
  put(ctl, 0xa00, std::array<u64, 2>{2, 2});
  put(ctl, 0xa40, std::array<u64, 2>{0x100, 0x101});
  AddToPhysmapBatch<GuestWidth::bits64> batch{domid_self, mapspace::gmfn_foreign, 2, d.id, 0xa00, 0xa40, 0xa80};
  put(ctl, 0xb00, batch);
  CHECK(m.call(ctl, hypercall::memory_op, xenmem::add_to_physmap_batch, 0xb00) == 0);
  CHECK(d.foreign_mapped == 2);
  const u64 free_before = m.frames.free_frames(), overhead = ctl.overhead.frames;
  put(d, 0xc00, u64{2});
  put(d, 0xc40, MemoryReservation<GuestWidth::bits64>{0xc00, 1, 0, 0, domid_self});
  CHECK(m.call(d, hypercall::memory_op, xenmem::decrease_reservation, 0xc40) == 1);
  CHECK(d.foreign_mapped == 0);
  CHECK(ctl.p2m.lookup(0x100).present() != ctl.p2m.lookup(0x101).present()); // one of the two is left
  const u64 left = ctl.p2m.lookup(0x100).present() ? 0x100 : 0x101;
  put(ctl, 0xb40, RemoveFromPhysmap<GuestWidth::bits64>{domid_self, left});
  CHECK(m.call(ctl, hypercall::memory_op, xenmem::remove_from_physmap, 0xb40) == 0);
  CHECK(ctl.overhead.frames == overhead);
  CHECK(m.frames.free_frames() == free_before + 1);
}

TEST_CASE("memory_op: destroying a domain takes the control domain's mappings of the frames it still owns") {
  Machine m;
  Domain& ctl = m.control();
  Domain& d = m.running({}, 8);
  const u64 free_before = m.frames.free_frames();
  const u64 ctl_tables_before = ctl.overhead.frames;
  put(ctl, 0xa00, std::array<u64, 2>{2, 3});
  put(ctl, 0xa40, std::array<u64, 2>{0x100, 0x101});
  AddToPhysmapBatch<GuestWidth::bits64> batch{domid_self, mapspace::gmfn_foreign, 2, d.id, 0xa00, 0xa40, 0xa80};
  put(ctl, 0xb00, batch);
  CHECK(m.call(ctl, hypercall::memory_op, xenmem::add_to_physmap_batch, 0xb00) == 0);
  const u64 d_held = d.memory.frames + d.overhead.frames;
  m.domains->destroy(d);
  CHECK_FALSE(ctl.p2m.lookup(0x100).present());
  CHECK_FALSE(ctl.p2m.lookup(0x101).present());
  CHECK(m.frames.free_frames() == free_before + d_held - (ctl.overhead.frames - ctl_tables_before));
}

TEST_CASE("a hypercall's buffer in a device's pages (the control domain's transfer window) is -EFAULT, never "
          "read by the hypervisor") {
  Machine m;
  Domain& d = m.running();
  // A machine address the hypervisor does not map: reading it would fault in the hypervisor.
  constexpr u64 window_gfn = 0x8'0000, device_frame = u64{0x6'00c0'0000'0000};
  REQUIRE(d.p2m.set(window_gfn, device_frame, hv::GuestPhysMap::Kind::device) == Err::ok);
  CHECK(m.call(d, hypercall::console_io, consoleio::write, 10, window_gfn * page) == efault);
  CHECK(m.call(d, hypercall::console_io, consoleio::write, 10, window_gfn * page - 4) == efault);
  CHECK_FALSE(hv::GuestMemory(d.p2m).copy_to(window_gfn * page, "x", 1));
}

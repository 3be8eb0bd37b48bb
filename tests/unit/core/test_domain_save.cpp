// SPDX-License-Identifier: Apache-2.0
// A domain's architecture-neutral state through the save stream (hv/core/domain_save.hpp): saved, the
// domain destroyed, restored as a new one with the same memory, shared_info and HVM parameters; a stream
// refused halfway leaves nothing behind.
#include <hv/core/domain_save.hpp>
#include <hv/core/event_channel.hpp>
#include <hv/core/grant_table.hpp>
#include <hv/core/guest_memory.hpp>
#include <hv/core/machine_memory.hpp>

#include "core_support.hpp"

#include <catch2/catch_test_macros.hpp>

#include <cstring>
#include <string>
#include <vector>

namespace {

using hv::Domain;
using hv::u64;
using hv::u8;
constexpr u64 page = 4096, pages = 16, shared_gfn = 0x40;

/// A domain with a pattern in every page, shared_info mapped and written, an upcall and a parameter set.
Domain& populated(hv::test::CoreMachine& m) {
  Domain& d = m.running({.max_pages = 32}, pages);
  for (u64 p = 0; p < pages; ++p) {
    std::vector<u8> bytes(page, static_cast<u8>(p * 7 + 1));
    REQUIRE(hv::GuestMemory(d.p2m).copy_to(p * page, bytes.data(), bytes.size()));
  }
  REQUIRE(d.p2m.set(shared_gfn, d.shared_info_frame, hv::GuestPhysMap::Kind::hypervisor) == hv::Err::ok);
  d.shared_info_gfn = shared_gfn;
  std::memcpy(static_cast<u8*>(hv::map_frame(d.shared_info_frame)) + 100, "shared", 6);
  d.callback_param = u64{2} << 56 | 0xf3;
  d.hvm_params[7] = 0x1234;
  return d;
}

std::vector<u8> save(const Domain& d, bool memory = true) {
  std::vector<u8> buffer(1 << 20);
  hv::save::Writer w(buffer.data(), buffer.size());
  REQUIRE(w.header("scripted", 8));
  REQUIRE(hv::save::write_domain(w, d, memory));
  REQUIRE(w.end());
  buffer.resize(w.size());
  return buffer;
}

Domain* restore(hv::test::CoreMachine& m, const std::vector<u8>& s, std::string& why, hv::abi::domid_t id = 0,
                Domain* into = nullptr) {
  hv::save::Reader r(s.data(), s.size());
  const char* refused = r.open("scripted");
  Domain* d = refused == nullptr ? hv::save::read_domain(r, *m.domains, refused, {}, id, into) : nullptr;
  why = refused != nullptr ? refused : "";
  return d;
}

/// `d` saved, destroyed and restored: the new domain (the test stops when the restore refuses).
Domain* saved_and_restored(hv::test::CoreMachine& m, Domain& d) {
  const auto stream = save(d);
  m.domains->destroy(d);
  std::string why;
  Domain* back = restore(m, stream, why);
  INFO(why);
  REQUIRE(back != nullptr);
  return back;
}

} // namespace

TEST_CASE("domain save: saved, destroyed and restored, a domain has its memory, shared_info and parameters") {
  hv::test::CoreMachine m;
  const u64 free_before = m.frames.free_frames();
  Domain& d = populated(m);
  const auto stream = save(d);
  CHECK(stream.size() > pages * page);
  m.domains->destroy(d);
  CHECK(m.frames.free_frames() == free_before);

  std::string why;
  Domain* back = restore(m, stream, why);
  INFO(why);
  REQUIRE(back != nullptr);
  CHECK(back->state == hv::DomainState::created);
  CHECK(back->memory.frames == pages);
  CHECK(back->memory.limit == 32);
  for (u64 p = 0; p < pages; ++p) {
    u8 first = 0, last = 0;
    REQUIRE(hv::GuestMemory(back->p2m).copy_from(p * page, &first, 1));
    REQUIRE(hv::GuestMemory(back->p2m).copy_from(p * page + page - 1, &last, 1));
    CHECK(first == static_cast<u8>(p * 7 + 1));
    CHECK(last == first);
  }
  CHECK(back->shared_info_gfn == shared_gfn);
  CHECK(back->p2m.lookup(shared_gfn).frame == back->shared_info_frame);
  CHECK(std::memcmp(static_cast<u8*>(hv::map_frame(back->shared_info_frame)) + 100, "shared", 6) == 0);
  CHECK(back->callback_param == (u64{2} << 56 | 0xf3));
  CHECK(back->hvm_params[7] == 0x1234);
  CHECK_FALSE(back->vcpus[0].online); // down until given a state
  m.domains->destroy(*back);
  CHECK(m.frames.free_frames() == free_before);
}

TEST_CASE("domain save: the emulated 16550 comes back as the guest left it; a stream without its record (1.0) "
          "leaves it reset, and a wrong one is refused by name") {
  hv::test::CoreMachine m;
  Domain& d = populated(m);
  d.uart.write(3, 0x80); // DLAB: the divisor latch
  d.uart.write(0, 0x0c);
  d.uart.write(1, 0x00);
  d.uart.write(3, 0x03); // 8 bits, no parity, one stop bit
  d.uart.write(1, 0xff); // only the four enables stick
  d.uart.write(4, 0x0b);
  d.uart.write(7, 0x5a);
  Domain* back = saved_and_restored(m, d);
  CHECK(back->uart.read(3) == 0x03);
  CHECK(back->uart.read(1) == 0x0f);
  CHECK(back->uart.read(4) == 0x0b);
  CHECK(back->uart.read(7) == 0x5a);
  back->uart.write(3, 0x83);
  CHECK(back->uart.read(0) == 0x0c);
  CHECK(back->uart.read(1) == 0x00);

  // The same stream with the uart record's type made one a 1.0 reader skips, and one with a reserved byte set.
  const auto again = save(*back);
  m.domains->destroy(*back);
  std::size_t at = 0; // the uart record's head, found by the stream's own reader
  {
    hv::save::Reader r(again.data(), again.size());
    REQUIRE(r.open("scripted") == nullptr);
    hv::save::Record rec;
    const char* refused = nullptr;
    while (at == 0 && r.next(rec, refused))
      if (rec.type == static_cast<hv::u32>(hv::save::RecordType::uart))
        at = static_cast<std::size_t>(rec.payload - again.data()) - sizeof(hv::save::RecordHeader);
    REQUIRE(at != 0);
  }
  auto older = again;
  auto* h = reinterpret_cast<hv::save::RecordHeader*>(older.data() + at);
  CHECK((h->flags & hv::save::flag_optional) != 0);
  h->type = 0x7fff; // unknown to this reader, optional: skipped as a 1.0 reader skips a 1.1 record
  std::string why;
  Domain* reset = restore(m, older, why);
  REQUIRE(reset != nullptr);
  CHECK(reset->uart.read(3) == 0x00);
  CHECK(reset->uart.read(7) == 0x00);
  m.domains->destroy(*reset);
  auto wrong = again;
  h = reinterpret_cast<hv::save::RecordHeader*>(wrong.data() + at);
  reinterpret_cast<u8*>(h + 1)[7] = 1;
  CHECK(restore(m, wrong, why) == nullptr);
  CHECK(why == "a second uart record, or one of the wrong size or with its reserved bytes set");
}

TEST_CASE("domain save: a stream refused halfway leaves no domain and no frame behind") {
  hv::test::CoreMachine m;
  Domain& d = populated(m);
  const auto stream = save(d);
  m.domains->destroy(d);
  const u64 free_before = m.frames.free_frames();
  std::string why;

  // Cut in the middle of its memory.
  CHECK(restore(m, std::vector<u8>(stream.begin(), stream.begin() + 32 + 48 + 5 * 4120 + 100), why) == nullptr);
  CHECK(why == "a record runs past the end of the stream");
  CHECK(m.domains->count() == 0);
  CHECK(m.frames.free_frames() == free_before);

  // An allowance smaller than the memory it holds.
  auto small = stream;
  const u64 eight = 8;
  std::memcpy(small.data() + 32 + 16 + 8, &eight, sizeof eight); // DomainRecord::max_pages
  CHECK(restore(m, small, why) == nullptr);
  CHECK(why == "more memory than the domain's allowance or the machine has");
  CHECK(m.frames.free_frames() == free_before);

  // A configuration out of range, and the word size.
  auto vcpus = stream;
  const hv::u32 none = 0;
  std::memcpy(vcpus.data() + 32 + 16, &none, sizeof none);
  CHECK(restore(m, vcpus, why) == nullptr);
  CHECK(why == "the domain record's configuration is out of range");

  // Another backend's stream.
  CHECK(restore(m, stream, why) != nullptr); // as it is: fine
  m.domains->destroy(*m.domains->slot(0));
  hv::save::Reader other(stream.data(), stream.size());
  CHECK(std::string(other.open("lpar")) == "the stream holds another backend's vCPU state than this hypervisor runs");
  CHECK(m.frames.free_frames() == free_before);
}

TEST_CASE("domain save: event channels come back with their bindings; a connected one waits for its peer again") {
  hv::test::CoreMachine m;
  Domain& peer = m.running({.max_pages = 4}, 4);
  Domain& d = populated(m);
  hv::abi::EvtchnBindVirq virq{hv::abi::virq::timer, 0, 0};
  REQUIRE(hv::evtchn::bind_virq(d, virq) == hv::Err::ok);
  hv::abi::EvtchnAllocUnbound waiting{hv::abi::domid_self, peer.id, 0};
  REQUIRE(hv::evtchn::alloc_unbound(*m.domains, d, waiting) == hv::Err::ok);
  hv::abi::EvtchnAllocUnbound offered{hv::abi::domid_self, d.id, 0};
  REQUIRE(hv::evtchn::alloc_unbound(*m.domains, peer, offered) == hv::Err::ok);
  hv::abi::EvtchnBindInterdomain connect{peer.id, offered.port, 0};
  REQUIRE(hv::evtchn::bind_interdomain(*m.domains, d, connect) == hv::Err::ok);
  Domain* back = saved_and_restored(m, d);
  CHECK(back->events.ports[virq.port].state == hv::abi::EvtchnStat::virq);
  CHECK(back->events.ports[virq.port].remote_port == hv::abi::virq::timer);
  CHECK(back->vcpus[0].virq_port[hv::abi::virq::timer] == virq.port);
  CHECK(back->events.ports[waiting.port].state == hv::abi::EvtchnStat::unbound);
  CHECK(back->events.ports[waiting.port].remote_dom == peer.id);
  CHECK(back->events.ports[connect.local_port].state == hv::abi::EvtchnStat::unbound); // the guest binds again
  CHECK(back->events.ports[connect.local_port].remote_dom == peer.id);

  m.domains->destroy(*back);
  m.domains->destroy(peer);
  CHECK(m.domains->count() == 0);
}

TEST_CASE("domain save: restored with the ID it had, a domain's peers find it again: the peer's port, left "
          "waiting by the destroy, takes its bind; an ID in use is refused") {
  hv::test::CoreMachine m;
  Domain& peer = m.running({.max_pages = 4}, 4);
  Domain& d = populated(m);
  const hv::abi::domid_t id = d.id;
  hv::abi::EvtchnAllocUnbound offered{hv::abi::domid_self, d.id, 0};
  REQUIRE(hv::evtchn::alloc_unbound(*m.domains, peer, offered) == hv::Err::ok);
  hv::abi::EvtchnBindInterdomain connect{peer.id, offered.port, 0};
  REQUIRE(hv::evtchn::bind_interdomain(*m.domains, d, connect) == hv::Err::ok);
  const auto stream = save(d);

  std::string why;
  CHECK(restore(m, stream, why, id) == nullptr); // d still has it
  CHECK(why == "the domain ID asked for is taken");
  m.domains->destroy(d);
  CHECK(peer.events.ports[offered.port].state == hv::abi::EvtchnStat::unbound);
  Domain* back = restore(m, stream, why, id);
  INFO(why);
  REQUIRE(back != nullptr);
  CHECK(back->id == id);
  // The restored end closes its stale port and binds again to the port its peer kept.
  REQUIRE(hv::evtchn::close(*m.domains, *back, connect.local_port) == hv::Err::ok);
  hv::abi::EvtchnBindInterdomain again{peer.id, offered.port, 0};
  REQUIRE(hv::evtchn::bind_interdomain(*m.domains, *back, again) == hv::Err::ok);
  CHECK(peer.events.ports[offered.port].state == hv::abi::EvtchnStat::interdomain);
  CHECK(peer.events.ports[offered.port].remote_port == again.local_port);

  hv::DomainConfig taken{.max_pages = 4};
  taken.id = id;
  CHECK(m.domains->create(taken).error() == hv::Err::exist);
  taken.id = hv::abi::domid_first_reserved;
  CHECK(m.domains->create(taken).error() == hv::Err::inval);
  m.domains->destroy(*back);
  m.domains->destroy(peer);
  CHECK(m.domains->count() == 0);
}

TEST_CASE("domain save: grant frames come back with their entries where the guest mapped them; a domain "
          "whose grants are mapped, or that maps another's, is not saved") {
  hv::test::CoreMachine m;
  Domain& d = populated(m);
  REQUIRE(hv::grant::grow(m.frames, d, 2) == hv::Err::ok);
  hv::grant::entry(d, 600)->frame = 0x1234; // in its second frame
  constexpr u64 grant_gfn = 0x41;
  REQUIRE(d.p2m.set(grant_gfn, d.grants.shared[1], hv::GuestPhysMap::Kind::hypervisor) == hv::Err::ok);
  d.grants.gfn[1] = grant_gfn;
  CHECK(hv::save::unsaveable(d) == nullptr);
  Domain* back = saved_and_restored(m, d);
  CHECK(back->grants.nr_frames == 2);
  CHECK(hv::grant::entry(*back, 600)->frame == 0x1234);
  CHECK(back->grants.gfn[1] == grant_gfn);
  CHECK(back->p2m.lookup(grant_gfn).frame == back->grants.shared[1]);
  CHECK(back->grants.gfn[0] == hv::GrantTable::unmapped);

  back->grants.pinned = 1; // as while another domain maps one of its entries
  CHECK(std::string(hv::save::unsaveable(*back)) == "another domain maps its grants");
  back->grants.pinned = 0;
  back->grants.maptrack[3].flags = 1; // as while it maps another's
  CHECK(std::string(hv::save::unsaveable(*back)) == "it maps another domain's grants or frames");
  back->grants.maptrack[3].flags = 0;
  m.domains->destroy(*back);
  CHECK(m.domains->count() == 0);
}

TEST_CASE("domain save: live migration's last stream, without memory, restores into a domain built and "
          "filled beforehand; one that does not match, or has run, is refused") {
  hv::test::CoreMachine m;
  Domain& d = populated(m);
  const auto with = save(d), without = save(d, false);
  CHECK(without.size() + pages * (page + 24) == with.size()); // each memory record: head, gfn, page

  // The destination as a receiver builds it: created, given the frames and their pages.
  auto made = m.domains->create({.max_pages = pages});
  REQUIRE(made.ok());
  Domain& dest = *made.value();
  dest.vcpus[0].online = false;
  REQUIRE(m.domains->populate(dest, 0, pages) == hv::Err::ok);
  for (u64 p = 0; p < pages; ++p) {
    std::vector<u8> bytes(page, static_cast<u8>(p * 7 + 1));
    REQUIRE(hv::GuestMemory(dest.p2m).copy_to(p * page, bytes.data(), bytes.size()));
  }
  std::string why;
  Domain* back = restore(m, without, why, 0, &dest);
  INFO(why);
  REQUIRE(back == &dest);
  CHECK(dest.memory.limit == 32); // the record's allowance
  CHECK(dest.shared_info_gfn == shared_gfn);
  CHECK(std::memcmp(static_cast<u8*>(hv::map_frame(dest.shared_info_frame)) + 100, "shared", 6) == 0);
  CHECK(dest.hvm_params[7] == 0x1234);
  u8 first = 0;
  REQUIRE(hv::GuestMemory(dest.p2m).copy_from(5 * page, &first, 1));
  CHECK(first == 5 * 7 + 1);
  CHECK(restore(m, without, why, 0, &dest) == nullptr); // it holds state now
  CHECK(why == "the domain restored into has run or holds state already");

  // A full stream's pages overwrite those there.
  auto other = m.domains->create({.max_pages = 32});
  REQUIRE(other.ok());
  REQUIRE(m.domains->populate(*other.value(), 0, 2) == hv::Err::ok);
  REQUIRE(restore(m, with, why, 0, other.value()) == other.value());
  REQUIRE(hv::GuestMemory(other.value()->p2m).copy_from(1 * page, &first, 1));
  CHECK(first == 1 * 7 + 1);
  CHECK(other.value()->memory.frames == pages);

  auto two = m.domains->create({.vcpus = 2, .max_pages = 32});
  REQUIRE(two.ok());
  CHECK(restore(m, without, why, 0, two.value()) == nullptr);
  CHECK(why == "the domain record does not match the domain restored into");
  m.domains->destroy(*two.value());
  m.domains->destroy(*other.value());
  m.domains->destroy(dest);
  m.domains->destroy(d);
  CHECK(m.domains->count() == 0);
}

TEST_CASE("domain save: restored into, shared_info goes where an earlier round left RAM, which is given back") {
  hv::test::CoreMachine m;
  Domain& d = populated(m);
  const auto without = save(d, false);
  // The source had RAM at shared_info's gfn when the first round sent it, and gave it back for shared_info
  // later (as the family's guests do); the receiver had populated it.
  auto made = m.domains->create({.max_pages = 32});
  REQUIRE(made.ok());
  Domain& dest = *made.value();
  dest.vcpus[0].online = false;
  REQUIRE(m.domains->populate(dest, 0, pages) == hv::Err::ok);
  REQUIRE(m.domains->populate(dest, shared_gfn, 1) == hv::Err::ok);
  std::string why;
  Domain* back = restore(m, without, why, 0, &dest);
  INFO(why);
  REQUIRE(back == &dest);
  CHECK(dest.p2m.lookup(shared_gfn).frame == dest.shared_info_frame);
  CHECK(dest.memory.frames == pages);
  m.domains->destroy(dest);
  m.domains->destroy(d);
  CHECK(m.domains->count() == 0);
}

// SPDX-License-Identifier: Apache-2.0
// The console ring with the hypervisor as its backend: a guest writes the family's xencons_interface out
// ring in its own memory, notifies the channel, and its lines appear on the hypervisor's console with the
// domain's prefix; the consumer index follows; a wrapped, overrun or unreadable ring harms nothing.
#include <hv/abi/console.hpp>
#include <hv/abi/hvm.hpp>
#include <hv/abi/hypercall.hpp>
#include <hv/core/console_ring.hpp>

#include "hypercall_support.hpp"

#include <algorithm>
#include <string>

using hv::Domain;
using hv::Err;
using hv::u32;
using hv::u64;
using hv::test::get;
using hv::test::put;
using namespace hv::abi;

namespace {
constexpr u64 page = 4096, ring_gfn = 15;
using Machine = hv::test::HypercallMachine;

/// A domain with a console ring at its last page, as the run time builds one, and the ring's channel.
struct Guest {
  Machine& m;
  Domain& d;
  u32 port = 0;
  u32 prod = 0;

  explicit Guest(Machine& machine) : m(machine), d(machine.running()) {
    d.console.gfn = ring_gfn;
    d.hvm_params[hvm_param::console_pfn] = ring_gfn;
    put(d, 0x100, HvmParam{domid_self, 0, hvm_param::console_evtchn, 0});
    REQUIRE(m.call(d, hypercall::hvm_op, hvmop::get_param, 0x100) == 0);
    port = static_cast<u32>(get<HvmParam>(d, 0x100).value);
    REQUIRE(port != 0);
  }
  /// What a guest's console driver does: bytes into `out` at the producer index, the index, a notify.
  long write(const std::string& text, bool notify = true) {
    for (char c : text) put(d, ring_gfn * page + 1024 + prod++ % 2048, c);
    put(d, ring_gfn * page + 3084, prod);
    if (!notify) return 0;
    put(d, 0x200, EvtchnSend{port});
    return m.call(d, hypercall::event_channel_op, evtchnop::send, 0x200);
  }
  u32 consumed() { return get<u32>(d, ring_gfn * page + 3080); }
};
} // namespace

TEST_CASE("console ring: notified output is printed line by line with the domain's prefix") {
  Machine m;
  Guest g(m);
  hv::host::clear_console_output();
  CHECK(g.write("hello, ") == 0);
  CHECK(std::string(hv::host::console_output()).empty()); // no line yet
  CHECK(g.consumed() == 7);
  CHECK(g.write("world\r\nsecond\x1b[0m line\n") == 0);
  CHECK(std::string(hv::host::console_output()) == "(d1) hello, world\n(d1) second?[0m line\n");
  CHECK(g.consumed() == g.prod);
  CHECK(get<u32>(g.d, ring_gfn * page + 3072) == 0); // nothing typed: the in ring untouched
}

TEST_CASE("console ring: the indices wrap; an overrun producer skips what was overwritten") {
  Machine m;
  Guest g(m);
  hv::host::clear_console_output();
  const std::string line(99, 'a');
  for (int i = 0; i < 50; ++i) REQUIRE(g.write(line + "\n") == 0); // 5,000 bytes through 2,048
  const std::string out = hv::host::console_output();
  CHECK(out.size() == 50 * (5 + 99 + 1));
  CHECK(g.consumed() == 5000);

  hv::host::clear_console_output();
  g.write(std::string(3000, 'b'), false); // 3,000 bytes without a notify: the first 952 are gone
  g.write("\n");
  const std::string skipped = hv::host::console_output(); // the ring's last 2,048 bytes, in lines of 160
  CHECK(std::count(skipped.begin(), skipped.end(), 'b') == 2047);
  CHECK(g.consumed() == g.prod);

  // Indices near the top of their range wrap like any others.
  put(g.d, ring_gfn * page + 3080, ~u32{0} - 2);
  g.prod = ~u32{0} - 2;
  hv::host::clear_console_output();
  CHECK(g.write("wrap\n") == 0);
  CHECK(std::string(hv::host::console_output()) == "(d1) wrap\n");
  CHECK(g.consumed() == 2);
}

TEST_CASE("console ring: a page the guest gave back is not read; a closed channel is bound again") {
  Machine m;
  Guest g(m);
  const u32 first = g.port;
  put(g.d, 0x300, EvtchnClose{first});
  CHECK(m.call(g.d, hypercall::event_channel_op, evtchnop::close, 0x300) == 0);
  CHECK(g.d.console.port == 0);
  g.d.hvm_params[hvm_param::console_evtchn] = 0; // as if never read
  CHECK(hv::console_ring::port(g.d) != 0);

  REQUIRE(m.domains->depopulate(g.d, ring_gfn) == Err::ok);
  hv::host::clear_console_output();
  hv::console_ring::drain(g.d); // nothing to read there: nothing happens
  CHECK(std::string(hv::host::console_output()).empty());

  // A domain without a ring has no channel for it.
  Domain& plain = m.running();
  CHECK(hv::console_ring::port(plain) == 0);
  hv::console_ring::drain(plain);
}

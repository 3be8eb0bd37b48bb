// SPDX-License-Identifier: Apache-2.0
// hvm_op's parameters as the family answers a PVH domain: which a domain may read and set itself and
// which are the toolstack's, what an unset one reads (STORE_*: no xenstore), the console ring's page and
// channel, and the values refused.
#include <hv/abi/hvm.hpp>
#include <hv/abi/hypercall.hpp>

#include "hypercall_support.hpp"

using hv::Domain;
using hv::i64;
using hv::u32;
using hv::u64;
using hv::test::get;
using hv::test::put;
using namespace hv::abi;

namespace {
constexpr i64 einval = -22, eperm = -1, eexist = -17;
using Machine = hv::test::HypercallMachine;

i64 set(Machine& m, Domain& caller, domid_t target, u32 index, u64 value) {
  put(caller, 0x100, HvmParam{target, 0, index, value});
  return m.call(caller, hypercall::hvm_op, hvmop::set_param, 0x100);
}
/// The value read, or the error as a negative number.
i64 read(Machine& m, Domain& caller, domid_t target, u32 index) {
  put(caller, 0x100, HvmParam{target, 0, index, 0xdead});
  const i64 r = m.call(caller, hypercall::hvm_op, hvmop::get_param, 0x100);
  return r < 0 ? r : static_cast<i64>(get<HvmParam>(caller, 0x100).value);
}
} // namespace

TEST_CASE("hvm params: a domain reads and sets its own guest parameters, the toolstack's are -EPERM") {
  Machine m;
  Domain& d = m.running();
  for (u32 i : {hvm_param::store_pfn, hvm_param::store_evtchn, hvm_param::console_pfn, hvm_param::vm86_tss,
                hvm_param::vm86_tss_sized, hvm_param::acpi_ioports_location, hvm_param::vm_generation_id_addr,
                hvm_param::altp2m, hvm_param::x87_fip_width}) {
    INFO("index " << i);
    CHECK(read(m, d, domid_self, i) == 0); // never set: 0 (STORE_*: there is no xenstore)
  }
  for (u32 i : {hvm_param::ioreq_pfn, hvm_param::bufioreq_pfn, hvm_param::viridian, hvm_param::timer_mode,
                hvm_param::hpet_enabled, hvm_param::ident_pt, hvm_param::acpi_s_state, hvm_param::vpt_align,
                hvm_param::paging_ring_pfn, hvm_param::triple_fault_reason, hvm_param::ioreq_server_pfn,
                hvm_param::nr_ioreq_server_pages, hvm_param::mca_cap, u32{3}, u32{4}, u32{13}, u32{20}, u32{30}}) {
    INFO("index " << i);
    CHECK(read(m, d, domid_self, i) == eperm);
    CHECK(set(m, d, domid_self, i, 1) == eperm);
  }
  // Set by the guest itself, and read back.
  CHECK(set(m, d, domid_self, hvm_param::store_evtchn, 5) == 0);
  CHECK(read(m, d, domid_self, hvm_param::store_evtchn) == 5);
  CHECK(set(m, d, domid_self, hvm_param::vm_generation_id_addr, 0x1234) == 0);
  CHECK(read(m, d, domid_self, hvm_param::vm_generation_id_addr) == 0x1234);
  // Its PFNs and ALTP2M are readable, not settable.
  CHECK(set(m, d, domid_self, hvm_param::store_pfn, 9) == eperm);
  CHECK(set(m, d, domid_self, hvm_param::console_pfn, 9) == eperm);
  CHECK(set(m, d, domid_self, hvm_param::altp2m, 1) == eperm);
  CHECK(read(m, d, domid_self, hvm_param::count) == einval);
  CHECK(read(m, d, domid_self, ~u32{0}) == einval);
}

TEST_CASE("hvm params: the control domain sets another domain's toolstack parameters, with their rules") {
  Machine m;
  Domain& d = m.running();
  Domain& ctl = m.control();
  CHECK(set(m, ctl, d.id, hvm_param::timer_mode, 2) == 0);
  CHECK(read(m, ctl, d.id, hvm_param::timer_mode) == 2);
  CHECK(read(m, d, domid_self, hvm_param::timer_mode) == eperm);
  CHECK(set(m, ctl, d.id, hvm_param::store_pfn, 0x77) == 0);
  CHECK(read(m, d, domid_self, hvm_param::store_pfn) == 0x77);
  // Set once: the same value again is fine, another is -EEXIST.
  CHECK(set(m, ctl, d.id, hvm_param::mca_cap, 1) == 0);
  CHECK(set(m, ctl, d.id, hvm_param::mca_cap, 1) == 0);
  CHECK(set(m, ctl, d.id, hvm_param::mca_cap, 3) == eexist);
  // X87_FIP_WIDTH: 0, 4 or 8.
  CHECK(set(m, d, domid_self, hvm_param::x87_fip_width, 8) == 0);
  CHECK(set(m, d, domid_self, hvm_param::x87_fip_width, 2) == einval);
  CHECK(read(m, d, domid_self, hvm_param::x87_fip_width) == 8);
  // The control domain's own toolstack parameters are not its to read either.
  CHECK(read(m, ctl, domid_self, hvm_param::timer_mode) == eperm);
  // Another domain's, to anyone else: -EPERM; no such domain: -ESRCH.
  Domain& other = m.running();
  CHECK(read(m, other, d.id, hvm_param::store_pfn) == eperm);
  CHECK(read(m, ctl, 999, hvm_param::store_pfn) == -3);
}

TEST_CASE("hvm params: the console ring's page and channel, the channel bound on the first read") {
  Machine m;
  Domain& d = m.running();
  CHECK(read(m, d, domid_self, hvm_param::console_evtchn) == 0); // no ring: nothing
  CHECK(read(m, d, domid_self, hvm_param::console_pfn) == 0);

  d.console.gfn = 15; // what the run time gives the domains it builds
  d.hvm_params[hvm_param::console_pfn] = 15;
  EvtchnAllocUnbound first{domid_self, 0, 0};
  REQUIRE(hv::evtchn::alloc_unbound(*m.domains, d, first) == hv::Err::ok); // port 1 was taken before
  const i64 port = read(m, d, domid_self, hvm_param::console_evtchn);
  CHECK(port == 2);
  CHECK(read(m, d, domid_self, hvm_param::console_evtchn) == 2); // bound once
  CHECK(read(m, d, domid_self, hvm_param::console_pfn) == 15);
  CHECK(d.console.port == 2);
  EvtchnStatus st{};
  st.dom = domid_self;
  st.port = 2;
  REQUIRE(hv::evtchn::status(*m.domains, d, st) == hv::Err::ok);
  CHECK(st.status == static_cast<u32>(EvtchnStat::interdomain));
  CHECK(st.u.interdomain.dom == domid_xen);
}

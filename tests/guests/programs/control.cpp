// SPDX-License-Identifier: Apache-2.0
// control: the control domain (hv,privileged) of the `control` scenario. It lets its target run, sees it
// running with domctl getdomaininfo, asks what it costs the hypervisor (get_paging_mempool_size),
// destroys it with destroydomain, checks that it is gone (-ESRCH) and
// that it cannot destroy itself (-EINVAL), then powers off; the other domains run on. Command line:
// target=<domid>.
#include "../lib/guest.hpp"

#include <hv/abi/domctl.hpp>

namespace guest {
namespace {

constexpr i64 esrch = static_cast<i64>(hv::Err::srch);
constexpr i64 einval = static_cast<i64>(hv::Err::inval);

long domctl(u32 cmd, hv::abi::domid_t domain, hv::abi::Domctl& op) {
  op = hv::abi::Domctl{};
  op.cmd = cmd;
  op.interface_version = hv::abi::domctl_interface_version;
  op.domain = domain;
  return hypercall(hv::abi::hypercall::domctl, address(&op));
}

} // namespace

void guest_main() {
  const auto target = static_cast<hv::abi::domid_t>(option("target", 1));
  hv::abi::Domctl op{};
  // Give the target the CPU until it has run for a while: it never yields, so each of ours hands it a slice.
  for (int i = 0; i < 100; ++i) {
    expect("getdomaininfo of the target", domctl(hv::abi::domctl::getdomaininfo, target, op), 0);
    if (op.u.getdomaininfo.cpu_time > 1'000'000) break;
    yield();
  }
  const auto& info = op.u.getdomaininfo;
  expect("the target's ID in getdomaininfo", info.domain, target);
  expect("the target runnable", (info.flags & hv::abi::dominf::running) != 0, 1);
  const u64 pages = info.tot_pages;
  Line() << "control: d" << u32{target} << " has run " << info.cpu_time << " ns with " << pages << " pages";
  expect("the target's paging pool", domctl(hv::abi::domctl::get_paging_mempool_size, target, op), 0);
  expect("a paging pool of whole pages", op.u.paging_mempool.size % 4096, 0);
  expect("a paging pool that holds its tables", op.u.paging_mempool.size > 0, 1);
  Line() << "control: d" << u32{target} << " costs the hypervisor " << op.u.paging_mempool.size / 1024
         << " KiB beyond its RAM; destroying it";
  expect("destroydomain of the target", domctl(hv::abi::domctl::destroydomain, target, op), 0);
  expect("getdomaininfo of a destroyed domain", domctl(hv::abi::domctl::getdomaininfo, target, op), esrch);
  expect("destroydomain of itself", domctl(hv::abi::domctl::destroydomain, hv::abi::domid_self, op), einval);
  Line() << "control: d" << u32{target} << " is gone; done";
}

} // namespace guest

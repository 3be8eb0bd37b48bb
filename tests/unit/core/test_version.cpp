// SPDX-License-Identifier: Apache-2.0
// xen_version: every sub-operation, as the family answers a PVH guest, through guest memory.
#include <hv/abi/hypercall.hpp>

#include "hypercall_support.hpp"

#include <array>
#include <string>

using hv::Domain;
using hv::i64;
using hv::u32;
using hv::u64;
using hv::test::get;
using hv::test::put;
using namespace hv::abi;

namespace {
constexpr u64 page = 4096;
constexpr i64 enosys = -38, efault = -14, einval = -22, eperm = -1, enodata = -61;
using Machine = hv::test::HypercallMachine;

template <std::size_t N> std::string text_at(Domain& d, u64 gpa) {
  const auto bytes = get<std::array<char, N>>(d, gpa);
  CHECK(bytes[N - 1] == '\0');
  return std::string(bytes.data());
}
} // namespace

TEST_CASE("xen_version: version and page size without an argument") {
  Machine m;
  Domain& d = m.running();
  CHECK(m.call(d, hypercall::xen_version, xenver::version) == (4 << 16 | 17));
  CHECK(m.call(d, hypercall::xen_version, xenver::pagesize) == 4096);
  CHECK(m.call(d, hypercall::xen_version, 11) == enosys);
  CHECK(m.call(d, hypercall::xen_version, ~u64{0}) == enosys);
}

TEST_CASE("xen_version: the text sub-operations fill their whole buffer, NUL-padded") {
  Machine m;
  Domain& d = m.running();
  CHECK(m.call(d, hypercall::xen_version, xenver::extraversion, 0x100) == 0);
  CHECK(text_at<16>(d, 0x100) == ".0-hv");
  CHECK(m.call(d, hypercall::xen_version, xenver::capabilities, page) == 0);
  CHECK(text_at<1024>(d, page) == "hvm-3.0-x86_64");
  CHECK(m.call(d, hypercall::xen_version, xenver::changeset, 0x200) == 0);
  CHECK(text_at<64>(d, 0x200) == "unavailable");
  put(d, 0x300, std::array<char, 16>{'x', 'x', 'x'});
  CHECK(m.call(d, hypercall::xen_version, xenver::guest_handle, 0x300) == 0);
  CHECK(get<std::array<char, 16>>(d, 0x300) == std::array<char, 16>{});

  CHECK(m.call(d, hypercall::xen_version, xenver::compile_info, 0x400) == 0);
  const auto info = get<CompileInfo>(d, 0x400);
  CHECK(std::string(info.compiler).size() > 2); // the compiler's own version string
  CHECK(std::string(info.compile_by) == "hv");

  // Each writes its whole buffer: one that runs past the guest's memory is -EFAULT, whatever the text.
  CHECK(m.call(d, hypercall::xen_version, xenver::extraversion, 16 * page - 8) == efault);
  CHECK(m.call(d, hypercall::xen_version, xenver::capabilities, 16 * page - 100) == efault);
  CHECK(m.call(d, hypercall::xen_version, xenver::changeset, 16 * page) == efault);
  CHECK(m.call(d, hypercall::xen_version, xenver::compile_info, 16 * page - 143) == efault);
  CHECK(m.call(d, hypercall::xen_version, xenver::guest_handle, ~u64{0} - 3) == efault);
}

TEST_CASE("xen_version: the command line and build ID are the control domain's") {
  Machine m;
  Domain& d = m.running();
  Domain& ctl = m.control();
  CHECK(m.call(d, hypercall::xen_version, xenver::commandline, page) == 0);
  CHECK(text_at<1024>(d, page) == "<denied>");
  CHECK(m.call(ctl, hypercall::xen_version, xenver::commandline, page) == 0);
  CHECK(text_at<1024>(ctl, page) == "console=com1 idle=0");
  CHECK(m.call(ctl, hypercall::xen_version, xenver::commandline, 16 * page - 1000) == efault);

  put(d, 0x100, BuildId{64});
  CHECK(m.call(d, hypercall::xen_version, xenver::build_id, 0x100) == eperm);
  CHECK(m.call(ctl, hypercall::xen_version, xenver::build_id, 0x100) == enodata);
}

TEST_CASE("xen_version: platform parameters in the caller's width") {
  Machine m;
  Domain& d = m.running();
  put(d, 0x100, ~u64{0} - 1);
  CHECK(m.call(d, hypercall::xen_version, xenver::platform_parameters, 0x100) == 0);
  CHECK(get<u64>(d, 0x100) == ~u64{0});

  hv::DomainConfig narrow;
  narrow.width = GuestWidth::bits32;
  Domain& n = m.running(narrow);
  put(n, 0x100, u64{0});
  CHECK(m.call(n, hypercall::xen_version, xenver::platform_parameters, 0x100) == 0);
  CHECK(get<u64>(n, 0x100) == 0xffff'ffff); // four bytes written, no more
  CHECK(m.call(n, hypercall::xen_version, xenver::platform_parameters, 16 * page - 2) == efault);
}

TEST_CASE("xen_version: the features of a PVH guest, and dom0 for the control domain") {
  Machine m;
  Domain& d = m.running();
  put(d, 0x200, FeatureInfo{0, 0});
  CHECK(m.call(d, hypercall::xen_version, xenver::get_features, 0x200) == 0);
  const u32 pvh = 1u << xenfeat::writable_page_tables | 1u << xenfeat::auto_translated_physmap |
                  1u << xenfeat::hvm_callback_vector | 1u << xenfeat::hvm_safe_pvclock |
                  1u << xenfeat::not_direct_mapped;
  CHECK(get<FeatureInfo>(d, 0x200).submap == pvh);
  put(d, 0x200, FeatureInfo{1, 0});
  CHECK(m.call(d, hypercall::xen_version, xenver::get_features, 0x200) == einval);
  CHECK(m.call(d, hypercall::xen_version, xenver::get_features, 1u << 30) == efault);

  Domain& ctl = m.control();
  put(ctl, 0x200, FeatureInfo{0, 0});
  CHECK(m.call(ctl, hypercall::xen_version, xenver::get_features, 0x200) == 0);
  CHECK(get<FeatureInfo>(ctl, 0x200).submap == (pvh | 1u << xenfeat::dom0));
}

TEST_CASE("xen_version: without the run time's facts, capabilities and the command line are empty") {
  Machine m;
  m.env.facts = nullptr;
  Domain& ctl = m.control();
  CHECK(m.call(ctl, hypercall::xen_version, xenver::capabilities, page) == 0);
  CHECK(text_at<1024>(ctl, page).empty());
  CHECK(m.call(ctl, hypercall::xen_version, xenver::commandline, page) == 0);
  CHECK(text_at<1024>(ctl, page).empty());
}

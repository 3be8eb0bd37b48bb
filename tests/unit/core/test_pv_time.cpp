// SPDX-License-Identifier: Apache-2.0
// The family's PV time in shared_info: the scale a guest applies to its counter, each vCPU's
// vcpu_time_info with its version protocol, and the wall clock, for both guest widths.
#include <hv/core/pv_time.hpp>

#include "core_support.hpp"

using hv::Domain;
using hv::TimeScale;
using hv::u32;
using hv::u64;
using namespace hv::abi;
namespace pv_time = hv::pv_time;

namespace {
template <GuestWidth W> SharedInfo<W>& layout(Domain& d) { return *static_cast<SharedInfo<W>*>(d.shared_info.raw()); }
} // namespace

TEST_CASE("pv time: the scale turns counter ticks into nanoseconds as precisely as the format allows") {
  // Rates of the ports' counters: x86 TSCs, POWER's 512 MHz timebase, the host port's 1 GHz, slow and
  // extreme ones.
  for (const u64 hz :
       {u64{1}, u64{32'768}, u64{10'000'000}, u64{512'000'000}, u64{999'999'999}, u64{1'000'000'000},
        u64{1'000'000'001}, u64{2'000'000'000}, u64{2'894'563'000}, u64{3'600'000'000}, u64{1} << 40, ~u64{0}}) {
    const TimeScale s = pv_time::scale_for(hz);
    INFO("hz " << hz << " mul " << s.mul << " shift " << int{s.shift});
    CHECK(s.mul >= u64{1} << 31); // every bit of the multiplier is used
    // One second of ticks is one second, to the scale's rounding (below 1 ns in 2^31).
    if (hz <= ~u64{0} / 4) {
      const u64 second = pv_time::scale_ticks(hz, s);
      CHECK(second <= 1'000'000'000);
      CHECK(second >= 1'000'000'000 - 2);
    }
    const u64 an_hour = hz <= ~u64{0} / 3600 ? hz * 3600 : 0;
    if (an_hour != 0 && hz <= (u64{1} << 40)) {
      const u64 ns = pv_time::scale_ticks(an_hour, s);
      CHECK(ns <= 3'600'000'000'000);
      CHECK(ns >= 3'600'000'000'000 - 3'600 * 2);
    }
  }
  CHECK(pv_time::scale_for(0).mul == 0);
  // The exact cases: 1 GHz is one to one, 512 MHz a shift left by one and 1e9/1.024e9 in 32 bits.
  CHECK(pv_time::scale_for(1'000'000'000).shift == 1);
  CHECK(pv_time::scale_for(1'000'000'000).mul == u64{1} << 31);
  CHECK(pv_time::scale_for(512'000'000).shift == 1);
  CHECK(pv_time::scale_for(512'000'000).mul == static_cast<u32>((u64{1'000'000'000} << 32) / 1'024'000'000));
  CHECK(pv_time::scale_for(3'000'000'000).shift == -1);
}

TEST_CASE("pv time: vcpu_time_info is written between an odd and an even version") {
  hv::test::CoreMachine m;
  hv::DomainConfig c;
  c.vcpus = 3;
  Domain& d = m.running(c);
  const TimeScale s = pv_time::scale_for(2'000'000'000);
  auto& info = layout<GuestWidth::bits64>(d).vcpu_info[2].time;
  CHECK(info.version == 0);
  pv_time::write_vcpu_time(d.shared_info, 2, 0x1234'5678'9abc, 42'000, s);
  CHECK(info.version == 2);
  CHECK(info.tsc_timestamp == 0x1234'5678'9abc);
  CHECK(info.system_time == 42'000);
  CHECK(info.tsc_to_system_mul == s.mul);
  CHECK(info.tsc_shift == s.shift);
  CHECK(info.flags == 0);
  pv_time::write_vcpu_time(d.shared_info, 2, 1, 2, s);
  CHECK(info.version == 4);
  info.version = 7; // a guest scribbled on it: the next update still ends even, and after it
  pv_time::write_vcpu_time(d.shared_info, 2, 1, 2, s);
  CHECK(info.version == 10);
  CHECK(layout<GuestWidth::bits64>(d).vcpu_info[1].time.version == 0); // the other vCPUs' are untouched

  // A 32-bit guest's record sits at the same place of its vcpu_info.
  hv::DomainConfig narrow;
  narrow.width = GuestWidth::bits32;
  Domain& n = m.running(narrow);
  pv_time::write_vcpu_time(n.shared_info, 0, 99, 100, s);
  CHECK(layout<GuestWidth::bits32>(n).vcpu_info[0].time.tsc_timestamp == 99);
  CHECK(layout<GuestWidth::bits32>(n).vcpu_info[0].time.system_time == 100);
}

TEST_CASE("pv time: the wall clock in either layout, seconds above 32 bits in wc_sec_hi") {
  hv::test::CoreMachine m;
  Domain& d = m.running();
  const u64 seconds = (u64{5} << 32) + 1'700'000'000;
  pv_time::write_wallclock(d.shared_info, seconds, 123'456'789);
  auto& wide = layout<GuestWidth::bits64>(d).clock_and_arch;
  CHECK(wide.wc_version == 2);
  CHECK(wide.wc_sec == 1'700'000'000);
  CHECK(wide.wc_sec_hi == 5);
  CHECK(wide.wc_nsec == 123'456'789);

  hv::DomainConfig narrow;
  narrow.width = GuestWidth::bits32;
  Domain& n = m.running(narrow);
  pv_time::write_wallclock(n.shared_info, seconds, 1);
  auto& small = layout<GuestWidth::bits32>(n).clock_and_arch;
  CHECK(small.wc_version == 2);
  CHECK(small.wc_sec == 1'700'000'000);
  CHECK(small.wc_sec_hi == 5);
  CHECK(small.wc_nsec == 1);
}

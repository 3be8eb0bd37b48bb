// SPDX-License-Identifier: Apache-2.0
// Paravirtualized time in shared_info. See hv/core/pv_time.hpp.
#include <hv/core/pv_time.hpp>

namespace hv::pv_time {
namespace {

// Each vcpu_info is 64 bytes and holds its time record at offset 32, in both layouts, so the record is
// found without knowing the guest's width.
using Wide = abi::VcpuInfo<abi::GuestWidth::bits64>;
using Narrow = abi::VcpuInfo<abi::GuestWidth::bits32>;
static_assert(sizeof(Wide) == sizeof(Narrow));
static_assert(__builtin_offsetof(Wide, time) == __builtin_offsetof(Narrow, time));

/// floor(2^32 * a / b) for a < b: a binary long division, since neither i686 nor every 64-bit port has a
/// 128-bit divide, and 2 * a may not fit in 64 bits.
u32 fraction(u64 a, u64 b) {
  u64 quotient = 0, rest = a;
  for (int bit = 0; bit < 32; ++bit) {
    quotient <<= 1;
    if (rest >= b - rest) { // 2 * rest >= b, without computing 2 * rest
      rest -= b - rest;
      quotient |= 1;
    } else {
      rest <<= 1;
    }
  }
  return static_cast<u32>(quotient);
}

/// The version protocol's two steps around a record's update: odd while it changes, then even again.
/// A release fence orders each step after the stores before it (a compiler barrier on x86, lwsync on
/// POWER), so that a guest on another CPU never sees new fields under an old even version.
u32 begin_update(u32& version) {
  const u32 odd = (__atomic_load_n(&version, __ATOMIC_RELAXED) + 1) | 1;
  __atomic_store_n(&version, odd, __ATOMIC_RELAXED);
  __atomic_thread_fence(__ATOMIC_RELEASE);
  return odd;
}
void end_update(u32& version, u32 odd) {
  __atomic_thread_fence(__ATOMIC_RELEASE);
  __atomic_store_n(&version, odd + 1, __ATOMIC_RELAXED);
}

} // namespace

TimeScale scale_for(u64 hz) {
  if (hz == 0) return {};
  // ns = ticks * 1e9 / hz = ((ticks << shift) * mul) >> 32 with mul = 2^32 * a / b, where a / b is
  // 1e9 / (hz * 2^shift) kept in [1/2, 1) so that mul uses all 32 bits. a and b never overflow: b is
  // doubled only while b <= a <= 1e9, a only while a < b / 2.
  u64 a = 1'000'000'000, b = hz;
  i8 shift = 0;
  while (b <= a) {
    b <<= 1;
    ++shift;
  }
  while (b - a > a) {
    a <<= 1;
    --shift;
  }
  return {fraction(a, b), shift};
}

u64 scale_ticks(u64 ticks, TimeScale scale) {
  const u64 t = scale.shift >= 0 ? ticks << scale.shift : ticks >> -scale.shift;
  // (t * mul) >> 32 in two halves: t = hi * 2^32 + lo, and hi * mul * 2^32 has nothing below bit 32.
  return (t >> 32) * scale.mul + (((t & 0xffff'ffff) * scale.mul) >> 32);
}

void write_vcpu_time(SharedInfoPage& page, u32 vcpu, u64 counter, u64 system_ns, TimeScale scale) {
  auto* base = static_cast<unsigned char*>(page.vcpu_info(vcpu)) + __builtin_offsetof(Wide, time);
  auto& t = *reinterpret_cast<abi::VcpuTimeInfo*>(base);
  const u32 odd = begin_update(t.version);
  t.tsc_timestamp = counter;
  t.system_time = system_ns;
  t.tsc_to_system_mul = scale.mul;
  t.tsc_shift = scale.shift;
  t.flags = 0; // no XEN_PVCLOCK_TSC_STABLE_BIT: a guest keeps its own monotonicity guard
  end_update(t.version, odd);
}

u64 recorded_system_time(const SharedInfoPage& page, u32 vcpu) {
  const auto* base = static_cast<const unsigned char*>(page.vcpu_info(vcpu)) + __builtin_offsetof(Wide, time);
  return reinterpret_cast<const abi::VcpuTimeInfo*>(base)->system_time;
}

void write_wallclock(SharedInfoPage& page, u64 seconds, u32 nanoseconds) {
  auto write = [&](auto& clock) {
    const u32 odd = begin_update(clock.wc_version);
    clock.wc_sec = static_cast<u32>(seconds);
    clock.wc_nsec = nanoseconds;
    clock.wc_sec_hi = static_cast<u32>(seconds >> 32);
    end_update(clock.wc_version, odd);
  };
  if (page.width() == abi::GuestWidth::bits64)
    write(static_cast<abi::SharedInfo<abi::GuestWidth::bits64>*>(page.raw())->clock_and_arch);
  else
    write(static_cast<abi::SharedInfo<abi::GuestWidth::bits32>*>(page.raw())->clock_and_arch);
}

} // namespace hv::pv_time

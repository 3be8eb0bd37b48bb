// SPDX-License-Identifier: Apache-2.0
// vcpu_op (24): (cmd, vcpuid, arg), on the caller's own vCPUs; and set_timer_op (15), the older form of
// the single-shot timer. The timers' semantics are hv/core/vcpu_timers.hpp's.
// VCPUOP_up brings a vCPU online (0 if it already is; -EINVAL for one whose registers no VCPUOP_initialise set), its
// time record written; VCPUOP_down takes one offline (-EINVAL
// for the last online one); VCPUOP_is_up returns 1 or 0. VCPUOP_set_singleshot_timer (on the calling vCPU only, else
// -EINVAL; -ETIME for a deadline passed with VCPU_SSHOTTMR_future), VCPUOP_stop_singleshot_timer (calling
// vCPU only), VCPUOP_set_periodic_timer (-EINVAL for a period under 1 ms), VCPUOP_stop_periodic_timer.
// VCPUOP_register_runstate_memory_area is accepted and the area never written (no steal time is
// reported; guests that insist on registering one, as Linux does, go on). -ENOENT for no such vCPU,
// -EFAULT for a record that cannot be read. VCPUOP_initialise: once per vCPU (-EEXIST after, vCPU 0 from the
// start), from the architecture's record, which the backend checks (-EINVAL) and loads; -ENOSYS where the
// backend has none (docs/guest-abi.md). The others: -ENOSYS.
//
// set_timer_op(timeout): 0 stops the single-shot timer; a timeout more than 2^50 ns ahead (about 13
// days: a guest's wrapped clock arithmetic, as the family's ABI says) fires in 100 ms instead; any other
// arms it (a past one fires at once). A 32-bit guest passes the timeout in two arguments, low half first.
#include <hv/abi/vcpu.hpp>
#include <hv/spinlock.hpp>

#include "hypercall_family.hpp"

namespace hv::hypercalls {
namespace {

i64 singleshot(VcpuTimers& timers, const Vcpu& current, Vcpu& v, u64 arg) {
  u64 deadline = 0;
  u32 flags = 0;
  if (!read_sized<abi::SetSingleshotTimer>(current, arg, [&](const auto& r) {
        deadline = r.timeout_abs_ns;
        flags = r.flags;
      }))
    return efault;
  return ret(timers.set_singleshot(v, deadline, (flags & abi::sshottmr::future) != 0));
}

// VCPUOP_register_vcpu_info: `v`'s vcpu_info moves into a frame of its domain's RAM, once (-ENXIO for
// an offset where it would cross the frame's end or is not 8-byte aligned, as the family answers). The record is
// carried over, with every selector bit and upcall_pending set so that the guest rescans its ports. The
// frame then stays the domain's: DomainTable::depopulate refuses it. The move is made under the domain's
// event lock, which every send to it holds while it marks a vcpu_info: a send on another CPU marks the
// old record before the copy or the new one after, never the old one once copied; and under the vCPU's
// timer lock, which a refresh of its time record holds, so that none is copied half written.
i64 register_vcpu_info(const Vcpu& current, Vcpu& v, u64 arg) {
  abi::RegisterVcpuInfo r{};
  if (!GuestMemory(current).read(arg, r)) return efault;
  Domain& d = *v.domain;
  constexpr u64 record = 64;   // sizeof(vcpu_info), both layouts
  constexpr u64 alignment = 8; // its 64-bit words, which the hypervisor updates atomically: misaligned,
                               // POWER's ldarx/stdcx. raise an alignment interrupt in the hypervisor
  if (r.offset > FrameAllocator::frame_size - record || r.offset % alignment != 0) return ret(Err::nxio);
  if (v.vcpu_info_gfn != ~u64{0} || r.mfn >= GuestPhysMap::gfn_limit) return einval;
  const GuestPhysMap::Entry e = d.p2m.lookup(r.mfn);
  if (e.kind != GuestPhysMap::Kind::ram) return einval;
  auto* to = static_cast<u8*>(map_frame(e.frame)) + r.offset;
  LockGuard timers(v.timers.lock); // a timer firing on another CPU rewrites its time record
  LockGuard hold(d.events.lock);
  const auto* from = static_cast<const u8*>(d.shared_info.vcpu_info(v.id));
  for (u64 i = 0; i < record; ++i) to[i] = from[i];
  d.shared_info.move_vcpu_info(v.id, to);
  v.vcpu_info_gfn = r.mfn;
  for (u32 word = 0; word < 8 * abi::word_bytes(d.width); ++word) d.shared_info.set_pending_sel(v.id, word);
  d.shared_info.set_upcall_pending(v.id);
  return 0;
}

i64 initialise(const Vcpu& current, Vcpu& v, u64 arg) {
  using V = port::Virtualization;
  constexpr usize bytes = vcpu_context_bytes<V>();
  if constexpr (bytes == 0) {
    return enosys;
  } else {
    if (v.initialised) return ret(Err::exist);
    u8 record[bytes != 0 ? bytes : 1]; // the discarded branch still compiles where bytes is 0
    if (!GuestMemory(current).copy_from(arg, record, bytes)) return efault;
    if (!initialise_vcpu<V>(v.arch, record)) return einval;
    v.initialised = true;
    return 0;
  }
}

i64 vcpu_up(HypercallEnv& env, Vcpu& v) {
  const Err e = env.domains.vcpu_up(v);
  if (e == Err::ok && env.timers != nullptr) env.timers->refresh_time(v); // before it first runs
  return ret(e);
}

// The timer sub-operations, out of line: VCPUOP_is_up and friends save no register for them.
[[gnu::noinline]] i64 timer_op(VcpuTimers* timers, Vcpu& current, Vcpu& v, u64 cmd, u64 arg) {
  if (timers == nullptr) return enosys;
  const GuestMemory guest(current);
  switch (cmd) {
  case abi::vcpuop::set_singleshot_timer: return &v != &current ? einval : singleshot(*timers, current, v, arg);
  case abi::vcpuop::stop_singleshot_timer:
    if (&v != &current) return einval;
    timers->stop_singleshot(v);
    return 0;
  case abi::vcpuop::set_periodic_timer: {
    abi::SetPeriodicTimer p{};
    if (!guest.read(arg, p)) return efault;
    return ret(timers->set_periodic(v, p.period_ns));
  }
  case abi::vcpuop::stop_periodic_timer: timers->stop_periodic(v); return 0;
  default: return enosys;
  }
}

} // namespace

i64 vcpu_op(HypercallEnv& env, Domain& caller, Vcpu& current, u64 cmd, u64 vcpuid, u64 arg) {
  Vcpu* v = vcpuid < caller.vcpu_count ? caller.vcpu(static_cast<u32>(vcpuid)) : nullptr;
  if (v == nullptr) return ret(Err::noent);
  switch (cmd) {
  case abi::vcpuop::up: return v->online ? 0 : !v->initialised ? einval : vcpu_up(env, *v);
  case abi::vcpuop::down: return ret(env.domains.vcpu_down(*v));
  case abi::vcpuop::is_up: return v->online ? 1 : 0;
  case abi::vcpuop::initialise: return initialise(current, *v, arg);
  case abi::vcpuop::register_vcpu_info: return register_vcpu_info(current, *v, arg);
  case abi::vcpuop::register_runstate_memory_area: {
    abi::RegisterRunstateArea area{};
    return GuestMemory(current).read(arg, area) ? 0 : efault;
  }
  case abi::vcpuop::set_singleshot_timer:
  case abi::vcpuop::stop_singleshot_timer:
  case abi::vcpuop::set_periodic_timer:
  case abi::vcpuop::stop_periodic_timer: return timer_op(env.timers, current, *v, cmd, arg);
  default: return enosys;
  }
}

i64 set_timer_op(HypercallEnv& env, Domain& caller, Vcpu& current, u64 a0, u64 a1, u64) {
  constexpr u64 too_far_ns = u64{1} << 50;
  constexpr u64 instead_ns = 100'000'000;
  if (env.timers == nullptr) return enosys;
  const u64 timeout = caller.width == abi::GuestWidth::bits64 ? a0 : a0 | a1 << 32;
  if (timeout == 0) {
    env.timers->stop_singleshot(current);
    return 0;
  }
  const u64 now = env.timers->now_of(caller);
  const bool wrapped = timeout > now && timeout - now > too_far_ns;
  return ret(env.timers->set_singleshot(current, wrapped ? now + instead_ns : timeout, false));
}

} // namespace hv::hypercalls

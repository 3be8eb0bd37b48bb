// SPDX-License-Identifier: Apache-2.0
// A whole domain through the save stream: the architecture-neutral records (hv/core/domain_save.hpp) and
// the vCPUs' records, whose state the port contract's save_vcpu_state and load_vcpu_state carry. See
// Hypervisor::save_domain and restore_domain in hv/domains/hypervisor.hpp, docs/save-format.md.
#include <hv/core/domain_save.hpp>
#include <hv/domains/hypervisor.hpp>
#include <hv/domains/machine_frames.hpp>

#include <port.hpp>

namespace hv {
namespace {

using V = port::Virtualization;
constexpr usize state_bytes = vcpu_state_bytes<V>();

/// The vcpu record's head; the backend's state of the vCPU follows when it has one.
struct VcpuHead {
  u32 id;
  u32 flags;
};
constexpr u32 vcpu_online = 1;    ///< it was up
constexpr u32 vcpu_has_state = 2; ///< the backend's state follows (a vCPU nothing gave one has none)
/// Its context was made (the build makes every vCPU's) but the guest has not set its registers yet
/// (VCPUOP_initialise): the restored one waits for that too. A bit for the exception, so that a 1.0 stream,
/// which has none, restores as it did: every vCPU with a state initialised.
constexpr u32 vcpu_uninitialised = 4;
constexpr u32 vcpu_flags = vcpu_online | vcpu_has_state | vcpu_uninitialised;

/// The timers record: one vCPU's timers, as what is left of each until it fires (none: not armed).
struct TimersRecord {
  u32 vcpu;
  u32 reserved;
  u64 singleshot_in, periodic_in, period;
};
constexpr u64 none = VcpuTimerState::none;

/// What is left of `deadline` at `now`: 0 when it passed, none when there is none.
u64 left(u64 deadline, u64 now) { return deadline == none ? none : deadline > now ? deadline - now : 0; }

/// Room for one vCPU's state while it is written: saves are domctls, handled under the core's lock.
alignas(16) u8 state_buffer[state_bytes != 0 ? state_bytes : 1];

struct Restoring {
  Hypervisor* hypervisor = nullptr;
  u64 seen = 0; ///< bit n: vCPU n's record was read
};
static_assert(limits::max_vcpus <= 64, "Restoring::seen has a bit per vCPU");

} // namespace

const char* Hypervisor::save_domain(Domain& d, save::Writer& out, bool memory) {
  if (state_bytes == 0) return "this hypervisor's backend cannot save a vCPU's state";
  const bool still = d.state == DomainState::created || d.state == DomainState::shut_down ||
                     (d.state == DomainState::running && d.pause_count != 0);
  if (!still) return "the domain is not paused";
  if (const char* why = save::unsaveable(d); why != nullptr) return why;
  const u64 now = port::Timer::now();
  // Its time records say its system time at this instant (the shared_info record carries them), so that a
  // restore in a later boot, whose system time starts again from 0, goes on from there (restore_vcpu).
  // The domain is paused: nothing of it reads them until it runs again, when they are written afresh.
  for (u32 i = 0; i < d.vcpu_count; ++i)
    if (d.vcpus[i].online) time_.refresh(d.vcpus[i], now);
  if (!out.header(V::name, static_cast<u8>(abi::word_bytes(d.width))) || !save::write_domain(out, d, memory))
    return "the stream's buffer is full";
  for (u32 i = 0; i < d.vcpu_count; ++i) {
    Vcpu& v = d.vcpus[i];
    VcpuHead head{v.id, (v.online ? vcpu_online : 0) | (v.context_made ? vcpu_has_state : 0) |
                            (v.context_made && !v.initialised ? vcpu_uninitialised : 0)};
    if (v.context_made) {
      claim_fpu(this_cpu(), v);
      fpu_[port::Cpu::index()].store(v.arch);
      save_vcpu_state<V>(v.arch, now, state_buffer);
    }
    if (!out.record(static_cast<u32>(save::RecordType::vcpu), &head, sizeof head, state_buffer,
                    v.context_made ? state_bytes : 0))
      return "the stream's buffer is full";
    const u64 system_now = timers_.now();
    const TimersRecord timers{v.id, 0, left(v.timers.singleshot, system_now), left(v.timers.periodic, system_now),
                              v.timers.period};
    if (!out.record(static_cast<u32>(save::RecordType::timers), &timers, sizeof timers))
      return "the stream's buffer is full";
  }
  return out.end() ? nullptr : "the stream's buffer is full";
}

bool Hypervisor::restore_vcpu(void* context, Domain& d, const save::Record& r, const char*& why) {
  auto& restoring = *static_cast<Restoring*>(context);
  Hypervisor& self = *restoring.hypervisor;
  if (r.type == static_cast<u32>(save::RecordType::timers)) {
    TimersRecord t{};
    why = "a timers record of the wrong length, for a vCPU the domain has not, or out of range";
    if (r.length != sizeof t) return false;
    __builtin_memcpy(&t, r.payload, sizeof t);
    return t.vcpu < d.vcpu_count &&
           self.timers_.restore(d.vcpus[t.vcpu], t.singleshot_in, t.periodic_in, t.period) == Err::ok;
  }
  why = "a record of a type this version restores nothing from";
  if (r.type != static_cast<u32>(save::RecordType::vcpu)) return false;
  VcpuHead head{};
  why = "a vcpu record is of the wrong length, or for a vCPU the domain has not or given twice";
  if (r.length < sizeof head) return false;
  __builtin_memcpy(&head, r.payload, sizeof head);
  const bool has_state = (head.flags & vcpu_has_state) != 0;
  const bool uninitialised = (head.flags & vcpu_uninitialised) != 0;
  if (head.id >= d.vcpu_count || (restoring.seen >> head.id & 1) != 0 || (head.flags & ~vcpu_flags) != 0 ||
      r.length != sizeof head + (has_state ? state_bytes : 0) || (!has_state && (head.flags & vcpu_online) != 0) ||
      (uninitialised && (!has_state || (head.flags & vcpu_online) != 0)))
    return false;
  restoring.seen |= u64{1} << head.id;
  if (!has_state) return true;
  if (!d.space_made) {
    // Its system time goes on from the latest its vCPUs' records said at the save (shared_info is restored
    // by now), even where this boot's is behind it.
    u64 saved = 0;
    for (u32 i = 0; i < d.vcpu_count; ++i) {
      const u64 t = pv_time::recorded_system_time(d.shared_info, i);
      saved = t > saved ? t : saved;
    }
    const u64 system_now = self.timers_.now();
    d.time_offset_ns = saved > system_now ? saved - system_now : 0;
    self.time_.set_wallclock(d);
    why = "no room on this machine for the domain's tables";
    if (self.make_space(d) != nullptr) return false;
  }
  Vcpu& v = d.vcpus[head.id];
  AccountFrames tables(self.frames_, d.overhead, self.ram_);
  why = "no room on this machine for the domain's vCPUs";
  if (!V::create_vcpu(tables, v.arch, d.arch, GuestStart{0, 0, v.id, d.id})) return false;
  v.context_made = true;          // from here on the domain's teardown gives it back
  v.initialised = !uninitialised; // as saved: VCPUOP_up brings up one whose registers the guest set
  self.fpu_[0].created(v.arch);
  why = "a vcpu record holds a state this hypervisor's backend cannot run";
  if (!load_vcpu_state<V>(v.arch, port::Timer::now(), r.payload + sizeof head)) return false;
  if ((head.flags & vcpu_online) != 0) (void)self.domains_.vcpu_up(v);
  return true;
}

Domain* Hypervisor::restore_domain(const u8* stream, usize size, const char*& why) {
  save::Reader in(stream, size);
  return restore_domain(in, why);
}

Domain* Hypervisor::restore_domain(save::Reader& in, const char*& why, abi::domid_t id, Domain* into) {
  why = in.open(V::name);
  if (why != nullptr) return nullptr;
  Restoring restoring{this};
  return save::read_domain(in, domains_, why, {restore_vcpu, &restoring}, id, into);
}

} // namespace hv

// SPDX-License-Identifier: Apache-2.0
// XEN_DOMCTL_shadow_op's dirty-page logging (Hypervisor::shadow_op in hv/domains/hypervisor.hpp): the log
// is the core's bitmap (hv/core/dirty_log.hpp); the writes reach it by write protection through the port
// contract: a logged RAM page is mapped without write (map_guest_page) until the guest's first write of
// the round faults (second_stage_fault, write), which marks it and maps it writable (exit_handler.hpp).
// docs/migration.md says why write protection, and what a port owes.
#include <hv/core/dirty_log.hpp>
#include <hv/core/guest_memory.hpp>
#include <hv/domains/hypervisor.hpp>

#include <port.hpp>

namespace hv {
namespace {

using V = port::Virtualization;

/// V::protect_guest_pages, in a backend that logs dirty pages (shadow_op answers before any other's
/// reaches it).
template <class P> void protect(typename P::Space& space, const PhysAddr* gpas, usize count) {
  if constexpr (logs_dirty_pages<P>()) P::protect_guest_pages(space, gpas, count);
}

/// RAM pages of a domain losing write, handed to the port a batch at a time: one flush a batch, not a
/// page (V::protect_guest_pages).
class WriteProtection {
public:
  explicit WriteProtection(Domain& d) : d_(d) {}
  WriteProtection(const WriteProtection&) = delete;
  WriteProtection& operator=(const WriteProtection&) = delete;
  ~WriteProtection() { flush(); }
  void add(u64 gfn) {
    gpas_[count_++] = gfn * FrameAllocator::frame_size;
    if (count_ == batch) flush();
  }
  void flush() {
    if (count_ != 0) protect<V>(d_.arch, gpas_, count_);
    count_ = 0;
  }

private:
  static constexpr usize batch = 128;
  Domain& d_;
  PhysAddr gpas_[batch]{};
  usize count_ = 0;
};

/// The frames the log covers: every RAM frame of `d` (one past the highest).
u64 ram_bound(const Domain& d) {
  u64 bound = 0;
  d.p2m.for_each([&](u64 gfn, GuestPhysMap::Entry e) {
    if (e.kind == GuestPhysMap::Kind::ram && gfn + 1 > bound) bound = gfn + 1;
  });
  return bound;
}

} // namespace

void Hypervisor::add_dirty_log_hook() {
  env_.builder.shadow_op = [](void* self, Domain& target, const Vcpu& caller, abi::DomctlShadowOp& op) {
    return static_cast<Hypervisor*>(self)->shadow_op(target, caller, op);
  };
}

i64 Hypervisor::shadow_op(Domain& target, const Vcpu& caller, abi::DomctlShadowOp& op) {
  if (!logs_dirty_pages<V>()) return to_return(Err::opnotsupp);
  // Every RAM page mapped again, as the log now wants it (a write-protected or a writable page).
  auto remap_all = [&] {
    bool mapped = true;
    target.p2m.for_each([&](u64 gfn, GuestPhysMap::Entry e) {
      if (e.kind == GuestPhysMap::Kind::ram) mapped = mapped && map_from_p2m(target, gfn);
    });
    return mapped;
  };
  const bool enable = op.op == abi::shadow_op::enable_logdirty ||
                      (op.op == abi::shadow_op::enable && op.mode == abi::shadow_op::mode_log_dirty);
  if (enable) {
    if (!target.space_made) return to_return(Err::inval);
    const Err e = dirty::start(frames_, target, ram_bound(target));
    if (e != Err::ok) return to_return(e);
    WriteProtection ram(target);
    target.p2m.for_each([&](u64 gfn, GuestPhysMap::Entry entry) {
      if (entry.kind == GuestPhysMap::Kind::ram) ram.add(gfn);
    });
    return 0;
  }
  switch (op.op) {
  case abi::shadow_op::off:
    if (!target.dirty.on()) return 0;
    dirty::stop(frames_, target);
    if (!remap_all()) crash(target, "out of memory for its second-stage tables");
    return 0;
  case abi::shadow_op::clean:
  case abi::shadow_op::peek: {
    if (!target.dirty.on()) return to_return(Err::inval);
    const u64 covered = target.dirty.gfns;
    const u64 asked = op.pages < covered ? op.pages : covered;
    if (asked != 0 && !GuestMemory(caller).copy_to(op.dirty_bitmap, dirty::bitmap(target), (asked + 7) / 8))
      return to_return(Err::fault);
    op.pages = covered;
    op.fault_count = static_cast<u32>(target.dirty.faults);
    op.dirty_count = static_cast<u32>(target.dirty.dirtied);
    if (op.op == abi::shadow_op::clean) {
      // Each page written this round is write-protected again, for the next; one that is no longer RAM
      // (given back meanwhile) is mapped as its p2m now says.
      struct Again {
        Hypervisor* self;
        Domain* d;
        WriteProtection ram;
        bool mapped;
      } again{this, &target, WriteProtection(target), true};
      dirty::clean(
          target,
          [](void* context, u64 gfn) {
            auto& a = *static_cast<Again*>(context);
            if (a.d->p2m.lookup(gfn).kind == GuestPhysMap::Kind::ram)
              a.ram.add(gfn);
            else
              a.mapped = a.self->map_from_p2m(*a.d, gfn) && a.mapped;
          },
          &again);
      again.ram.flush();
      if (!again.mapped) crash(target, "out of memory for its second-stage tables");
    }
    return 0;
  }
  default: return to_return(Err::opnotsupp);
  }
}

} // namespace hv

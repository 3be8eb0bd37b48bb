// SPDX-License-Identifier: Apache-2.0
// grant_table_op (20): (cmd, uop, count), the v1 grant tables of grant_table.cpp.
// map_grant_ref and unmap_grant_ref take an array of `count` records; each one's outcome is its `status`
// (GNTST_*, hv/core/grant_table.hpp), and the hypercall returns 0, or -EFAULT when a record cannot be read
// or written back (the records before it were done). The others take exactly one record (-EINVAL for
// another count), and act on the caller's table or, for the control domain, another domain's:
// query_size reports the frames a table has and may grow to (status GNTST_bad_domain,
// GNTST_permission_denied for another domain's from an unprivileged caller); setup_table grows it to
// nr_frames (GNTST_general_error past its maximum or out of memory) and lists where each frame is mapped
// in the domain's physical space (all ones, in the guest's width, where it is not: a translated guest
// maps them with XENMEM_add_to_physmap; GNTST_bad_virt_addr when the list cannot be written);
// set_version accepts 1 and answers -ENOSYS for 2 (the table stays v1, as the family answers when v2 is
// off) and -EINVAL for anything else, writing back the version in force either way; get_version reports
// 1 (-ESRCH, -EPERM for the domain). Other sub-operations: -ENOSYS.
#include "hypercall_family.hpp"

namespace hv::hypercalls {
namespace {

constexpr u32 table_version = 1;

template <class Op, class F> i64 batch(const Vcpu& vcpu, u64 uop, u64 count, F f) {
  const GuestMemory guest(vcpu);
  for (u64 i = 0; i < count; ++i) {
    u64 at = 0;
    Op op{};
    if (!GuestMemory::element(uop, i, sizeof op, at) || !guest.read(at, op)) return efault;
    f(op);
    if (!guest.write(at, op)) return efault;
  }
  return 0;
}

/// The domain `dom` names for `caller`'s query: null with `status` set when there is none, or it is
/// another domain's and the caller is not the control domain.
Domain* table_owner(DomainTable& table, Domain& caller, abi::domid_t dom, i16& status) {
  Domain* d = table.resolve(caller, dom);
  if (d == nullptr)
    status = abi::gntst::bad_domain;
  else if (d != &caller && !caller.privileged)
    status = abi::gntst::permission_denied;
  else
    return d;
  return nullptr;
}

i64 query_size(DomainTable& table, Domain& caller, const Vcpu& vcpu, u64 uop) {
  const GuestMemory guest(vcpu);
  abi::GnttabQuerySize op{};
  if (!guest.read(uop, op)) return efault;
  if (Domain* d = table_owner(table, caller, op.dom, op.status); d != nullptr) {
    op.nr_frames = d->grants.nr_frames;
    op.max_nr_frames = d->grants.max_frames;
    op.status = abi::gntst::okay;
  }
  return guest.write(uop, op) ? 0 : efault;
}

/// Writes the frame list of `d`'s first `frames` frames to `list`: the status to report.
i16 frame_list(const Domain& caller, const Vcpu& vcpu, const Domain& d, u64 list, u32 frames) {
  const GuestMemory guest(vcpu);
  const u32 word = abi::word_bytes(caller.width);
  for (u32 i = 0; i < frames; ++i) {
    const u64 gfn = d.grants.gfn[i] == GrantTable::unmapped ? ~u64{0} : d.grants.gfn[i];
    u64 at = 0;
    const u32 narrow = static_cast<u32>(gfn);
    if (!GuestMemory::element(list, i, word, at) || !(word == 8 ? guest.write(at, gfn) : guest.write(at, narrow)))
      return abi::gntst::bad_virt_addr;
  }
  return abi::gntst::okay;
}

i64 setup_table(DomainTable& table, Domain& caller, const Vcpu& vcpu, u64 uop) {
  abi::domid_t dom = 0;
  u32 frames = 0;
  u64 list = 0;
  if (!read_sized<abi::GnttabSetupTable>(vcpu, uop, [&](const auto& op) {
        dom = op.dom;
        frames = op.nr_frames;
        list = op.frame_list;
      }))
    return efault;
  i16 status = abi::gntst::okay;
  if (Domain* d = table_owner(table, caller, dom, status); d != nullptr)
    status = grant::grow(table.frames(), *d, frames) != Err::ok ? abi::gntst::general_error
                                                                : frame_list(caller, vcpu, *d, list, frames);
  const GuestMemory guest(vcpu);
  const u64 at = uop + (caller.width == abi::GuestWidth::bits64
                            ? __builtin_offsetof(abi::GnttabSetupTable<abi::GuestWidth::bits64>, status)
                            : __builtin_offsetof(abi::GnttabSetupTable<abi::GuestWidth::bits32>, status));
  return guest.write(at, status) ? 0 : efault;
}

i64 set_version(const Vcpu& vcpu, u64 uop) {
  const GuestMemory guest(vcpu);
  abi::GnttabSetVersion op{};
  if (!guest.read(uop, op)) return efault;
  const i64 result = op.version == table_version ? 0 : op.version == 2 ? enosys : einval;
  op.version = table_version;
  return guest.write(uop, op) ? result : efault;
}

i64 get_version(DomainTable& table, Domain& caller, const Vcpu& vcpu, u64 uop) {
  const GuestMemory guest(vcpu);
  abi::GnttabGetVersion op{};
  if (!guest.read(uop, op)) return efault;
  auto target = target_domain(table, caller, op.dom);
  if (!target.ok()) return ret(target.error());
  op.version = table_version;
  return guest.write(uop, op) ? 0 : efault;
}

// The one-record sub-operations, out of line: map and unmap save no register for them.
[[gnu::noinline]] i64 single(DomainTable& table, Domain& caller, const Vcpu& vcpu, u64 cmd, u64 uop, u64 count) {
  if (count != 1) return einval;
  switch (cmd) {
  case abi::gnttabop::query_size: return query_size(table, caller, vcpu, uop);
  case abi::gnttabop::setup_table: return setup_table(table, caller, vcpu, uop);
  case abi::gnttabop::set_version: return set_version(vcpu, uop);
  case abi::gnttabop::get_version: return get_version(table, caller, vcpu, uop);
  default: return enosys;
  }
}

} // namespace

i64 grant_table_op(HypercallEnv& env, Domain& caller, Vcpu& vcpu, u64 cmd, u64 uop, u64 count) {
  DomainTable& table = env.domains;
  count &= 0xffff'ffff; // an unsigned int in the ABI
  switch (cmd) {
  case abi::gnttabop::map_grant_ref:
    return batch<abi::GnttabMapGrantRef>(vcpu, uop, count, [&](auto& op) { grant::map(table, caller, op); });
  case abi::gnttabop::unmap_grant_ref:
    return batch<abi::GnttabUnmapGrantRef>(vcpu, uop, count, [&](auto& op) { grant::unmap(table, caller, op); });
  case abi::gnttabop::query_size:
  case abi::gnttabop::setup_table:
  case abi::gnttabop::set_version:
  case abi::gnttabop::get_version: return single(table, caller, vcpu, cmd, uop, count);
  default: return enosys;
  }
}

} // namespace hv::hypercalls

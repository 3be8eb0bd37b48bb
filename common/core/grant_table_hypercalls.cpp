// grant_table_op (20): (cmd, uop, count), the v1 grant tables of grant_table.cpp.
// map_grant_ref and unmap_grant_ref take an array of `count` records; each one's outcome is its `status`
// (GNTST_*, hv/core/grant_table.hpp), and the hypercall returns 0, or -EFAULT when a record cannot be read
// or written back (the records before it were done). query_size takes exactly one record (-EINVAL
// otherwise) and reports the domain's grant frames; another domain's only to a privileged caller. Other
// sub-operations: -ENOSYS.
#include "hypercall_family.hpp"

namespace hv::hypercalls {
namespace {

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

i64 query_size(DomainTable& table, Domain& caller, const Vcpu& vcpu, u64 uop, u64 count) {
  if (count != 1) return einval;
  const GuestMemory guest(vcpu);
  abi::GnttabQuerySize op{};
  if (!guest.read(uop, op)) return efault;
  Domain* d = table.resolve(caller, op.dom);
  if (d == nullptr) {
    op.status = abi::gntst::bad_domain;
  } else if (d != &caller && !caller.privileged) {
    op.status = abi::gntst::permission_denied;
  } else {
    op.nr_frames = d->grants.nr_frames;
    op.max_nr_frames = d->grants.nr_frames; // fixed at creation: the table does not grow
    op.status = abi::gntst::okay;
  }
  return guest.write(uop, op) ? 0 : efault;
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
  case abi::gnttabop::query_size: return query_size(table, caller, vcpu, uop, count);
  default: return enosys;
  }
}

} // namespace hv::hypercalls

// xen_version (17): (cmd, arg), what the hypervisor is and offers.
// XENVER_version returns major << 16 | minor; XENVER_extraversion copies a 16-byte string to arg;
// XENVER_get_features fills the requested feature word (-EINVAL past the last); XENVER_pagesize returns the
// page size. Anything else: -ENOSYS.
#include <hv/abi/hypercall.hpp>

#include "hypercall_family.hpp"

namespace hv::hypercalls {
namespace {

// The sub-operations that copy a record, out of line: the null hypercall (XENVER_version) then saves no
// register for them.
[[gnu::noinline]] i64 with_record(const Domain& caller, const Vcpu& vcpu, u64 cmd, u64 arg) {
  const GuestMemory guest(vcpu);
  if (cmd == abi::xenver::extraversion) {
    char text[abi::extraversion_size] = {'.', '0', '-', 'h', 'v'};
    return guest.write(arg, text) ? 0 : efault;
  }
  abi::FeatureInfo info{};
  if (!guest.read(arg, info)) return efault;
  if (info.submap_idx >= abi::xenfeat::submaps) return einval;
  info.submap = u32{1} << abi::xenfeat::auto_translated_physmap;
  if (caller.privileged) info.submap |= u32{1} << abi::xenfeat::dom0;
  return guest.write(arg, info) ? 0 : efault;
}

} // namespace

i64 xen_version(HypercallEnv&, Domain& caller, Vcpu& vcpu, u64 cmd, u64 arg, u64) {
  switch (cmd) {
  case abi::xenver::version: return static_cast<i64>(abi::version_major << 16 | abi::version_minor);
  case abi::xenver::pagesize: return static_cast<i64>(FrameAllocator::frame_size);
  case abi::xenver::extraversion:
  case abi::xenver::get_features: return with_record(caller, vcpu, cmd, arg);
  default: return enosys;
  }
}

} // namespace hv::hypercalls

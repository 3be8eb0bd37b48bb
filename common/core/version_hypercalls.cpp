// SPDX-License-Identifier: Apache-2.0
// xen_version (17): (cmd, arg), what the hypervisor is and offers, answered as the family answers a
// hardware-virtualized (PVH) guest.
// XENVER_version returns major << 16 | minor; XENVER_pagesize the page size. These copy to `arg` (-EFAULT
// when it cannot be written): extraversion (16 bytes), compile_info, capabilities (1,024 bytes: the guest
// kinds the backend runs, HypervisorFacts), changeset (64 bytes, "unavailable": builds carry no revision),
// platform_parameters (virt_start all ones: no part of a translated guest's address space is the
// hypervisor's), guest_handle (16 bytes, zeros: no toolstack gave the domain a handle), commandline (1,024
// bytes: the hypervisor's command line to the control domain, "<denied>" to the others, as the family's
// default policy has it). XENVER_get_features fills the requested feature word (-EINVAL past the last).
// XENVER_build_id: -EPERM to any domain but the control domain, -ENODATA to it (the image has no build
// ID). Anything else: -ENOSYS.
#include <hv/abi/hypercall.hpp>

#include "hypercall_family.hpp"

namespace hv::hypercalls {
namespace {

/// The feature word 0 of a translated guest with an event upcall vector (PVH), and dom0 for the control
/// domain. Its time records are kept current and its timers are the family's, hence hvm_safe_pvclock; it
/// maps its own page tables and grant frames (writable_page_tables, auto_translated_physmap,
/// not_direct_mapped). No pirqs (hvm_pirqs would send Linux to emulated interrupt routing).
u32 features(const Domain& d) {
  namespace f = abi::xenfeat;
  u32 word = 1u << f::writable_page_tables | 1u << f::auto_translated_physmap | 1u << f::hvm_callback_vector |
             1u << f::hvm_safe_pvclock | 1u << f::not_direct_mapped;
  if (d.privileged) word |= 1u << f::dom0;
  return word;
}

/// Writes `text` to the guest's `size`-byte buffer at `arg`, NUL-padded (cut to leave a NUL); `size` is
/// one of the ABI's text buffers, the largest of which is capabilities_size.
static_assert(abi::commandline_size <= abi::capabilities_size && abi::changeset_size <= abi::capabilities_size);
i64 write_text(const GuestMemory& guest, u64 arg, StrView text, usize size) {
  char buffer[abi::capabilities_size] = {};
  const usize n = text.size() < size - 1 ? text.size() : size - 1;
  for (usize i = 0; i < n; ++i) buffer[i] = text[i];
  return guest.copy_to(arg, buffer, size) ? 0 : efault;
}

void copy_string(char* out, usize size, StrView text) {
  const usize n = text.size() < size - 1 ? text.size() : size - 1;
  for (usize i = 0; i < n; ++i) out[i] = text[i];
}

i64 platform_parameters(const Domain& caller, const GuestMemory& guest, u64 arg) {
  if (caller.width == abi::GuestWidth::bits64)
    return guest.write(arg, abi::PlatformParameters<abi::GuestWidth::bits64>{~u64{0}}) ? 0 : efault;
  return guest.write(arg, abi::PlatformParameters<abi::GuestWidth::bits32>{~u32{0}}) ? 0 : efault;
}

i64 get_features(const Domain& caller, const GuestMemory& guest, u64 arg) {
  abi::FeatureInfo info{};
  if (!guest.read(arg, info)) return efault;
  if (info.submap_idx >= abi::xenfeat::submaps) return einval;
  info.submap = features(caller);
  return guest.write(arg, info) ? 0 : efault;
}

// The sub-operations that copy a record, out of line: the null hypercall (XENVER_version) then saves no
// register for them.
[[gnu::noinline]] i64 with_record(const HypercallEnv& env, Domain& caller, const Vcpu& vcpu, u64 cmd, u64 arg) {
  const GuestMemory guest(vcpu);
  const HypervisorFacts facts = env.facts != nullptr ? *env.facts : HypervisorFacts{};
  switch (cmd) {
  case abi::xenver::extraversion: return write_text(guest, arg, ".0-hv", abi::extraversion_size);
  case abi::xenver::compile_info: {
    abi::CompileInfo info{};
    copy_string(info.compiler, sizeof info.compiler, __VERSION__);
    copy_string(info.compile_by, sizeof info.compile_by, "hv");
    return guest.write(arg, info) ? 0 : efault;
  }
  case abi::xenver::capabilities: return write_text(guest, arg, facts.capabilities, abi::capabilities_size);
  case abi::xenver::changeset: return write_text(guest, arg, "unavailable", abi::changeset_size);
  case abi::xenver::platform_parameters: return platform_parameters(caller, guest, arg);
  case abi::xenver::get_features: return get_features(caller, guest, arg);
  case abi::xenver::guest_handle: return write_text(guest, arg, "", abi::guest_handle_size);
  case abi::xenver::commandline:
    return write_text(guest, arg, caller.privileged ? facts.command_line : StrView("<denied>"), abi::commandline_size);
  case abi::xenver::build_id: return ret(caller.privileged ? Err::nodata : Err::perm);
  default: return enosys;
  }
}

} // namespace

i64 xen_version(HypercallEnv& env, Domain& caller, Vcpu& vcpu, u64 cmd, u64 arg, u64) {
  switch (cmd) {
  case abi::xenver::version: return static_cast<i64>(abi::version_major << 16 | abi::version_minor);
  case abi::xenver::pagesize: return static_cast<i64>(FrameAllocator::frame_size);
  default: return with_record(env, caller, vcpu, cmd, arg);
  }
}

} // namespace hv::hypercalls

// SPDX-License-Identifier: Apache-2.0
// The control domain's save and restore of a domain through its own memory: hv_save_stream writes a piece
// of a paused domain's save stream there, hv_restore_stream makes a domain from a stream there, read
// record by record. See Hypervisor::save_stream_to and restore_stream_from in hv/domains/hypervisor.hpp
// and docs/lifecycle.md.
#include <hv/console.hpp>
#include <hv/core/domain_save.hpp>
#include <hv/core/guest_memory.hpp>
#include <hv/domains/hypervisor.hpp>

#include <port.hpp>

namespace hv {
namespace {

/// The caller's buffer: where a piece goes to, or the stream comes from.
struct CallerBuffer {
  const Vcpu* caller;
  u64 base;
};

bool write_piece(void* context, u64 at, const void* bytes, usize length) {
  const auto& b = *static_cast<const CallerBuffer*>(context);
  u64 where = 0;
  return GuestMemory::element(b.base, at, 1, where) && GuestMemory(*b.caller).copy_to(where, bytes, length);
}

bool read_piece(const void* context, u64 at, void* out, usize length) {
  const auto& b = *static_cast<const CallerBuffer*>(context);
  u64 where = 0;
  return GuestMemory::element(b.base, at, 1, where) && GuestMemory(*b.caller).copy_from(where, out, length);
}

/// Where a record read from the caller's memory waits while it is restored: the largest record (a vCPU's
/// state, a page with its gfn) with room to spare. The Hypervisor is one object, used by one CPU.
constexpr usize staging_bytes = 3 * FrameAllocator::frame_size;
static_assert(vcpu_state_bytes<port::Virtualization>() + 16 <= staging_bytes);
alignas(16) u8 staging[staging_bytes];

} // namespace

void Hypervisor::add_save_hooks() {
  env_.builder.save_stream = [](void* self, Domain& target, const Vcpu& caller, const abi::DomctlSaveStream& piece,
                                u64& size) {
    return static_cast<Hypervisor*>(self)->save_stream_to(target, caller, piece.buffer, piece.offset, piece.length,
                                                          size, (piece.flags & abi::save_stream_flags::no_memory) == 0);
  };
  env_.builder.restore_stream = [](void* self, const Vcpu& caller, const abi::DomctlSaveStream& stream,
                                   abi::domid_t& id) {
    return static_cast<Hypervisor*>(self)->restore_stream_from(caller, stream.buffer, stream.size, id,
                                                               (stream.flags & abi::save_stream_flags::into) != 0);
  };
}

i64 Hypervisor::save_stream_to(Domain& target, const Vcpu& caller, u64 buffer, u64 offset, u64 length, u64& size,
                               bool memory) {
  if (vcpu_state_bytes<port::Virtualization>() == 0) return to_return(Err::nosys);
  if (save::unsaveable(target) != nullptr) return to_return(Err::busy);
  CallerBuffer where{&caller, buffer};
  save::Writer out(save::Sink{write_piece, &where}, offset, length);
  const char* why = save_domain(target, out, memory);
  if (out.failed()) return to_return(Err::fault);
  if (why != nullptr) return to_return(Err::inval); // not paused: the only refusal a window leaves
  size = out.size();
  if (offset >= size) return 0;
  const u64 left = size - offset;
  return static_cast<i64>(left < length ? left : length);
}

i64 Hypervisor::restore_stream_from(const Vcpu& caller, u64 buffer, u64 size, abi::domid_t& id, bool into) {
  Domain* target = nullptr;
  if (into) {
    target = domains_.find(id);
    if (target == nullptr) return to_return(Err::srch);
    if (target->privileged) return to_return(Err::inval);
  } else if (id != 0 && domains_.find(id) != nullptr) {
    return to_return(Err::exist);
  }
  const CallerBuffer where{&caller, buffer};
  save::Reader in(save::Source{read_piece, &where}, size, staging, staging_bytes);
  const char* why = nullptr;
  Domain* d = restore_domain(in, why, id, target);
  if (in.faulted()) return to_return(Err::fault);
  if (d == nullptr) {
    print("save stream refused: {}\n", why);
    return to_return(Err::inval);
  }
  id = d->id;
  return 0;
}

} // namespace hv

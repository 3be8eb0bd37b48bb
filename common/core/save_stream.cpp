// SPDX-License-Identifier: Apache-2.0
// The save stream's writer and reader. See hv/core/save_stream.hpp and docs/save-format.md.
#include <hv/core/save_stream.hpp>

namespace hv::save {
namespace {

constexpr char magic[8] = {'H', 'V', 'S', 'T', 'R', 'E', 'A', 'M'};
constexpr u64 padded(u64 n) { return (n + 7) & ~u64{7}; }

bool little_endian() {
  const u32 mark = byte_order_mark;
  u8 first = 0;
  __builtin_memcpy(&first, &mark, 1);
  return first == 0x04;
}

u32 swapped(u32 v) { return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff'0000) | (v << 24); }

bool same_name(const char (&field)[backend_name_bytes], StrView name) {
  if (name.size() >= backend_name_bytes) return false;
  for (usize i = 0; i < backend_name_bytes; ++i)
    if (field[i] != (i < name.size() ? name[i] : '\0')) return false;
  return true;
}

} // namespace

bool Writer::put(const void* bytes, usize length) {
  if (sink_.write != nullptr) { // a window: the bytes that fall in it go to the sink, all are counted
    const u64 end = window_from_ + capacity_;
    const u64 first = used_ > window_from_ ? used_ : window_from_;
    const u64 last = used_ + length < end ? used_ + length : end;
    if (!full_ && first < last &&
        !sink_.write(sink_.context, first - window_from_, static_cast<const u8*>(bytes) + (first - used_),
                     last - first))
      full_ = true; // the sink failed: nothing more goes to it
    used_ += length;
    return !full_;
  }
  if (full_ || length > capacity_ - used_) {
    full_ = true;
    return false;
  }
  if (length != 0) __builtin_memcpy(buffer_ + used_, bytes, length);
  used_ += length;
  return true;
}

bool Writer::header(StrView backend, u8 guest_word_bytes) {
  if (backend.size() >= backend_name_bytes || used_ != 0) return false;
  Header h{};
  __builtin_memcpy(h.magic, magic, sizeof magic);
  h.byte_order = byte_order_mark;
  h.major = version_major;
  h.minor = version_minor;
  __builtin_memcpy(h.backend, backend.data(), backend.size());
  h.guest_word_bytes = guest_word_bytes;
  return put(&h, sizeof h);
}

bool Writer::record(u32 type, const void* head, usize head_length, const void* body, usize body_length, u32 flags) {
  const u64 length = u64{head_length} + body_length;
  const RecordHeader r{type, flags, length};
  const u64 total = sizeof r + padded(length);
  const bool room = sink_.write != nullptr || total <= capacity_ - used_;
  if (full_ || length < head_length || total < length || !room) { // whole or nothing
    full_ = true;
    return false;
  }
  constexpr u8 zeros[8] = {};
  return put(&r, sizeof r) && put(head, head_length) && put(body, body_length) && put(zeros, padded(length) - length);
}

bool Reader::fetch(u64 at, void* out, usize length) {
  if (source_.read == nullptr) {
    __builtin_memcpy(out, data_ + at, length);
    return true;
  }
  if (source_.read(source_.context, at, out, length)) return true;
  faulted_ = true;
  return false;
}

const char* Reader::open(StrView backend) {
  if (size_ < sizeof(Header)) return "not a save stream: shorter than its header";
  if (!fetch(0, &header_, sizeof header_)) return "the stream cannot be read";
  if (__builtin_memcmp(header_.magic, magic, sizeof magic) != 0) return "not a save stream: no HVSTREAM at its start";
  if (header_.byte_order != byte_order_mark) {
    if (header_.byte_order != swapped(byte_order_mark)) return "not a save stream: its byte-order mark is broken";
    return little_endian() ? "the stream's byte order is big-endian, this hypervisor's little-endian"
                           : "the stream's byte order is little-endian, this hypervisor's big-endian";
  }
  if (header_.major != version_major) return "the stream's format version is not 1.x, the one this hypervisor reads";
  if (header_.backend[backend_name_bytes - 1] != '\0') return "not a save stream: its backend name is not terminated";
  if (!same_name(header_.backend, backend))
    return "the stream holds another backend's vCPU state than this hypervisor runs";
  if (header_.guest_word_bytes != 4 && header_.guest_word_bytes != 8)
    return "the stream's guest word size is neither 4 nor 8";
  at_ = sizeof(Header);
  return nullptr;
}

bool Reader::next(Record& record, const char*& why) {
  why = nullptr;
  for (;;) {
    if (ended_ || at_ == 0) {
      why = at_ == 0 ? "the stream was not opened" : "a record after the end record";
      if (ended_ && at_ == size_) why = nullptr; // nothing after the end: fine
      return false;
    }
    if (size_ - at_ < sizeof(RecordHeader)) {
      why = at_ == size_ ? "the stream ends without an end record" : "a record header is cut short";
      return false;
    }
    RecordHeader h{};
    if (!fetch(at_, &h, sizeof h)) {
      why = "the stream cannot be read";
      return false;
    }
    const u64 left = size_ - at_ - sizeof h;
    if (h.length > left || padded(h.length) > left) {
      why = "a record runs past the end of the stream";
      return false;
    }
    const u64 payload_at = at_ + sizeof h;
    at_ += sizeof h + padded(h.length);
    if (h.type == static_cast<u32>(RecordType::end)) {
      ended_ = true;
      if (h.length != 0) {
        why = "the end record has a payload";
        return false;
      }
      if (at_ != size_) why = "a record after the end record";
      return false;
    }
    if (!record_type_known(h.type)) {
      if ((h.flags & flag_optional) != 0) continue; // a later version's, which it may skip
      why = "a record of a type this hypervisor does not know, which it may not skip";
      return false;
    }
    const u8* payload = staging_;
    if (source_.read == nullptr) {
      payload = data_ + payload_at;
    } else { // read in pieces: one record at a time, into the staging buffer
      if (h.length > staging_bytes_) {
        why = "a record larger than this hypervisor reads in one piece";
        return false;
      }
      if (!fetch(payload_at, staging_, h.length)) {
        why = "the stream cannot be read";
        return false;
      }
    }
    record = Record{h.type, h.flags, payload, h.length};
    return true;
  }
}

} // namespace hv::save

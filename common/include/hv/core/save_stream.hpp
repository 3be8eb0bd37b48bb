// SPDX-License-Identifier: Apache-2.0
// The save stream: how a paused domain is written out (saved, suspended to disk, migrated) and read back,
// as a header and a sequence of records (docs/save-format.md has the layout, byte by byte).
//
// The header names what wrote the stream: its byte order, the format's version (major.minor) and the
// backend whose vCPU state it holds ("svm", "lpar"). A reader refuses, naming the reason, a stream that
// is not one, one of the other byte order, one of a later major version, one from another backend, and
// any record that is cut short or runs past the end. Records carry a type and flags: a later minor
// version may add record types, marked optional when an earlier reader may skip them; a record this
// reader does not know and may not skip is refused by name. Nothing is restored from a stream that is
// refused: the reader only parses; the restore (to come, docs/lifecycle.md) reads the whole stream through
// it before it builds anything.
//
// Both sides work in a caller's buffer and never allocate. Pure: no port, no domain.
#pragma once

#include <hv/string.hpp>
#include <hv/types.hpp>

namespace hv::save {

/// The format this hypervisor writes, and the newest it reads (any minor of this major).
inline constexpr u16 version_major = 1;
inline constexpr u16 version_minor = 1;             // 1.1: the uart record, a vcpu flag (not initialised)
inline constexpr u32 byte_order_mark = 0x0102'0304; ///< written in the writer's own byte order
inline constexpr usize backend_name_bytes = 12;     ///< the backend's name, NUL-padded

/// The header, 32 bytes, at the stream's start.
struct Header {
  char magic[8];    ///< "HVSTREAM"
  u32 byte_order;   ///< byte_order_mark, in the writer's byte order
  u16 major, minor; ///< the format's version
  char backend[backend_name_bytes];
  u8 guest_word_bytes; ///< the saved domain's word size: 4 or 8
  u8 reserved[3];      ///< 0
};
static_assert(sizeof(Header) == 32);

/// Record types. A type's number never changes meaning; new ones come with a minor version.
enum class RecordType : u32 {
  end = 0,            ///< the last record; no payload
  domain = 1,         ///< what the domain was created with (vCPUs, allowance, limits, weight, cap)
  vcpu = 2,           ///< one vCPU: its ID, whether online, and the backend's state of it
  memory = 3,         ///< a run of guest frames: the first gfn, then whole pages
  shared_info = 4,    ///< the shared_info page, and where the guest mapped it
  event_channels = 5, ///< the ports and their bindings
  grant_table = 6,    ///< the grant table's frames, and where the guest mapped them
  timers = 7,         ///< each vCPU's timers, in system time
  hvm_params = 8,     ///< the HVM parameters as set
  // 9-11 are the migration stream's (docs/migration.md), never the save stream's.
  uart = 12, ///< 1.1: the emulated 16550's registers (optional: an earlier reader skips it)
};
/// Whether this version reads records of type `t`: 1.0's and 1.1's.
constexpr bool record_type_known(u32 t) { return t < 9 || t == static_cast<u32>(RecordType::uart); }

/// Record flags.
inline constexpr u32 flag_optional = 1; ///< a reader that does not know the type may skip the record

/// The 16 bytes before each record's payload; the payload is padded with zeros to a multiple of 8.
struct RecordHeader {
  u32 type;
  u32 flags;
  u64 length; ///< payload bytes, padding not counted
};
static_assert(sizeof(RecordHeader) == 16);

/// A record as the reader hands it out: its payload points into the stream.
struct Record {
  u32 type = 0;
  u32 flags = 0;
  const u8* payload = nullptr;
  u64 length = 0;
};

/// Where a windowed Writer puts the bytes that fall in its window: write(context, at, bytes, length)
/// stores `length` bytes at offset `at` of the window, false when it cannot (the caller's memory faults).
struct Sink {
  bool (*write)(void* context, u64 at, const void* bytes, usize length) = nullptr;
  void* context = nullptr;
};

/// Writes a stream into `buffer`. Every call returns false, and writes nothing more, once the buffer is
/// full; the stream so far stays well formed up to its last whole record (without an end record).
///
/// Or, made with a Sink, through a window: of the whole stream, only the `length` bytes from offset
/// `from` go to the sink (nothing, for a length of 0); the rest are only counted, so that size() is the
/// whole stream's size. This is how a stream larger than any one buffer is read in pieces, each piece
/// written afresh from the start (for the same stream, what is written must not change meanwhile). Then
/// calls return false only once the sink failed.
class Writer {
public:
  Writer(u8* buffer, usize capacity) : buffer_(buffer), capacity_(capacity) {}
  Writer(Sink sink, u64 from, u64 length) : buffer_(nullptr), capacity_(length), window_from_(from), sink_(sink) {}
  /// The header. `backend`: at most backend_name_bytes - 1 characters, else false.
  bool header(StrView backend, u8 guest_word_bytes);
  /// A record of `type` with `length` bytes from `payload` (may be null when `length` is 0).
  bool record(u32 type, const void* payload, usize length, u32 flags = 0) {
    return record(type, payload, length, nullptr, 0, flags);
  }
  /// A record whose payload is `head` then `body` (a page with the number that says where it goes).
  bool record(u32 type, const void* head, usize head_length, const void* body, usize body_length, u32 flags = 0);
  /// The end record: the stream is complete.
  bool end() { return record(static_cast<u32>(RecordType::end), nullptr, 0); }
  /// The bytes written (counted, for a window).
  u64 size() const { return used_; }
  /// A window's sink failed.
  bool failed() const { return sink_.write != nullptr && full_; }

private:
  bool put(const void* bytes, usize length);
  u8* buffer_;
  u64 capacity_;
  u64 used_ = 0;
  u64 window_from_ = 0;
  Sink sink_{};
  bool full_ = false;
};

/// Where a Reader reads a stream from in pieces: read(context, at, out, length) copies `length` bytes
/// from offset `at` of the stream into `out`, false when it cannot (the caller's memory faults).
struct Source {
  bool (*read)(const void* context, u64 at, void* out, usize length) = nullptr;
  const void* context = nullptr;
};

/// Reads a stream from `data` (`size` bytes), which must stay as it is while records are read.
class Reader {
public:
  Reader(const u8* data, usize size) : data_(data), size_(size) {}
  /// A stream of `size` bytes read from `source` in pieces: the header, then each record's header and
  /// payload as next() comes to it, the payload into `staging` (`staging_bytes`), where the record
  /// next() hands out points until the next call. A record longer than that is refused by name.
  Reader(Source source, u64 size, u8* staging, usize staging_bytes)
      : data_(nullptr), size_(size), source_(source), staging_(staging), staging_bytes_(staging_bytes) {}
  /// Checks the header against what this hypervisor reads and runs: null, or why the stream is refused
  /// ("not a save stream", "the stream's byte order is big-endian, this hypervisor's little-endian",
  /// "the stream is version 2.0, this hypervisor reads 1.x", "the stream holds svm vCPU state, this
  /// hypervisor runs lpar", ...). `backend`: this hypervisor's backend name.
  const char* open(StrView backend);
  const Header& header() const { return header_; }
  /// The next record, skipping optional ones of types this reader does not know. True and `record`
  /// filled; false at the end (why null: the end record was read) or on a broken stream (why says what:
  /// a record cut short, one after the end, a type it may not skip, the stream ending without an end
  /// record).
  bool next(Record& record, const char*& why);
  /// The source failed ("the stream cannot be read"): the caller's memory, not the stream, is at fault.
  bool faulted() const { return faulted_; }

private:
  bool fetch(u64 at, void* out, usize length);
  const u8* data_;
  u64 size_;
  u64 at_ = 0;
  bool ended_ = false;
  bool faulted_ = false;
  Header header_{};
  Source source_{};
  u8* staging_ = nullptr;
  usize staging_bytes_ = 0;
};

} // namespace hv::save

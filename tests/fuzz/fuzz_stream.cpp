// SPDX-License-Identifier: Apache-2.0
// libFuzzer harness for the save stream's reader (hv/core/save_stream.hpp), which reads what may come from
// another machine or a file: any input is opened and read to its end, and must be refused or read without
// a crash, an out-of-bounds read (ASan) or a loop. Half of the inputs are first made into a well-formed
// stream (a valid header, then the input cut into records by its own bytes), which must read back record
// for record. A third of the inputs go further: a stream of a domain record and memory, shared_info and
// HVM parameter records drawn from the input is restored (hv/core/domain_save.hpp) on a simulated machine,
// which must either give a domain or refuse by name, and in both cases have every frame back once the
// domain is destroyed.
#include <hv/core/domain_save.hpp>
#include <hv/core/save_stream.hpp>

#include <port.hpp>

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

using namespace hv::save;

void fail(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

/// Reads `s` to its end; the records it read.
std::vector<Record> read_all(const std::vector<hv::u8>& s, const char*& why) {
  std::vector<Record> out;
  Reader r(s.data(), s.size());
  why = r.open("svm");
  if (why != nullptr) return out;
  Record rec;
  while (r.next(rec, why)) {
    if (rec.payload < s.data() || rec.payload + rec.length > s.data() + s.size()) fail("a payload outside the stream");
    out.push_back(rec);
    if (out.size() > s.size()) fail("more records than bytes");
  }
  return out;
}

constexpr hv::PhysAddr ram_base = 0x80000000;
constexpr hv::u64 ram_bytes = 4u << 20;

struct Machine {
  std::vector<hv::FrameInfo> table;
  hv::FrameAllocator frames;
  hv::DomainTable* domains = nullptr;
  Machine() {
    hv::host::reset_machine(ram_base, ram_bytes, nullptr, "");
    table.resize(hv::FrameAllocator::metadata_bytes(ram_base, ram_base + ram_bytes) / sizeof(hv::FrameInfo));
    frames.init(ram_base, ram_base + ram_bytes, table.data());
    frames.add_free({ram_base, ram_bytes});
    domains = new hv::DomainTable(frames);
  }
};

/// A stream of a domain's records drawn from the input, restored; every frame must come back.
void restore(FuzzedDataProvider& in) {
  static Machine m;
  std::vector<hv::u8> buffer(64 * 1024);
  Writer w(buffer.data(), buffer.size());
  w.header("svm", 8);
  DomainRecord dr{};
  dr.vcpus = in.ConsumeIntegralInRange<hv::u32>(0, 3);
  dr.max_evtchn_ports = in.ConsumeIntegralInRange<hv::u32>(0, 5000);
  dr.max_pages = in.ConsumeIntegralInRange<hv::u64>(0, 40);
  dr.weight = in.ConsumeIntegral<hv::u16>();
  dr.grant_frames = in.ConsumeIntegralInRange<hv::u32>(0, 70);
  dr.word_bytes = in.ConsumeBool() ? 8 : static_cast<hv::u8>(in.ConsumeIntegralInRange<int>(0, 9));
  w.record(static_cast<hv::u32>(RecordType::domain), &dr, in.ConsumeBool() ? sizeof dr : sizeof dr - 1);
  std::vector<hv::u8> page(4096);
  while (in.remaining_bytes() > 0) {
    const auto type = in.ConsumeIntegralInRange<hv::u32>(0, 9);
    const hv::u64 gfn = in.ConsumeBool() ? in.ConsumeIntegralInRange<hv::u64>(0, 64) : in.ConsumeIntegral<hv::u64>();
    page[in.ConsumeIntegralInRange<size_t>(0, page.size() - 1)] = in.ConsumeIntegral<hv::u8>();
    const size_t body = in.ConsumeBool() ? page.size() : in.ConsumeIntegralInRange<size_t>(0, page.size());
    if (!w.record(type, &gfn, sizeof gfn, page.data(), type == 8 ? 39 * 8 : body)) break;
  }
  buffer.resize(w.size());
  const hv::u64 free_before = m.frames.free_frames();
  Reader r(buffer.data(), buffer.size());
  if (r.open("svm") != nullptr) fail("a header the writer wrote was refused");
  const char* why = nullptr;
  hv::Domain* d = read_domain(r, *m.domains, why);
  if ((d == nullptr) == (why == nullptr)) fail("a restore gave neither a domain nor a reason, or both");
  if (d != nullptr) m.domains->destroy(*d);
  if (m.domains->count() != 0 || m.frames.free_frames() != free_before) fail("a frame was lost by a restore");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const hv::u8* data, size_t size) {
  FuzzedDataProvider in(data, size);
  if (in.ConsumeIntegralInRange<int>(0, 2) == 0) {
    restore(in);
    return 0;
  }
  const bool build = in.ConsumeBool();
  if (!build) {
    const std::vector<hv::u8> raw = in.ConsumeRemainingBytes<hv::u8>();
    const char* why = nullptr;
    read_all(raw, why);
    return 0;
  }
  std::vector<hv::u8> buffer(in.ConsumeIntegralInRange<size_t>(0, 8192));
  Writer w(buffer.data(), buffer.size());
  struct Written {
    hv::u32 type, flags;
    std::vector<hv::u8> payload;
  };
  std::vector<Written> written;
  bool complete = w.header("svm", in.ConsumeBool() ? 4 : 8);
  while (complete && in.remaining_bytes() > 0) {
    Written rec{in.ConsumeIntegralInRange<hv::u32>(1, 12), in.ConsumeIntegralInRange<hv::u32>(0, 1), {}};
    rec.payload = in.ConsumeBytes<hv::u8>(in.ConsumeIntegralInRange<size_t>(0, 300));
    complete = w.record(rec.type, rec.payload.data(), rec.payload.size(), rec.flags);
    if (complete) written.push_back(rec);
  }
  complete = complete && w.end();
  buffer.resize(w.size());
  const char* why = nullptr;
  const std::vector<Record> read = read_all(buffer, why);
  if (!complete) return 0; // the buffer was too small: whatever was written must only not crash the reader
  // What it must read back: every record of a known type, and the unknown optional ones skipped, up to
  // the first unknown one it may not skip.
  size_t expect = 0;
  bool refused = false;
  for (const Written& rec : written) {
    if (!record_type_known(rec.type)) {
      if ((rec.flags & flag_optional) != 0) continue;
      refused = true;
      break;
    }
    if (expect >= read.size() || read[expect].type != rec.type || read[expect].length != rec.payload.size() ||
        (!rec.payload.empty() && std::memcmp(read[expect].payload, rec.payload.data(), rec.payload.size()) != 0))
      fail("a record did not read back as written");
    ++expect;
  }
  if (expect != read.size()) fail("more records read than written");
  if (refused != (why != nullptr)) fail("a well-formed stream refused, or a bad one accepted");
  return 0;
}

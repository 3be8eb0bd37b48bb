// SPDX-License-Identifier: Apache-2.0
// The save stream's writer and reader (hv/core/save_stream.hpp): what is written reads back record for
// record; a stream of another byte order, major version or backend, a cut or overlong one, and a record
// the reader may not skip are each refused by name, and a later minor version's optional record is skipped.
#include <hv/core/save_stream.hpp>

#include <catch2/catch_test_macros.hpp>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace {

using namespace hv::save;

std::vector<hv::u8> sample(const char* backend = "svm") {
  std::vector<hv::u8> buffer(4096);
  Writer w(buffer.data(), buffer.size());
  REQUIRE(w.header(backend, 8));
  const char domain[] = "a domain record";
  REQUIRE(w.record(static_cast<hv::u32>(RecordType::domain), domain, sizeof domain));
  const hv::u64 vcpu = 0x1122'3344'5566'7788;
  REQUIRE(w.record(static_cast<hv::u32>(RecordType::vcpu), &vcpu, sizeof vcpu));
  REQUIRE(w.end());
  buffer.resize(w.size());
  return buffer;
}

std::string refused(const std::vector<hv::u8>& s, const char* backend = "svm") {
  Reader r(s.data(), s.size());
  if (const char* why = r.open(backend)) return why;
  Record rec;
  const char* why = nullptr;
  while (r.next(rec, why)) {
  }
  return why != nullptr ? why : "";
}

} // namespace

TEST_CASE("save stream: what is written reads back, record for record") {
  const auto s = sample();
  CHECK(s.size() == 32 + 16 + 16 + 16 + 8 + 16); // header, domain (16 padded), vCPU, end
  Reader r(s.data(), s.size());
  REQUIRE(r.open("svm") == nullptr);
  CHECK(r.header().guest_word_bytes == 8);
  CHECK(r.header().major == version_major);
  Record rec;
  const char* why = nullptr;
  REQUIRE(r.next(rec, why));
  CHECK(rec.type == static_cast<hv::u32>(RecordType::domain));
  CHECK(std::string(reinterpret_cast<const char*>(rec.payload)) == "a domain record");
  REQUIRE(r.next(rec, why));
  CHECK(rec.type == static_cast<hv::u32>(RecordType::vcpu));
  hv::u64 vcpu = 0;
  std::memcpy(&vcpu, rec.payload, sizeof vcpu);
  CHECK(vcpu == 0x1122'3344'5566'7788);
  CHECK_FALSE(r.next(rec, why));
  CHECK(why == nullptr); // the end record
  CHECK(refused(s).empty());
}

TEST_CASE("save stream: a record that does not fit is not written, and nothing after it") {
  std::vector<hv::u8> buffer(256);
  Writer w(buffer.data(), buffer.size());
  REQUIRE(w.header("lpar", 8));
  std::vector<hv::u8> page(4096, 0xab);
  CHECK_FALSE(w.record(static_cast<hv::u32>(RecordType::memory), page.data(), page.size()));
  CHECK(w.size() == 32);
  CHECK_FALSE(w.end()); // a stream missing a record never looks complete
  CHECK(w.size() == 32);
  CHECK_FALSE(Writer(buffer.data(), buffer.size()).header("a-name-too-long", 8));
}

TEST_CASE("save stream: a stream that is not one, of the other byte order, version or backend is refused by name") {
  auto s = sample();
  CHECK(refused(s, "lpar") == "the stream holds another backend's vCPU state than this hypervisor runs");

  auto other_order = s;
  std::reverse(other_order.begin() + 8, other_order.begin() + 12);
  CHECK(refused(other_order).find("the stream's byte order is big-endian") == 0);

  auto later = s;
  const hv::u16 major = version_major + 1;
  std::memcpy(later.data() + 12, &major, sizeof major);
  CHECK(refused(later) == "the stream's format version is not 1.x, the one this hypervisor reads");

  auto not_one = s;
  not_one[0] = 'X';
  CHECK(refused(not_one) == "not a save stream: no HVSTREAM at its start");
  CHECK(refused(std::vector<hv::u8>(s.begin(), s.begin() + 20)) == "not a save stream: shorter than its header");
  auto word = s;
  word[28] = 2;
  CHECK(refused(word) == "the stream's guest word size is neither 4 nor 8");
}

TEST_CASE("save stream: cut, overlong and trailing records are refused; a later minor version's optional record "
          "is skipped") {
  const auto s = sample();
  CHECK(refused(std::vector<hv::u8>(s.begin(), s.end() - 16)) == "the stream ends without an end record");
  CHECK(refused(std::vector<hv::u8>(s.begin(), s.end() - 8)) == "a record header is cut short");
  auto overlong = s;
  const hv::u64 length = 1u << 20;
  std::memcpy(overlong.data() + 32 + 8, &length, sizeof length);
  CHECK(refused(overlong) == "a record runs past the end of the stream");
  auto trailing = s;
  trailing.insert(trailing.end(), 16, 0);
  CHECK(refused(trailing) == "a record after the end record");

  std::vector<hv::u8> buffer(1024);
  Writer w(buffer.data(), buffer.size());
  REQUIRE(w.header("svm", 4));
  REQUIRE(w.record(99, "later", 5, flag_optional)); // a type of a later minor version, which may be skipped
  REQUIRE(w.record(static_cast<hv::u32>(RecordType::timers), "t", 1));
  REQUIRE(w.end());
  buffer.resize(w.size());
  Reader r(buffer.data(), buffer.size());
  REQUIRE(r.open("svm") == nullptr);
  Record rec;
  const char* why = nullptr;
  REQUIRE(r.next(rec, why));
  CHECK(rec.type == static_cast<hv::u32>(RecordType::timers));

  std::vector<hv::u8> strict(1024);
  Writer w2(strict.data(), strict.size());
  REQUIRE(w2.header("svm", 4));
  REQUIRE(w2.record(99, "later", 5));
  REQUIRE(w2.end());
  strict.resize(w2.size());
  CHECK(refused(strict) == "a record of a type this hypervisor does not know, which it may not skip");
}

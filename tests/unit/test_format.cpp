// SPDX-License-Identifier: Apache-2.0
#include <hv/format.hpp>

#include <catch2/catch_test_macros.hpp>

#include <string>

namespace {
template <class... Args> std::string fmt(hv::FormatString<hv::type_identity_t<Args>...> f, const Args&... args) {
  char buf[256];
  hv::format_to(buf, sizeof buf, f, args...);
  return buf;
}
} // namespace

TEST_CASE("format prints integers in every base and width") {
  CHECK(fmt("{}", 0) == "0");
  CHECK(fmt("{}", -42) == "-42");
  CHECK(fmt("{}", static_cast<hv::u64>(18446744073709551615ull)) == "18446744073709551615");
  CHECK(fmt("{}", static_cast<hv::i64>(-9223372036854775807ll - 1)) == "-9223372036854775808");
  CHECK(fmt("{:x}", 0xbeefu) == "beef");
  CHECK(fmt("{:#x}", 0xbeefu) == "0xbeef");
  CHECK(fmt("{:X}", 0xbeefu) == "BEEF");
  CHECK(fmt("{:#018x}", 0x1000u) == "0x0000000000001000");
  CHECK(fmt("{:08x}", 0xabcu) == "00000abc");
  CHECK(fmt("{:b}", 5u) == "101");
  CHECK(fmt("{:6}|{:<6}|", 42, 42) == "    42|42    |");
  CHECK(fmt("{:05}", -42) == "-0042");
}

TEST_CASE("format prints strings, characters, booleans and pointers") {
  CHECK(fmt("{} and {}", "text", hv::StrView("view!", 4)) == "text and view");
  const char* null_string = nullptr;
  CHECK(fmt("{}", null_string) == "(null)");
  CHECK(fmt("[{:5}]", 'c') == "[    c]");
  CHECK(fmt("{}{}", 'o', 'k') == "ok");
  CHECK(fmt("{} {}", true, false) == "true false");
  CHECK(fmt("{}", reinterpret_cast<const void*>(0x1234)) == "0x1234");
  CHECK(fmt("{{literal}} {}", 1) == "{literal} 1");
}

TEST_CASE("format_to truncates, terminates and reports the full length") {
  char small[6];
  hv::usize n = hv::format_to(small, "{}-{}", 12345, 678);
  CHECK(n == 9);
  CHECK(std::string(small) == "12345");
  char none[1];
  CHECK(hv::format_to(none, "{}", 7) == 1);
  CHECK(none[0] == '\0');
}

// A format string that does not fit its arguments must not compile; these are checked by
// tests/contract (compile-failure tests), and the checker's verdict is proved here to be reachable at
// compile time for the good cases.
static_assert((hv::FormatString<int, const char*>("{} {}"), true));
static_assert((hv::FormatString<unsigned>("{:#018x}"), true));

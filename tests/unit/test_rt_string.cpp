// SPDX-License-Identifier: Apache-2.0
#include <hv/rt_string.hpp>

#include <catch2/catch_test_macros.hpp>

#include <cstring>

TEST_CASE("bare-metal memory functions agree with the C library") {
  unsigned char a[64];
  unsigned char b[64];
  for (int i = 0; i < 64; ++i) a[i] = static_cast<unsigned char>(i * 7);

  hv::rt::copy(b, a, sizeof a);
  CHECK(std::memcmp(a, b, sizeof a) == 0);

  hv::rt::fill(b, 0xab, 10);
  CHECK(b[0] == 0xab);
  CHECK(b[9] == 0xab);
  CHECK(b[10] == a[10]);

  CHECK(hv::rt::compare(a, a, 64) == 0);
  b[0] = 0;
  a[0] = 1;
  CHECK(hv::rt::compare(a, b, 64) > 0);
  CHECK(hv::rt::compare(b, a, 64) < 0);

  CHECK(hv::rt::find_byte(a, a[20], 64) == a + 20);
  CHECK(hv::rt::find_byte(a, 0xff, 0) == nullptr);
}

TEST_CASE("bare-metal memmove handles overlap in both directions") {
  char s[] = "0123456789";
  hv::rt::move(s + 2, s, 5);
  CHECK(std::string(s) == "0101234789");
  char t[] = "0123456789";
  hv::rt::move(t, t + 3, 5);
  CHECK(std::string(t) == "3456756789");
}

TEST_CASE("bare-metal string functions agree with the C library") {
  CHECK(hv::rt::length("") == 0);
  CHECK(hv::rt::length("hypervisor") == 10);
  CHECK(hv::rt::length("hypervisor", 4) == 4);
  CHECK(hv::rt::compare_strings("abc", "abc") == 0);
  CHECK(hv::rt::compare_strings("abc", "abd") < 0);
  CHECK(hv::rt::compare_strings("abd", "abc") > 0);
  CHECK(hv::rt::compare_strings("ab", "abc") < 0);
  CHECK(hv::rt::compare_strings("abcX", "abcY", 3) == 0);
  const char* path = "/cpus/cpu@0";
  CHECK(hv::rt::find_char(path, '/') == path);
  CHECK(hv::rt::find_last_char(path, '/') == path + 5);
  CHECK(hv::rt::find_char(path, '#') == nullptr);
  CHECK(hv::rt::find_char(path, '\0') == path + 11);
}

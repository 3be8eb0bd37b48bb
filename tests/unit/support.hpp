// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the unit tests.
#pragma once

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace hv::test {

inline std::vector<unsigned char> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A compiled board from the build directory: "qemu-pc", "host-test", ...
inline std::vector<unsigned char> board_blob(const std::string& name) {
  return read_file(std::string(HV_TEST_BOARD_DIR) + "/" + name + ".dtb");
}

inline std::vector<std::string> board_names() {
  std::vector<std::string> names;
  std::string all = HV_TEST_BOARDS;
  size_t start = 0;
  while (start <= all.size()) {
    size_t end = all.find(',', start);
    if (end == std::string::npos) end = all.size();
    if (end > start) names.push_back(all.substr(start, end - start));
    start = end + 1;
  }
  return names;
}

} // namespace hv::test

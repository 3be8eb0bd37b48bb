// SPDX-License-Identifier: Apache-2.0
// Domain descriptions built with libfdt's sequential-write API, so that a test can make exactly the
// tree it needs, including the ones dtc refuses to write (duplicate names, duplicate properties).
#pragma once

#include "test_elf.hpp"

#include <stdexcept>
#include <string>
#include <vector>

extern "C" {
#include <libfdt.h>
}

namespace hv::test {

struct Prop {
  std::string name;
  Bytes value;
};

inline Prop cell(const std::string& name, std::uint32_t v) {
  Bytes b;
  put(b, 0, 4, v, true);
  return {name, b};
}
inline Prop str(const std::string& name, const std::string& s) {
  Bytes b(s.begin(), s.end());
  b.push_back(0);
  return {name, b};
}
inline Prop flag(const std::string& name) { return {name, {}}; }
inline Prop raw(const std::string& name, Bytes b) { return {name, std::move(b)}; }

struct Node {
  std::string name;
  std::vector<Prop> props;
};

/// A domain node that reads cleanly: compatible, a small image, 2 MiB; `extra` appended.
inline Node domain(const std::string& name, std::vector<Prop> extra = {}) {
  Node n{name, {str("compatible", "hv,domain"), raw("hv,image", pattern(40, 5)), cell("hv,memory-kib", 2048)}};
  n.props.insert(n.props.end(), extra.begin(), extra.end());
  return n;
}

/// A domain node holding exactly `props`.
inline Node bare(const std::string& name, std::vector<Prop> props) { return {name, std::move(props)}; }

struct Description {
  std::vector<Prop> root{str("compatible", "hv,domains")};
  bool has_domains_node = true;
  std::vector<Node> domains{domain("ping")};

  Bytes blob() const {
    Bytes buf(1 << 20);
    void* fdt = buf.data();
    auto add = [](void* tree, const Prop& p) {
      const void* value = p.value.empty() ? static_cast<const void*>("") : p.value.data();
      return fdt_property(tree, p.name.c_str(), value, static_cast<int>(p.value.size()));
    };
    auto check = [](int rc) {
      if (rc != 0) throw std::runtime_error(std::string("fdt_sw: ") + fdt_strerror(rc));
    };
    check(fdt_create(fdt, static_cast<int>(buf.size())));
    check(fdt_finish_reservemap(fdt));
    check(fdt_begin_node(fdt, ""));
    for (const Prop& p : root) check(add(fdt, p));
    if (has_domains_node) {
      check(fdt_begin_node(fdt, "domains"));
      for (const Node& n : domains) {
        check(fdt_begin_node(fdt, n.name.c_str()));
        for (const Prop& p : n.props) check(add(fdt, p));
        check(fdt_end_node(fdt));
      }
      check(fdt_end_node(fdt));
    }
    check(fdt_end_node(fdt));
    check(fdt_finish(fdt));
    buf.resize(fdt_totalsize(fdt));
    return buf;
  }
};

} // namespace hv::test

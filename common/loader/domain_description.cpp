// SPDX-License-Identifier: Apache-2.0
// Reads the domain description with libfdt. See hv/loader/domain_description.hpp; the format is in
// boards/README.md.
#include "description_properties.hpp"

#include <hv/core/limits.hpp>
#include <hv/format.hpp>
#include <hv/loader/domain_description.hpp>

extern "C" {
#include <libfdt.h>
}

namespace hv {
namespace {

using loader_detail::NodeReader;
using loader_detail::Printable;

constexpr u32 min_memory_kib = 64;
constexpr u32 max_memory_kib = 4u << 20; // 4 GiB
constexpr usize max_command_line = 1023;

constexpr const char* root_properties[] = {"hv,run-ms"};
constexpr const char* domain_properties[] = {"hv,image",      "hv,memory-kib",   "hv,vcpus",   "hv,weight", "hv,cap",
                                             "hv,privileged", "hv,grant-frames", "hv,cmdline", "hv,cpus"};

template <class... Args>
bool fail(DescriptionError& error, FormatString<type_identity_t<Args>...> fmt, const Args&... args) {
  format_to(error.message, fmt, args...);
  return false;
}

/// The header and the whole structure, checked before any property is looked at: from here on libfdt's
/// offsets and lengths can be trusted to stay inside the blob.
bool check_blob(const void* blob, usize size, DescriptionError& error) {
  if (blob == nullptr) return fail(error, "domain description: none was handed over");
  if (size < sizeof(fdt_header))
    return fail(error, "domain description: truncated: {} bytes, smaller than a header", size);
  // libfdt refuses a misaligned tree with FDT_ERR_ALIGNMENT; saying so plainly points at the boot loader.
  if (reinterpret_cast<uptr>(blob) % 8 != 0)
    return fail(error, "domain description: at {:#x}, which is not 8-byte aligned", reinterpret_cast<uptr>(blob));
  int rc = fdt_check_header(blob);
  if (rc == -FDT_ERR_BADMAGIC) return fail(error, "domain description: not a device tree ({})", fdt_strerror(rc));
  if (rc != 0) return fail(error, "domain description: bad header ({})", fdt_strerror(rc));
  // Before version 16, libfdt shifts some property values by 4 bytes on the assumption that the writer
  // padded them; in a blob that did not, a value would run past its property. No current tool writes one.
  if (fdt_version(blob) < 16)
    return fail(error, "domain description: device tree version {} is too old (16 or later)", fdt_version(blob));
  const usize total = fdt_totalsize(blob);
  if (total > size)
    return fail(error, "domain description: truncated: the header says {} bytes but only {} are there", total, size);
  // libfdt reads the structure block's tags with aligned 32-bit loads, which fault on IA-64 when the
  // header places the block off a 4-byte boundary (the specification requires one).
  if (fdt_off_dt_struct(blob) % 4 != 0)
    return fail(error, "domain description: malformed (the structure block at offset {} is not 4-byte aligned)",
                fdt_off_dt_struct(blob));
  rc = fdt_check_full(blob, total);
  if (rc != 0) return fail(error, "domain description: malformed ({})", fdt_strerror(rc));
  return true;
}

bool read_root(const void* blob, DomainDescription& out, DescriptionError& error) {
  const NodeReader root{blob, 0, "/", error};
  if (fdt_node_check_compatible(blob, 0, "hv,domains") != 0)
    return fail(error, "domain description: / is not compatible with \"hv,domains\"");
  if (!root.only_known(root_properties, array_size(root_properties))) return false;
  u32 run = 0;
  if (!root.cell("hv,run-ms", 0, ~u32{0}, false, run)) return false;
  out.run_ms = run;
  return true;
}

bool read_domain(const NodeReader& node, DomainSpec& spec) {
  if (fdt_node_check_compatible(node.fdt, node.node, "hv,domain") != 0)
    return node.fail("not compatible with \"hv,domain\"");
  if (!node.only_known(domain_properties, array_size(domain_properties))) return false;

  int length = 0;
  const void* image = fdt_getprop(node.fdt, node.node, "hv,image", &length);
  if (image == nullptr) return node.fail("no hv,image");
  if (length <= 0) return node.fail("hv,image is empty");
  spec.image = static_cast<const u8*>(image);
  spec.image_size = static_cast<usize>(length);

  u32 kib = 0;
  if (!node.cell("hv,memory-kib", 0, ~u32{0}, true, kib)) return false;
  if (kib % 4 != 0) return node.fail("hv,memory-kib {} is not a multiple of 4", kib);
  if (kib < min_memory_kib || kib > max_memory_kib)
    return node.fail("hv,memory-kib {} is out of range ({} .. {})", kib, min_memory_kib, max_memory_kib);
  spec.memory_bytes = u64{kib} * 1024;

  u32 weight = spec.weight;
  u32 cap = spec.cap;
  if (!node.cell("hv,vcpus", 1, limits::max_vcpus, false, spec.vcpus) ||
      !node.cell("hv,weight", 1, 65535, false, weight) || !node.cell("hv,cap", 0, 100, false, cap) ||
      !node.flag("hv,privileged", spec.privileged) ||
      !node.cell("hv,grant-frames", 1, limits::max_grant_frames, false, spec.grant_frames) ||
      !node.cell("hv,cpus", 1, ~u32{0}, false, spec.cpus))
    return false;
  spec.weight = static_cast<u16>(weight);
  spec.cap = static_cast<u16>(cap);

  spec.command_line = "";
  if (!node.string("hv,cmdline", spec.command_line)) return false;
  if (spec.command_line.size() > max_command_line)
    return node.fail("hv,cmdline is {} bytes, more than {}", spec.command_line.size(), max_command_line);
  return true;
}

} // namespace

bool read_domain_description(const void* blob, usize size, DomainDescription& out, DescriptionError& error) {
  out = DomainDescription{};
  error = DescriptionError{};
  if (!check_blob(blob, size, error) || !read_root(blob, out, error)) return false;

  const int domains = fdt_subnode_offset(blob, 0, "domains");
  if (domains < 0) return fail(error, "domain description: no /domains node");
  int child = 0;
  const DomainSpec* privileged = nullptr;
  fdt_for_each_subnode(child, blob, domains) {
    const char* name = fdt_get_name(blob, child, nullptr);
    if (name == nullptr) return fail(error, "domain description: a node under /domains has no readable name");
    char path[80];
    format_to(path, "/domains/{}", Printable(name).text);
    const NodeReader node{blob, child, path, error};
    if (out.count == DomainDescription::max_domains)
      return fail(error, "domain description: more than {} domains in /domains", DomainDescription::max_domains);
    for (usize i = 0; i < out.count; ++i)
      if (out.domains[i].name == StrView(name)) return node.fail("another domain has this name");

    DomainSpec& spec = out.domains[out.count];
    spec.name = name;
    if (!read_domain(node, spec)) return false;
    if (spec.privileged && privileged != nullptr)
      return fail(error, "domain description: two privileged domains (/domains/{}, /domains/{})",
                  Printable(privileged->name).text, Printable(spec.name).text);
    if (spec.privileged) privileged = &spec;
    ++out.count;
  }
  if (child != -FDT_ERR_NOTFOUND)
    return fail(error, "domain description: /domains cannot be walked ({})", fdt_strerror(child));
  if (out.count == 0) return fail(error, "domain description: /domains has no domain");
  return true;
}

} // namespace hv

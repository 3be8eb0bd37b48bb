// SPDX-License-Identifier: Apache-2.0
// fdt_check_full() for the bare-metal ports. libfdt.h declares it, but the libfdt sources the build
// takes from linux-source (scripts/install-deps) leave out the file that defines it; the host port links
// the system libfdt, which has it. This is our own walk with the same contract: 0 when the whole
// structure block is sound, a negative FDT_ERR_* otherwise.
#include <libfdt.h>

extern "C" int fdt_check_full(const void* fdt, size_t bufsize) {
  if (bufsize < sizeof(fdt_header)) return -FDT_ERR_TRUNCATED;
  int rc = fdt_check_header(fdt);
  if (rc != 0) return rc;
  if (fdt_totalsize(fdt) > bufsize) return -FDT_ERR_TRUNCATED;
  // Tags and property headers are read as aligned 32-bit words (here and in libfdt's fdt_next_tag): a
  // structure block off a 4-byte boundary would fault on IA-64 (found by tests/fuzz/fuzz_domains.cpp).
  if (fdt_off_dt_struct(fdt) % 4 != 0) return -FDT_ERR_ALIGNMENT;
  // The reservation map must end (with its all-zero entry) inside the blob.
  const int reservations = fdt_num_mem_rsv(fdt);
  if (reservations < 0) return reservations;

  // Exactly one root node, nameless, properly nested, followed by the end tag; every property's name
  // in the strings block.
  int depth = 0;
  bool root_seen = false;
  int offset = 0;
  for (;;) {
    int next = 0;
    const uint32_t tag = fdt_next_tag(fdt, offset, &next);
    if (next < 0) return next;
    // Every tag moves forward. A property whose length makes the offset wrap round would otherwise send
    // the walk back to an earlier tag, for ever (found by tests/fuzz/fuzz_domains.cpp).
    if (next <= offset && tag != FDT_END) return -FDT_ERR_BADSTRUCTURE;
    switch (tag) {
    case FDT_NOP: break;
    case FDT_BEGIN_NODE:
      if (depth == 0 && root_seen) return -FDT_ERR_BADSTRUCTURE; // a second root
      if (depth == 0) {
        int name_length = 0;
        if (fdt_get_name(fdt, offset, &name_length) == nullptr) return name_length;
        if (name_length != 0) return -FDT_ERR_BADSTRUCTURE;
      }
      root_seen = true;
      ++depth;
      break;
    case FDT_END_NODE:
      if (depth == 0) return -FDT_ERR_BADSTRUCTURE;
      --depth;
      break;
    case FDT_PROP: {
      if (depth == 0) return -FDT_ERR_BADSTRUCTURE; // a property outside any node
      const struct fdt_property* property = fdt_get_property_by_offset(fdt, offset, nullptr);
      if (property == nullptr) return -FDT_ERR_BADSTRUCTURE;
      int length = 0;
      if (fdt_get_string(fdt, static_cast<int>(fdt32_to_cpu(property->nameoff)), &length) == nullptr) return length;
      break;
    }
    case FDT_END: return depth == 0 && root_seen ? 0 : -FDT_ERR_BADSTRUCTURE;
    default: return -FDT_ERR_BADSTRUCTURE;
    }
    offset = next;
  }
}

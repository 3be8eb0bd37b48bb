// SPDX-License-Identifier: Apache-2.0
// Reading the boot command line ("idle=1"): space-separated key=value words.
#pragma once

#include <hv/string.hpp>

namespace hv {

/// The value of the first "key=value" word in `line`, or `fallback` when there is none.
StrView command_line_value(StrView line, StrView key, StrView fallback);

/// The key of the first word of `line` whose key (the part before '=', or the whole word) is none of the
/// `count` names in `known`; empty when every word's key is known.
StrView first_unknown_option(StrView line, const char* const* known, usize count);

} // namespace hv

// Reading the boot command line ("idle=1"): space-separated key=value words.
#pragma once

#include <hv/string.hpp>

namespace hv {

/// The value of the first "key=value" word in `line`, or `fallback` when there is none.
StrView command_line_value(StrView line, StrView key, StrView fallback);

} // namespace hv

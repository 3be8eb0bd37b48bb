// SPDX-License-Identifier: Apache-2.0
// Step 1 (docs/porting.md): the console. Make write() reach your UART or firmware console: from then on
// every function that is not written yet says so by name.
#include <port.hpp>

namespace hv::port {

void Console::init() {}

void Console::write(const char*, usize) {}

} // namespace hv::port

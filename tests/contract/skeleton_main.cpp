// What the skeleton's link check links against: the skeleton port is never run on the host, but linking
// it with all of common code proves that it defines every function of the contract that common code calls
// (tests/contract/meson.build).
#include <hv/boot_state.hpp>

int main() { hv::boot_main(); }

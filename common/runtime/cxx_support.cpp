// SPDX-License-Identifier: Apache-2.0
// What a C++ compiler may call behind the code's back on bare metal: pure virtual calls and the guard
// for function-local statics (compiled with -fno-threadsafe-statics, so no guard functions are needed).
#include <hv/panic.hpp>

extern "C" void __cxa_pure_virtual() { hv::panic("pure virtual function called"); }

// Some compilers reference this from objects with static destructors; the hypervisor never exits through
// them, so registering one does nothing.
extern "C" int __cxa_atexit(void (*)(void*), void*, void*) { return 0; }
void* __dso_handle = nullptr;

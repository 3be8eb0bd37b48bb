// SPDX-License-Identifier: Apache-2.0
// Fixed-width types and the small set of type traits and concepts the freestanding hypervisor needs.
// Common code includes no standard library headers: none exist for the bare-metal targets, and on the
// host port this header gives the same names, so common code compiles identically everywhere.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hv {

using u8 = uint8_t;
using u16 = uint16_t;
using u32 = uint32_t;
using u64 = uint64_t;
using i8 = int8_t;
using i16 = int16_t;
using i32 = int32_t;
using i64 = int64_t;
using usize = size_t;
using uptr = uintptr_t;

/// A machine (physical) address. 64 bits on every port: x86_32 with PAE and ppc64 both reach past 4 GiB.
using PhysAddr = u64;
/// A hypervisor virtual address: as wide as a pointer on the port.
using VirtAddr = uptr;

template <class T, class U> inline constexpr bool is_same_v = false;
template <class T> inline constexpr bool is_same_v<T, T> = true;

template <class T, class U>
concept same_as = is_same_v<T, U> && is_same_v<U, T>;

template <class From, class To>
concept convertible_to = requires(From (&f)()) { static_cast<To>(f()); };

template <class T> struct remove_cvref {
  using type = T;
};
template <class T> struct remove_cvref<const T> {
  using type = T;
};
template <class T> struct remove_cvref<volatile T> {
  using type = T;
};
template <class T> struct remove_cvref<const volatile T> {
  using type = T;
};
template <class T> struct remove_cvref<T&> : remove_cvref<T> {};
template <class T> struct remove_cvref<T&&> : remove_cvref<T> {};
template <class T> using remove_cvref_t = typename remove_cvref<T>::type;

// Spelled out rather than with a compiler builtin: Clang has __is_integral, GCC 12 (the IA-64 compiler)
// does not.
template <class T> inline constexpr bool is_integral_v = false;
template <> inline constexpr bool is_integral_v<bool> = true;
template <> inline constexpr bool is_integral_v<char> = true;
template <> inline constexpr bool is_integral_v<signed char> = true;
template <> inline constexpr bool is_integral_v<unsigned char> = true;
template <> inline constexpr bool is_integral_v<wchar_t> = true;
template <> inline constexpr bool is_integral_v<char8_t> = true;
template <> inline constexpr bool is_integral_v<char16_t> = true;
template <> inline constexpr bool is_integral_v<char32_t> = true;
template <> inline constexpr bool is_integral_v<short> = true;
template <> inline constexpr bool is_integral_v<unsigned short> = true;
template <> inline constexpr bool is_integral_v<int> = true;
template <> inline constexpr bool is_integral_v<unsigned int> = true;
template <> inline constexpr bool is_integral_v<long> = true;
template <> inline constexpr bool is_integral_v<unsigned long> = true;
template <> inline constexpr bool is_integral_v<long long> = true;
template <> inline constexpr bool is_integral_v<unsigned long long> = true;
// clang-tidy 19 takes a constexpr template's value-dependent initializer for a dynamic one when statics are
// not thread-safe (the bare-metal builds); a constexpr variable is constant-initialized (llvm-project#145680).
// NOLINTBEGIN(bugprone-dynamic-static-initializers)
template <class T> inline constexpr bool is_integral_v<const T> = is_integral_v<T>;
template <class T> inline constexpr bool is_integral_v<volatile T> = is_integral_v<T>;
template <class T> inline constexpr bool is_integral_v<const volatile T> = is_integral_v<T>;
// NOLINTEND(bugprone-dynamic-static-initializers)

template <class T>
concept integral = is_integral_v<T>;

template <class T>
concept signed_integral = integral<T> && (static_cast<T>(-1) < static_cast<T>(0));

template <class T>
concept unsigned_integral = integral<T> && !signed_integral<T>;

template <class T>
concept enumeration = __is_enum(T);

template <class T> struct type_identity {
  using type = T;
};
template <class T> using type_identity_t = typename type_identity<T>::type;

template <class T> constexpr T&& forward(remove_cvref_t<T>& t) noexcept { return static_cast<T&&>(t); }
template <class T> constexpr remove_cvref_t<T>&& move(T&& t) noexcept { return static_cast<remove_cvref_t<T>&&>(t); }

/// Placement construction without <new>: `new (hv::place, p) T(...)`.
struct Place {};
inline constexpr Place place{};

constexpr u64 align_down(u64 value, u64 alignment) { return value & ~(alignment - 1); }
constexpr u64 align_up(u64 value, u64 alignment) { return (value + alignment - 1) & ~(alignment - 1); }
constexpr bool is_aligned(u64 value, u64 alignment) { return (value & (alignment - 1)) == 0; }
constexpr bool is_power_of_two(u64 value) { return value != 0 && (value & (value - 1)) == 0; }

template <class T, usize N> constexpr usize array_size(const T (&)[N]) { return N; }

} // namespace hv

inline void* operator new(size_t, hv::Place, void* where) noexcept { return where; }

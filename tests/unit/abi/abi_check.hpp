// SPDX-License-Identifier: Apache-2.0
// What the ABI checks share: assertions that one of our records matches the family's published one, size
// and field by field, with a message that names both structures and the field.
//
// Macros, because a static_assert message must be a literal and only the preprocessor can spell a type's
// and a field's name into one. Compare type aliases, not template-ids (a comma in a macro argument splits
// it): `using OurVcpuInfo32 = hv::abi::VcpuInfo<hv::abi::GuestWidth::bits32>;`.
#pragma once

#include <stddef.h>

/// The expression `object.field` of type T, unevaluated: the size of a (possibly nested) member.
template <class T> T& abi_check_object();

/// Same size.
#define ABI_SAME_SIZE(Ours, Theirs)                                                                                    \
  static_assert(sizeof(Ours) == sizeof(Theirs), #Ours ": its size differs from the family's " #Theirs)

/// `our_field` of `Ours` sits at the offset of `their_field` of `Theirs` and has its size (either may be a
/// nested member: `clock_and_arch.wc_sec_hi`).
#define ABI_SAME_FIELD(Ours, our_field, Theirs, their_field)                                                           \
  static_assert(__builtin_offsetof(Ours, our_field) == __builtin_offsetof(Theirs, their_field),                        \
                #Ours "::" #our_field ": its offset differs from the family's " #Theirs "::" #their_field);            \
  static_assert(sizeof(abi_check_object<Ours>().our_field) == sizeof(abi_check_object<Theirs>().their_field),          \
                #Ours "::" #our_field ": its size differs from the family's " #Theirs "::" #their_field)

/// The same field name on both sides.
#define ABI_FIELD(Ours, Theirs, field) ABI_SAME_FIELD(Ours, field, Theirs, field)

/// One of our constants has the family's value.
#define ABI_SAME_VALUE(ours, theirs)                                                                                   \
  static_assert(static_cast<long long>(ours) == static_cast<long long>(theirs),                                        \
                #ours " differs from the family's " #theirs)

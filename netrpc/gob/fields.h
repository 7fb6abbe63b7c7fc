// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// File: fields.h
//
// NETRPC_GOB_STRUCT declares, beside a C++ struct, the Go struct it stands for:
// the Go type name and the Go name of each member, in Go's field order. The
// gob codec (bind.h) and the jsonrpc codec both read this one declaration, so
// a struct is described once for every wire format.
//
//   namespace calc {
//   struct Args {
//     int64_t A = 0;
//     int64_t B = 0;
//   };
//   NETRPC_GOB_STRUCT(Args, A, B);                     // Go: type Args struct{ A, B int }
//
//   struct Reply {
//     int64_t quotient = 0;
//   };
//   NETRPC_GOB_STRUCT_NAMED(Reply, "main.Quotient",     // Go type main.Quotient
//                           NETRPC_GOB_FIELD(quotient, "Quo"));
//   }  // namespace calc
//
//   calc::Args args{7, 8};
//   netrpc::gob::ForEachField(args, [](absl::string_view name, auto& member) {
//     // ("A", args.A), then ("B", args.B)
//   });
//
// Rules:
// - Put the macro at namespace scope in the struct's own namespace (it
//   defines functions found by argument-dependent lookup).
// - The Go type name is the name Go's reflect package prints: "Args" by
//   default, "main.Args" with NETRPC_GOB_STRUCT_NAMED. It names the type in
//   gob type definitions (the part after the last '.'), in composite names
//   such as "[]main.Args", in Go-compatible error messages and, by default, in
//   interface registrations.
// - A member's Go name is its C++ name unless given with NETRPC_GOB_FIELD.
//   Only names starting with an upper-case letter are exported; gob, like Go,
//   sends only exported fields.
// - Up to 64 fields; a struct with none is `NETRPC_GOB_STRUCT(Empty);`.

#ifndef NETRPC_GOB_FIELDS_H_
#define NETRPC_GOB_FIELDS_H_

#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "absl/strings/string_view.h"

namespace netrpc::gob {

// FieldInfo describes one bound member: its Go name and member pointer.
template <typename S, typename M>
struct FieldInfo {
  using Struct = S;
  using Member = M;
  const char* name;
  M S::*member;
};

namespace internal {

template <typename S, typename M>
constexpr FieldInfo<S, M> MakeField(const char* name, M S::*member) {
  return {name, member};
}

template <typename T, typename = void>
struct HasGobFields : std::false_type {};
template <typename T>
struct HasGobFields<T, std::void_t<decltype(NetrpcGobFields(
                           static_cast<const T*>(nullptr)))>>
    : std::true_type {};

template <typename T, typename = void>
struct HasGoTypeName : std::false_type {};
template <typename T>
struct HasGoTypeName<T, std::void_t<decltype(NetrpcGoTypeName(
                            static_cast<const T*>(nullptr)))>>
    : std::true_type {};

}  // namespace internal

// kIsGobStruct<T> is true for structs declared with NETRPC_GOB_STRUCT.
template <typename T>
inline constexpr bool kIsGobStruct = internal::HasGobFields<T>::value;

// GobFields<T>() is the constexpr tuple of FieldInfo of a declared struct.
template <typename T>
constexpr auto GobFields() {
  return NetrpcGobFields(static_cast<const T*>(nullptr));
}

// GobFieldCount<T>() is the number of declared members.
template <typename T>
constexpr size_t GobFieldCount() {
  return std::tuple_size_v<decltype(GobFields<T>())>;
}

// GoTypeName<T>() is the declared Go type name ("main.Args").
template <typename T>
constexpr const char* GoTypeName() {
  return NetrpcGoTypeName(static_cast<const T*>(nullptr));
}

// ForEachField calls f(absl::string_view go_name, member&) for each declared
// member of obj, in order; member is const when obj is.
template <typename T, typename F>
void ForEachField(T& obj, F&& f) {
  using S = std::remove_const_t<T>;
  std::apply(
      [&](const auto&... field) {
        (f(absl::string_view(field.name), obj.*(field.member)), ...);
      },
      GobFields<S>());
}

}  // namespace netrpc::gob

// NETRPC_GOB_FIELD(member, "GoName") binds member under another Go name.
#define NETRPC_GOB_FIELD(member, go_name) (member, go_name)

// NETRPC_GOB_STRUCT(Type, members...) binds Type as a Go struct named #Type.
#define NETRPC_GOB_STRUCT(Type, ...) \
  NETRPC_GOB_STRUCT_NAMED(Type, #Type __VA_OPT__(, ) __VA_ARGS__)

// NETRPC_GOB_STRUCT_NAMED(Type, "pkg.Name", members...) gives the Go name.
#define NETRPC_GOB_STRUCT_NAMED(Type, go_name, ...)                          \
  [[maybe_unused]] constexpr const char* NetrpcGoTypeName(const Type*) {    \
    return go_name;                                                         \
  }                                                                         \
  [[maybe_unused]] constexpr auto NetrpcGobFields(const Type*) {            \
    return std::make_tuple(__VA_OPT__(NETRPC_GOB_INTERNAL_FOR_EACH(          \
        NETRPC_GOB_INTERNAL_FIELD, Type, __VA_ARGS__)));                     \
  }                                                                         \
  static_assert(true, "")

// NETRPC_GOB_TYPE_NAME(Type, "pkg.Name") names a non-struct type, such as one
// with GobEncode/GobDecode methods (see bind.h).
#define NETRPC_GOB_TYPE_NAME(Type, go_name)                               \
  [[maybe_unused]] constexpr const char* NetrpcGoTypeName(const Type*) { \
    return go_name;                                                      \
  }                                                                      \
  static_assert(true, "")

// Implementation: one FieldInfo per argument; a parenthesised argument is a
// (member, "GoName") pair from NETRPC_GOB_FIELD.
#define NETRPC_GOB_INTERNAL_CAT(a, b) NETRPC_GOB_INTERNAL_CAT_(a, b)
#define NETRPC_GOB_INTERNAL_CAT_(a, b) a##b
#define NETRPC_GOB_INTERNAL_CHECK_N(x, n, ...) n
#define NETRPC_GOB_INTERNAL_CHECK(...) NETRPC_GOB_INTERNAL_CHECK_N(__VA_ARGS__, 0, )
#define NETRPC_GOB_INTERNAL_PROBE(...) ~, 1,
#define NETRPC_GOB_INTERNAL_IS_PAREN(x) \
  NETRPC_GOB_INTERNAL_CHECK(NETRPC_GOB_INTERNAL_PROBE x)
#define NETRPC_GOB_INTERNAL_FIELD(T, x)                                    \
  NETRPC_GOB_INTERNAL_CAT(NETRPC_GOB_INTERNAL_FIELD_,                      \
                          NETRPC_GOB_INTERNAL_IS_PAREN(x))(T, x)
#define NETRPC_GOB_INTERNAL_FIELD_0(T, x) \
  ::netrpc::gob::internal::MakeField(#x, &T::x)
#define NETRPC_GOB_INTERNAL_FIELD_1(T, x) \
  NETRPC_GOB_INTERNAL_FIELD_PAIR(T, NETRPC_GOB_INTERNAL_UNPAREN x)
#define NETRPC_GOB_INTERNAL_UNPAREN(...) __VA_ARGS__
#define NETRPC_GOB_INTERNAL_FIELD_PAIR(T, ...) \
  NETRPC_GOB_INTERNAL_FIELD_PAIR_(T, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FIELD_PAIR_(T, m, go_name) \
  ::netrpc::gob::internal::MakeField(go_name, &T::m)

#define NETRPC_GOB_INTERNAL_NARGS(...) \
  NETRPC_GOB_INTERNAL_NARGS_(__VA_ARGS__, 64, 63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1)
#define NETRPC_GOB_INTERNAL_NARGS_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, _17, _18, _19, _20, _21, _22, _23, _24, _25, _26, _27, _28, _29, _30, _31, _32, _33, _34, _35, _36, _37, _38, _39, _40, _41, _42, _43, _44, _45, _46, _47, _48, _49, _50, _51, _52, _53, _54, _55, _56, _57, _58, _59, _60, _61, _62, _63, _64, N, ...) N
#define NETRPC_GOB_INTERNAL_FOR_EACH(m, c, ...)                          \
  NETRPC_GOB_INTERNAL_CAT(NETRPC_GOB_INTERNAL_FE_,                       \
                          NETRPC_GOB_INTERNAL_NARGS(__VA_ARGS__))(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_1(m, c, x) m(c, x)
#define NETRPC_GOB_INTERNAL_FE_2(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_1(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_3(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_2(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_4(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_3(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_5(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_4(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_6(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_5(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_7(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_6(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_8(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_7(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_9(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_8(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_10(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_9(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_11(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_10(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_12(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_11(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_13(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_12(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_14(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_13(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_15(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_14(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_16(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_15(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_17(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_16(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_18(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_17(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_19(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_18(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_20(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_19(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_21(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_20(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_22(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_21(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_23(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_22(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_24(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_23(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_25(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_24(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_26(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_25(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_27(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_26(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_28(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_27(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_29(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_28(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_30(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_29(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_31(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_30(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_32(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_31(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_33(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_32(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_34(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_33(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_35(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_34(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_36(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_35(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_37(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_36(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_38(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_37(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_39(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_38(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_40(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_39(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_41(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_40(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_42(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_41(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_43(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_42(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_44(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_43(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_45(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_44(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_46(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_45(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_47(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_46(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_48(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_47(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_49(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_48(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_50(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_49(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_51(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_50(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_52(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_51(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_53(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_52(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_54(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_53(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_55(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_54(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_56(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_55(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_57(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_56(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_58(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_57(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_59(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_58(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_60(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_59(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_61(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_60(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_62(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_61(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_63(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_62(m, c, __VA_ARGS__)
#define NETRPC_GOB_INTERNAL_FE_64(m, c, x, ...) \
  m(c, x), NETRPC_GOB_INTERNAL_FE_63(m, c, __VA_ARGS__)

#endif  // NETRPC_GOB_FIELDS_H_

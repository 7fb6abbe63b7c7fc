// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: go_type.h
//
// GoTypeName spells a C++ type the way Go's reflect would spell the Go type
// it stands for on the wire: "int", "string", "[]int", "map[int]int",
// "[2]int", "main.Args". The /debug/rpc page shows these spellings, and
// Go's registration rule "argument type must be exported" is checked on
// them (a struct whose Go name starts in lower case is unexported).
//
//   GoTypeName<std::map<int64_t, int64_t>>::Get("main")  // "map[int]int"
//   GoTypeName<Args>::Get("main")                       // "main.Args"
//
// Built-in mapping: int64_t is Go's int (the usual C++ stand-in for it on
// 64-bit Go), int32_t int32, uint64_t uint64, double float64, and so on.
// A struct's name comes from its gob binding (NETRPC_GOB_STRUCT); another
// class type declares its Go name with NETRPC_GO_NAME(Type, "Name").

#ifndef NETRPC_GO_TYPE_H_
#define NETRPC_GO_TYPE_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace netrpc {

// GoStructName<T>::Get() returns the Go name of a class type: by default
// the name of its gob binding; NETRPC_GO_NAME overrides it.
template <typename T>
std::string GobStructNameOf() { return "SCAFFOLD"; }
template <typename T, typename Enable = void>
struct GoStructName {
  static std::string Get() { return GobStructNameOf<T>(); }
};

// NETRPC_GO_NAME(Type, "Name") declares the Go name of a C++ class type.
// Use it at namespace scope, outside any namespace.
#define NETRPC_GO_NAME(Type, Name)                   \
  template <>                                         \
  struct netrpc::GoStructName<Type> {                 \
    static std::string Get() { return Name; }         \
  }

// GoTypeName<T>::Get(package) returns T's Go spelling; `package` qualifies
// named struct types.
template <typename T, typename Enable = void>
struct GoTypeName {
  static std::string Get(absl::string_view package) {
    return absl::StrCat(package, ".", GoStructName<T>::Get());
  }
};

#define NETRPC_GO_BUILTIN_NAME_(Type, Name)              \
  template <>                                             \
  struct GoTypeName<Type> {                               \
    static std::string Get(absl::string_view) { return Name; } \
  }

NETRPC_GO_BUILTIN_NAME_(bool, "bool");
NETRPC_GO_BUILTIN_NAME_(int8_t, "int8");
NETRPC_GO_BUILTIN_NAME_(int16_t, "int16");
NETRPC_GO_BUILTIN_NAME_(int32_t, "int32");
NETRPC_GO_BUILTIN_NAME_(int64_t, "int");
NETRPC_GO_BUILTIN_NAME_(uint8_t, "uint8");
NETRPC_GO_BUILTIN_NAME_(uint16_t, "uint16");
NETRPC_GO_BUILTIN_NAME_(uint32_t, "uint32");
NETRPC_GO_BUILTIN_NAME_(uint64_t, "uint64");
NETRPC_GO_BUILTIN_NAME_(float, "float32");
NETRPC_GO_BUILTIN_NAME_(double, "float64");
NETRPC_GO_BUILTIN_NAME_(std::string, "string");

#undef NETRPC_GO_BUILTIN_NAME_

template <typename E, typename A>
struct GoTypeName<std::vector<E, A>> {
  static std::string Get(absl::string_view package) {
    return absl::StrCat("[]", GoTypeName<E>::Get(package));
  }
};

template <typename E, size_t N>
struct GoTypeName<std::array<E, N>> {
  static std::string Get(absl::string_view package) {
    return absl::StrCat("[", N, "]", GoTypeName<E>::Get(package));
  }
};

template <typename K, typename V, typename C, typename A>
struct GoTypeName<std::map<K, V, C, A>> {
  static std::string Get(absl::string_view package) {
    return absl::StrCat("map[", GoTypeName<K>::Get(package), "]",
                        GoTypeName<V>::Get(package));
  }
};

template <typename K, typename V, typename H, typename E, typename A>
struct GoTypeName<std::unordered_map<K, V, H, E, A>> {
  static std::string Get(absl::string_view package) {
    return absl::StrCat("map[", GoTypeName<K>::Get(package), "]",
                        GoTypeName<V>::Get(package));
  }
};

}  // namespace netrpc

#endif  // NETRPC_GO_TYPE_H_

// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: bind.h
//
// JsonCodec<T> says how a C++ type maps onto JSON, with the rules of Go's
// encoding/json for the Go type it stands for. The types are gob's
// (netrpc/gob/bind.h), described by the same declarations: a struct bound
// with NETRPC_GOB_STRUCT is a JSON object of its exported fields, under
// their Go names, in declaration order.
//
//   C++                                  Go                 JSON
//   bool                                 bool               true / false
//   int8_t ... int64_t, uint8_t ...      int8 ... uint64    number
//   float, double                        float32, float64   number (Go's
//                                                           format; NaN and
//                                                           ±Inf fail)
//   std::string                          string             string
//   netrpc::gob::Bytes                   []byte             base64 string
//   std::vector<T>                       []T                array
//   std::array<T, N>                     [N]T               array
//   std::map, std::unordered_map,        map[K]V            object, keys
//     absl::flat_hash_map                                   sorted; K is a
//                                                           string or integer
//   std::unique_ptr<T>, std::optional<T> *T                 null or T
//   NETRPC_GOB_STRUCT structs            struct             object
//   absl::Time                           time.Time          RFC 3339 string
//   absl::Duration                       time.Duration      number (ns)
//
// Go's rules that carry over: only exported fields (upper-case Go name) are
// written and read; object keys match field names exactly, else ignoring
// case; unknown keys are skipped; null leaves a value alone, except that it
// empties a slice or map and resets a pointer; a value of the wrong JSON
// kind is an error, but the rest of the input is still decoded; decoding
// merges into structs, maps and the elements of slices.
//
// C++ has no nil slice or map: an empty std::vector or std::map is written
// as Go writes an empty non-nil one ([] / {} / ""), never as null (Go's
// nil), which is what net/rpc replies start as. Use std::optional<...> for a
// value that may be nil.
//
// Types with no mapping (std::complex, netrpc::gob::Interface, types with
// GobEncode) compile, and fail at run time as Go fails on a complex number:
// "json: unsupported type: complex128". To map another type, specialise
// JsonCodec<T> with the two members the primary template has.
//
// Thread-safety: codecs are stateless.

#ifndef NETRPC_JSONRPC_BIND_H_
#define NETRPC_JSONRPC_BIND_H_

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

#include "netrpc/gob/bind.h"
#include "netrpc/gob/fields.h"
#include "netrpc/jsonrpc/internal/decode.h"
#include "netrpc/jsonrpc/internal/encode.h"
#include "netrpc/jsonrpc/internal/time.h"

namespace netrpc::jsonrpc {

// GoTypeString is how Go prints T's type in errors ("int", "[]main.Args"):
// gob's spelling of the same type.
template <typename T>
std::string GoTypeString() {
  return gob::Codec<T>::GoString();
}

// JsonCodec<T> maps T onto JSON. The primary template is the mapping of a
// type JSON cannot represent. A specialisation has the same two members.
template <typename T, typename Enable = void>
struct JsonCodec {
  // Encode appends T's JSON to `*out`, or fails (leaving a partial value).
  static absl::Status Encode(const T&, std::string*) {
    return absl::InvalidArgumentError(
        absl::StrCat("json: unsupported type: ", GoTypeString<T>()));
  }
  // Decode decodes the next value of `r` into `*v`, recording errors in
  // `st` as Go's decoder does. It consumes the value whatever happens,
  // unless `st` has failed.
  static void Decode(internal::Reader& r, internal::DecodeState& st, T*) {
    internal::Reader::Kind kind = r.Peek();
    if (kind != internal::Reader::Kind::kNull) {
      st.TypeError(internal::KindName(kind), GoTypeString<T>());
    }
    r.Skip();
  }
};

namespace bind_internal {

using internal::DecodeState;
using internal::Reader;
using Kind = internal::Reader::Kind;

// WrongKind records Go's type error for a JSON value that does not fit T
// and skips it.
template <typename T>
void WrongKind(Reader& r, DecodeState& st, Kind kind) {
  st.TypeError(internal::KindName(kind), GoTypeString<T>());
  r.Skip();
}

// IsExported is Go's rule for a field name.
inline bool IsExported(absl::string_view name) {
  return !name.empty() && name[0] >= 'A' && name[0] <= 'Z';
}

template <typename V>
void DecodeElements(Reader& r, DecodeState& st, V* v);

}  // namespace bind_internal

template <>
struct JsonCodec<bool> {
  static absl::Status Encode(bool v, std::string* out) {
    out->append(v ? "true" : "false");
    return absl::OkStatus();
  }
  static void Decode(internal::Reader& r, internal::DecodeState& st, bool* v) {
    internal::Reader::Kind kind = r.Peek();
    if (kind == internal::Reader::Kind::kBool) {
      *v = r.Literal()[0] == 't';
    } else if (kind == internal::Reader::Kind::kNull) {
      r.Skip();
    } else {
      bind_internal::WrongKind<bool>(r, st, kind);
    }
  }
};

template <typename T>
struct JsonCodec<
    T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>>> {
  static absl::Status Encode(T v, std::string* out) {
    absl::StrAppend(out, v);
    return absl::OkStatus();
  }
  static void Decode(internal::Reader& r, internal::DecodeState& st, T* v) {
    internal::Reader::Kind kind = r.Peek();
    if (kind == internal::Reader::Kind::kNull) {
      r.Skip();
      return;
    }
    if (kind != internal::Reader::Kind::kNumber) {
      bind_internal::WrongKind<T>(r, st, kind);
      return;
    }
    absl::string_view lit = r.Literal();
    constexpr int kBits = static_cast<int>(sizeof(T) * 8);
    if constexpr (std::is_signed_v<T>) {
      int64_t n;
      if (internal::ParseInt(lit, kBits, &n)) {
        *v = static_cast<T>(n);
        return;
      }
    } else {
      uint64_t n;
      if (internal::ParseUint(lit, kBits, &n)) {
        *v = static_cast<T>(n);
        return;
      }
    }
    st.TypeError(absl::StrCat("number ", lit), GoTypeString<T>());
  }
};

template <typename T>
struct JsonCodec<T, std::enable_if_t<std::is_same_v<T, float> ||
                                     std::is_same_v<T, double>>> {
  static constexpr int kBits = sizeof(T) == 4 ? 32 : 64;
  static absl::Status Encode(T v, std::string* out) {
    return internal::AppendFloat(v, kBits, out);
  }
  static void Decode(internal::Reader& r, internal::DecodeState& st, T* v) {
    internal::Reader::Kind kind = r.Peek();
    if (kind == internal::Reader::Kind::kNull) {
      r.Skip();
      return;
    }
    if (kind != internal::Reader::Kind::kNumber) {
      bind_internal::WrongKind<T>(r, st, kind);
      return;
    }
    absl::string_view lit = r.Literal();
    double d;
    if (internal::ParseFloat(lit, kBits, &d)) {
      *v = static_cast<T>(d);
    } else {
      st.TypeError(absl::StrCat("number ", lit), GoTypeString<T>());
    }
  }
};

template <>
struct JsonCodec<std::string> {
  static absl::Status Encode(const std::string& v, std::string* out) {
    internal::AppendString(v, out);
    return absl::OkStatus();
  }
  static void Decode(internal::Reader& r, internal::DecodeState& st,
                     std::string* v) {
    internal::Reader::Kind kind = r.Peek();
    if (kind == internal::Reader::Kind::kString) {
      *v = internal::Unquote(r.Literal());
    } else if (kind == internal::Reader::Kind::kNull) {
      r.Skip();
    } else {
      bind_internal::WrongKind<std::string>(r, st, kind);
    }
  }
};

template <>
struct JsonCodec<absl::Duration> {
  static absl::Status Encode(absl::Duration v, std::string* out) {
    absl::StrAppend(out, absl::ToInt64Nanoseconds(v));
    return absl::OkStatus();
  }
  static void Decode(internal::Reader& r, internal::DecodeState& st,
                     absl::Duration* v) {
    int64_t ns = absl::ToInt64Nanoseconds(*v);
    // time.Duration is an int64 to encoding/json; only the name differs.
    internal::Reader::Kind kind = r.Peek();
    if (kind == internal::Reader::Kind::kNumber) {
      absl::string_view lit = r.Literal();
      if (internal::ParseInt(lit, 64, &ns)) {
        *v = absl::Nanoseconds(ns);
      } else {
        st.TypeError(absl::StrCat("number ", lit), "time.Duration");
      }
    } else if (kind == internal::Reader::Kind::kNull) {
      r.Skip();
    } else {
      bind_internal::WrongKind<absl::Duration>(r, st, kind);
    }
  }
};

template <>
struct JsonCodec<absl::Time> {
  static absl::Status Encode(absl::Time v, std::string* out) {
    return internal::AppendTime(v, out);
  }
  static void Decode(internal::Reader& r, internal::DecodeState& st,
                     absl::Time* v) {
    // time.Time is a json.Unmarshaler: it gets the raw value, whatever its
    // kind, and its error ends decoding.
    absl::Status s = internal::ParseTime(r.Value(), v);
    if (!s.ok()) st.Fail(std::move(s));
  }
};

template <>
struct JsonCodec<gob::Bytes> {
  static absl::Status Encode(const gob::Bytes& v, std::string* out) {
    internal::AppendBase64(
        absl::string_view(reinterpret_cast<const char*>(v.data()), v.size()),
        out);
    return absl::OkStatus();
  }
  static void Decode(internal::Reader& r, internal::DecodeState& st,
                     gob::Bytes* v) {
    internal::Reader::Kind kind = r.Peek();
    if (kind == internal::Reader::Kind::kString) {
      std::string bytes;
      absl::Status s =
          internal::DecodeBase64(internal::Unquote(r.Literal()), &bytes);
      if (s.ok()) {
        v->assign(bytes.begin(), bytes.end());
      } else {
        st.SaveError(std::string(s.message()));
      }
    } else if (kind == internal::Reader::Kind::kArray) {
      // A []byte is also a slice of numbers to Go's decoder.
      bind_internal::DecodeElements(r, st, v);
    } else if (kind == internal::Reader::Kind::kNull) {
      r.Skip();
      v->clear();
    } else {
      bind_internal::WrongKind<gob::Bytes>(r, st, kind);
    }
  }
};

namespace bind_internal {

// DecodeElements is Go's array() into a slice: elements decode into the
// existing ones (merging), then the slice is cut to the input's length.
template <typename V>
void DecodeElements(Reader& r, DecodeState& st, V* v) {
  using E = typename V::value_type;
  DecodeState::DepthScope depth(st);
  if (!depth.ok()) {
    r.Skip();
    return;
  }
  size_t i = 0;
  r.Enter();
  while (!st.failed() && r.More()) {
    if (i >= v->size()) v->emplace_back();
    if constexpr (std::is_same_v<E, bool>) {
      bool b = (*v)[i];  // std::vector<bool> has no addressable elements
      JsonCodec<bool>::Decode(r, st, &b);
      (*v)[i] = b;
    } else {
      JsonCodec<E>::Decode(r, st, &(*v)[i]);
    }
    ++i;
  }
  if (!st.failed()) v->resize(i);
}

}  // namespace bind_internal

template <typename E, typename A>
struct JsonCodec<
    std::vector<E, A>,
    std::enable_if_t<!std::is_same_v<std::vector<E, A>, gob::Bytes>>> {
  static absl::Status Encode(const std::vector<E, A>& v, std::string* out) {
    out->push_back('[');
    for (size_t i = 0; i < v.size(); ++i) {
      if (i > 0) out->push_back(',');
      absl::Status s = JsonCodec<E>::Encode(v[i], out);
      if (!s.ok()) return s;
    }
    out->push_back(']');
    return absl::OkStatus();
  }
  static void Decode(internal::Reader& r, internal::DecodeState& st,
                     std::vector<E, A>* v) {
    internal::Reader::Kind kind = r.Peek();
    if (kind == internal::Reader::Kind::kArray) {
      bind_internal::DecodeElements(r, st, v);
    } else if (kind == internal::Reader::Kind::kNull) {
      r.Skip();
      v->clear();
    } else {
      bind_internal::WrongKind<std::vector<E, A>>(r, st, kind);
    }
  }
};

template <typename E, size_t N>
struct JsonCodec<std::array<E, N>> {
  static absl::Status Encode(const std::array<E, N>& v, std::string* out) {
    out->push_back('[');
    for (size_t i = 0; i < N; ++i) {
      if (i > 0) out->push_back(',');
      absl::Status s = JsonCodec<E>::Encode(v[i], out);
      if (!s.ok()) return s;
    }
    out->push_back(']');
    return absl::OkStatus();
  }
  static void Decode(internal::Reader& r, internal::DecodeState& st,
                     std::array<E, N>* v) {
    internal::Reader::Kind kind = r.Peek();
    if (kind == internal::Reader::Kind::kNull) {
      r.Skip();
      return;
    }
    if (kind != internal::Reader::Kind::kArray) {
      bind_internal::WrongKind<std::array<E, N>>(r, st, kind);
      return;
    }
    // Go: extra elements are skipped, missing ones zeroed.
    internal::DecodeState::DepthScope depth(st);
    if (!depth.ok()) {
      r.Skip();
      return;
    }
    size_t i = 0;
    r.Enter();
    while (!st.failed() && r.More()) {
      if (i < N) {
        JsonCodec<E>::Decode(r, st, &(*v)[i]);
      } else {
        r.Skip();
      }
      ++i;
    }
    for (; i < N && !st.failed(); ++i) (*v)[i] = E();
  }
};

namespace bind_internal {

// MapCodec is a map's codec, for std::map, std::unordered_map and
// absl::flat_hash_map alike.
template <typename M>
struct MapCodec {
  using K = typename M::key_type;
  using V = typename M::mapped_type;
  // Go allows string and integer keys (and TextMarshalers); others fail.
  static constexpr bool kKeyOk =
      std::is_same_v<K, std::string> ||
      (std::is_integral_v<K> && !std::is_same_v<K, bool>);

  static absl::Status Encode(const M& m, std::string* out) {
    if constexpr (!kKeyOk) {
      (void)m;
      (void)out;
      return absl::InvalidArgumentError(
          absl::StrCat("json: unsupported type: ", GoTypeString<M>()));
    } else {
      // Go writes the keys sorted by their JSON text.
      std::vector<std::pair<std::string, const V*>> entries;
      entries.reserve(m.size());
      for (const auto& [k, v] : m) {
        if constexpr (std::is_same_v<K, std::string>) {
          entries.emplace_back(k, &v);
        } else {
          entries.emplace_back(absl::StrCat(k), &v);
        }
      }
      std::sort(entries.begin(), entries.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      out->push_back('{');
      for (size_t i = 0; i < entries.size(); ++i) {
        if (i > 0) out->push_back(',');
        internal::AppendString(entries[i].first, out);
        out->push_back(':');
        absl::Status s = JsonCodec<V>::Encode(*entries[i].second, out);
        if (!s.ok()) return s;
      }
      out->push_back('}');
      return absl::OkStatus();
    }
  }

  static void Decode(Reader& r, DecodeState& st, M* m) {
    Kind kind = r.Peek();
    if (kind == Kind::kNull) {
      r.Skip();
      m->clear();
      return;
    }
    if (kind != Kind::kObject || !kKeyOk) {
      WrongKind<M>(r, st, kind);
      return;
    }
    if constexpr (kKeyOk) {
      DecodeState::DepthScope depth(st);
      if (!depth.ok()) {
        r.Skip();
        return;
      }
      r.Enter();
      while (!st.failed() && r.More()) {
        std::string key = internal::Unquote(r.Key());
        V elem{};
        JsonCodec<V>::Decode(r, st, &elem);
        if (st.failed()) return;
        if constexpr (std::is_same_v<K, std::string>) {
          m->insert_or_assign(std::move(key), std::move(elem));
        } else {
          // Go converts the key after decoding the value.
          constexpr int kBits = static_cast<int>(sizeof(K) * 8);
          bool ok;
          K k{};
          if constexpr (std::is_signed_v<K>) {
            int64_t n = 0;
            ok = internal::ParseInt(key, kBits, &n);
            k = static_cast<K>(n);
          } else {
            uint64_t n = 0;
            ok = internal::ParseUint(key, kBits, &n);
            k = static_cast<K>(n);
          }
          if (ok) {
            m->insert_or_assign(k, std::move(elem));
          } else {
            st.TypeError(absl::StrCat("number ", key), GoTypeString<K>());
          }
        }
      }
    }
  }
};

}  // namespace bind_internal

template <typename K, typename V, typename C, typename A>
struct JsonCodec<std::map<K, V, C, A>>
    : bind_internal::MapCodec<std::map<K, V, C, A>> {};

template <typename K, typename V, typename H, typename E, typename A>
struct JsonCodec<std::unordered_map<K, V, H, E, A>>
    : bind_internal::MapCodec<std::unordered_map<K, V, H, E, A>> {};

template <typename K, typename V, typename H, typename E, typename A>
struct JsonCodec<absl::flat_hash_map<K, V, H, E, A>>
    : bind_internal::MapCodec<absl::flat_hash_map<K, V, H, E, A>> {};

namespace bind_internal {

// PointerCodec is the codec of a pointer-like P to T.
template <typename P, typename T>
struct PointerCodec {
  static absl::Status Encode(const P& p, std::string* out) {
    if (!p) {
      out->append("null");
      return absl::OkStatus();
    }
    return JsonCodec<T>::Encode(*p, out);
  }
  static void Decode(Reader& r, DecodeState& st, P* p) {
    if (r.Peek() == Kind::kNull) {
      r.Skip();
      p->reset();
      return;
    }
    // Go allocates before it looks at the value, so a wrong value still
    // leaves a zero T behind.
    if (!*p) {
      if constexpr (std::is_same_v<P, std::optional<T>>) {
        p->emplace();
      } else {
        p->reset(new T());
      }
    }
    JsonCodec<T>::Decode(r, st, &**p);
  }
};

}  // namespace bind_internal

template <typename T, typename D>
struct JsonCodec<std::unique_ptr<T, D>>
    : bind_internal::PointerCodec<std::unique_ptr<T, D>, T> {};

template <typename T>
struct JsonCodec<std::optional<T>>
    : bind_internal::PointerCodec<std::optional<T>, T> {};

template <typename T>
struct JsonCodec<T, std::enable_if_t<gob::kIsGobStruct<T>>> {
  static absl::Status Encode(const T& v, std::string* out) {
    out->push_back('{');
    bool first = true;
    absl::Status status;
    gob::ForEachField(v, [&](absl::string_view name, const auto& member) {
      using M = std::decay_t<decltype(member)>;
      if (!status.ok() || !bind_internal::IsExported(name)) return;
      if (!first) out->push_back(',');
      first = false;
      internal::AppendString(name, out);
      out->push_back(':');
      status = JsonCodec<M>::Encode(member, out);
    });
    if (!status.ok()) return status;
    out->push_back('}');
    return absl::OkStatus();
  }

  static void Decode(internal::Reader& r, internal::DecodeState& st, T* v) {
    internal::Reader::Kind kind = r.Peek();
    if (kind == internal::Reader::Kind::kNull) {
      r.Skip();
      return;
    }
    if (kind != internal::Reader::Kind::kObject) {
      bind_internal::WrongKind<T>(r, st, kind);
      return;
    }
    static const Fields* const fields = new Fields();
    internal::DecodeStruct(
        r, st, fields->struct_name, fields->names, [&](size_t index) {
          size_t i = 0;
          gob::ForEachField(*v, [&](absl::string_view name, auto& member) {
            using M = std::decay_t<decltype(member)>;
            if (!bind_internal::IsExported(name)) return;
            if (i++ == index) {
              JsonCodec<M>::Decode(r, st, &member);
            }
          });
        });
  }

 private:
  // Fields is what Go's decoder caches per struct type: the exported field
  // names and the type's Name() for error messages.
  struct Fields {
    Fields() {
      std::apply([&](const auto&... field) { (AddName(field.name), ...); },
                 gob::GobFields<T>());
      absl::string_view full = gob::GoTypeName<T>();
      size_t dot = full.rfind('.');
      struct_name =
          dot == absl::string_view::npos ? full : full.substr(dot + 1);
    }
    void AddName(absl::string_view name) {
      if (bind_internal::IsExported(name)) names.push_back(name);
    }
    std::vector<absl::string_view> names;
    absl::string_view struct_name;
  };
};

}  // namespace netrpc::jsonrpc

#endif  // NETRPC_JSONRPC_BIND_H_

#include "bridge/convert/gob_to_wire.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

#include "bridge/convert/wire_format.h"
#include "netrpc/base/status_macros.h"
#include "netrpc/gob/time.h"

namespace bridge {
namespace {

namespace gob = ::netrpc::gob;
using ::google::protobuf::Descriptor;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::FileDescriptor;
using ::google::protobuf::OneofDescriptor;

size_t EncodeVarint(uint64_t v, char* buf) {
  size_t n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  return n;
}

uint64_t Tag(int number, uint32_t wire_type) {
  return static_cast<uint64_t>(number) << 3 | wire_type;
}

// FixedWidth is the byte size of a fixed-width scalar type, 0 for the rest.
size_t FixedWidth(FieldDescriptor::Type type) {
  switch (type) {
    case FieldDescriptor::TYPE_FIXED32:
    case FieldDescriptor::TYPE_SFIXED32:
    case FieldDescriptor::TYPE_FLOAT:
      return 4;
    case FieldDescriptor::TYPE_FIXED64:
    case FieldDescriptor::TYPE_SFIXED64:
    case FieldDescriptor::TYPE_DOUBLE:
      return 8;
    default:
      return 0;
  }
}

// ValidUtf8 reports whether s is well-formed UTF-8 (no overlongs, no
// surrogates, nothing above U+10FFFF), as proto3 requires of `string`.
bool ValidUtf8(absl::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    // Most text is ASCII: skip it eight bytes at a time.
    if (end - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, sizeof(word));
      if ((word & 0x8080808080808080u) == 0) {
        p += 8;
        continue;
      }
    }
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int n;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) {
      n = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p <= n) return false;
    for (int i = 1; i <= n; ++i) {
      if ((p[i] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3f);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    p += n + 1;
  }
  return true;
}

std::string KindOf(const gob::Value& v) {
  return v.type() == nullptr ? "nothing" : v.type()->String();
}

// The error builders are cold and out of line, so that the hot path builds
// no strings.
ABSL_ATTRIBUTE_COLD ABSL_ATTRIBUTE_NOINLINE absl::Status Mismatch(
    const FieldDescriptor* f, const gob::Value& v) {
  return absl::InvalidArgumentError(absl::StrCat(
      "bridge: a Go ", KindOf(v), " cannot fill ", f->full_name(), " (",
      f->is_map() ? "map" : (f->is_repeated() ? "repeated " : ""),
      f->is_map() ? "" : f->type_name(), ")"));
}

template <typename T>
ABSL_ATTRIBUTE_COLD ABSL_ATTRIBUTE_NOINLINE absl::Status OutOfRange(
    const FieldDescriptor* f, T value) {
  return absl::OutOfRangeError(
      absl::StrCat("bridge: value ", value, " out of range for ",
                   f->full_name(), " (", f->type_name(), ")"));
}

ABSL_ATTRIBUTE_COLD ABSL_ATTRIBUTE_NOINLINE absl::Status NotStruct(
    const Descriptor* d, const gob::Value& v) {
  return absl::InvalidArgumentError(absl::StrCat(
      "bridge: ", d->full_name(), " needs a Go struct, got ", KindOf(v),
      "; for a non-struct net/rpc value declare a one-field message with "
      "option (netrpc.options.v1.unwrap) = true"));
}

ABSL_ATTRIBUTE_COLD ABSL_ATTRIBUTE_NOINLINE absl::Status TwoMembers(
    const OneofDescriptor* o) {
  return absl::InvalidArgumentError(
      absl::StrCat("bridge: Go fields for two members of oneof ",
                   o->full_name(), " are set; at most one may be"));
}

ABSL_ATTRIBUTE_COLD ABSL_ATTRIBUTE_NOINLINE absl::Status NotUtf8(
    const FieldDescriptor* f) {
  return absl::InvalidArgumentError(absl::StrCat(
      "bridge: Go string for ", f->full_name(),
      " is not valid UTF-8, which a proto3 string must be; make the field "
      "bytes"));
}

// How Single writes a scalar: as a field that protobuf leaves out when zero
// (proto3 without presence), as a field always, or bare inside a packed run.
enum class Emit { kOmitZero, kAlways, kPacked };

// Merged lists the gob values that filled a message before the one being
// written, when a gob struct names one proto message field twice (a type
// from the wire may repeat a field name). Protobuf merges the two: a zero in
// the later value clears the earlier one, and the oneofs both set count
// together, so the writer must know about the earlier values.
using Merged = std::vector<const gob::Value*>;

class Writer {
 public:
  Writer(GobTypes& types, const ConvertOptions& options, std::string* out)
      : types_(types), options_(options), out_(out), pos_(out->size()) {}

  // Finish cuts *out to what was written.
  void Finish() { out_->resize(pos_); }

  // Message writes the fields of a `d` from v; merged is null or non-empty.
  absl::Status Message(const gob::Value& v, const Descriptor* d,
                       const Merged* merged) {
    const MessageIndex* index = Index(d);
    if (index == nullptr || !index->is_struct()) {
      // Without an index (d has no gob type) classify d here.
      switch (index != nullptr ? index->well_known() : ClassifyMessage(d)) {
        case WellKnown::kTimestamp:
          return Timestamp(v, merged != nullptr);
        case WellKnown::kDuration:
          return Duration(v, merged != nullptr);
        case WellKnown::kWrapper:
          return Field(d->field(0), v, merged != nullptr, nullptr);
        case WellKnown::kUnsupported:
          return absl::InvalidArgumentError(absl::StrCat(
              "bridge: ", d->full_name(), " has no gob equivalent"));
        case WellKnown::kNone:
          break;
      }
      // An unwrapped message is its field, which earlier values filled.
      if (index != nullptr ? index->unwrapped() : types_.names().Unwrapped(d)) {
        return Field(d->field(0), v, merged != nullptr, merged);
      }
      // Otherwise d has no gob type and every Go field is unknown.
    }
    if (v.kind() != gob::Kind::kStruct) return NotStruct(d, v);
    const auto& fields = v.type()->fields();
    // Fields and oneofs this struct has set, by index modulo 64: a hit is
    // confirmed by a scan, as it is either a collision or a repeated name.
    uint64_t fields_set = 0;
    uint64_t oneofs_set = 0;
    int next = 0;
    for (size_t i = 0; i < fields.size(); ++i) {
      const gob::Value& fv = v.field(i);
      if (!fv.present()) continue;
      const FieldDescriptor* f = Find(index, fields[i].name, &next);
      if (f == nullptr) {
        NETRPC_RETURN_IF_ERROR(Unknown(v, i, d));
        continue;
      }
      const uint64_t bit = uint64_t{1} << (f->index() & 63);
      const bool again = (fields_set & bit) != 0;
      fields_set |= bit;
      if (const OneofDescriptor* o = f->containing_oneof()) {
        const uint64_t obit = uint64_t{1} << (o->index() & 63);
        if (((oneofs_set & obit) != 0 && SetsOneof(v, i, o, index)) ||
            (merged != nullptr && SetsOneof(*merged, o, index))) {
          return TwoMembers(o);
        }
        oneofs_set |= obit;
      }
      NETRPC_RETURN_IF_ERROR(merged == nullptr && !again
                                 ? Field(f, fv, false, nullptr)
                                 : FieldAgain(v, i, f, index, merged));
    }
    return absl::OkStatus();
  }

 private:
  // FieldAgain writes field i of struct v, f, into a message that earlier
  // values (merged, or v's own fields before i) already filled.
  absl::Status FieldAgain(const gob::Value& v, size_t i,
                          const FieldDescriptor* f, const MessageIndex* index,
                          const Merged* merged) {
    Merged earlier;
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
        !f->is_repeated()) {
      if (merged != nullptr) {
        for (const gob::Value* w : *merged) {
          Collect(*w, w->type()->fields().size(), f, index, &earlier);
        }
      }
      Collect(v, i, f, index, &earlier);
    }
    return Field(f, v.field(i), true, earlier.empty() ? nullptr : &earlier);
  }

  // Index is GobTypes::Index with a one-entry cache, which serves the
  // elements of a repeated message field with one comparison.
  const MessageIndex* Index(const Descriptor* d) {
    if (d != last_message_) {
      last_index_ = types_.Index(d);
      last_message_ = d;
    }
    return last_index_;
  }

  static const FieldDescriptor* Find(const MessageIndex* index,
                                     absl::string_view go_name, int* next) {
    return index == nullptr ? nullptr : index->Find(go_name, next);
  }

  // SetsOneof reports whether one of the first `end` fields of struct v
  // sets a member of o.
  static bool SetsOneof(const gob::Value& v, size_t end,
                        const OneofDescriptor* o, const MessageIndex* index) {
    int next = 0;
    for (size_t j = 0; j < end; ++j) {
      if (!v.field(j).present()) continue;
      const FieldDescriptor* f = Find(index, v.type()->fields()[j].name, &next);
      if (f != nullptr && f->containing_oneof() == o) return true;
    }
    return false;
  }

  static bool SetsOneof(const Merged& merged, const OneofDescriptor* o,
                        const MessageIndex* index) {
    for (const gob::Value* w : merged) {
      if (SetsOneof(*w, w->type()->fields().size(), o, index)) return true;
    }
    return false;
  }

  // Collect adds the values the first `end` fields of struct v give f.
  static void Collect(const gob::Value& v, size_t end, const FieldDescriptor* f,
                      const MessageIndex* index, Merged* into) {
    int next = 0;
    for (size_t j = 0; j < end; ++j) {
      const gob::Value& fv = v.field(j);
      if (fv.present() && Find(index, v.type()->fields()[j].name, &next) == f) {
        into->push_back(&fv);
      }
    }
  }

  // Unknown handles field i of struct v, which d lacks.
  ABSL_ATTRIBUTE_COLD ABSL_ATTRIBUTE_NOINLINE absl::Status Unknown(
      const gob::Value& v, size_t i, const Descriptor* d) {
    std::string what = absl::StrCat("bridge: Go field ", v.type()->name(), ".",
                                    v.type()->fields()[i].name,
                                    " has no counterpart in ", d->full_name());
    if (options_.unknown_fields == netrpc::config::v1::DROP_AND_COUNT) {
      if (options_.on_drop) options_.on_drop(what);
      return absl::OkStatus();
    }
    return absl::InvalidArgumentError(
        absl::StrCat(what,
                     "; add the field to the proto, declare its Go name "
                     "(go_name option or field_names in the config), "
                     "or set unknown_fields: DROP_AND_COUNT"));
  }

  // Field writes field f from v. keep_zero writes a zero that protobuf would
  // leave out, which must clear what an earlier value set. Inline: it is on
  // the per-field path.
  ABSL_ATTRIBUTE_ALWAYS_INLINE absl::Status Field(const FieldDescriptor* f,
                                                  const gob::Value& v,
                                                  bool keep_zero,
                                                  const Merged* merged) {
    if (f->is_repeated()) return f->is_map() ? Map(f, v) : Repeated(f, v);
    return Single(
        f, v, keep_zero || f->has_presence() ? Emit::kAlways : Emit::kOmitZero,
        merged);
  }

  absl::Status Repeated(const FieldDescriptor* f, const gob::Value& v) {
    if (v.kind() != gob::Kind::kSlice && v.kind() != gob::Kind::kArray) {
      return Mismatch(f, v);
    }
    const size_t n = v.size();
    if (n == 0 || !f->is_packed()) {
      for (size_t i = 0; i < n; ++i) {
        NETRPC_RETURN_IF_ERROR(Single(f, v.elem(i), Emit::kAlways, nullptr));
      }
      return absl::OkStatus();
    }
    PutTag(f->number(), kLength);
    const size_t width = FixedWidth(f->type());
    size_t body = 0;
    if (width != 0) {
      PutVarint(n * width);
    } else {
      body = Open();
    }
    for (size_t i = 0; i < n; ++i) {
      NETRPC_RETURN_IF_ERROR(Single(f, v.elem(i), Emit::kPacked, nullptr));
    }
    if (width == 0) Close(body);
    return absl::OkStatus();
  }

  // Map writes one entry message per gob map entry, key and value always,
  // as protobuf does.
  absl::Status Map(const FieldDescriptor* f, const gob::Value& v) {
    if (v.kind() != gob::Kind::kMap) return Mismatch(f, v);
    const Descriptor* entry = f->message_type();
    const FieldDescriptor* key = entry->map_key();
    const FieldDescriptor* value = entry->map_value();
    for (size_t i = 0; i < v.size(); ++i) {
      PutTag(f->number(), kLength);
      const size_t body = Open();
      NETRPC_RETURN_IF_ERROR(Single(key, v.map_key(i), Emit::kAlways, nullptr));
      NETRPC_RETURN_IF_ERROR(
          Single(value, v.map_value(i), Emit::kAlways, nullptr));
      Close(body);
    }
    return absl::OkStatus();
  }

  // Single writes one value of field f: a singular field or one element.
  absl::Status Single(const FieldDescriptor* f, const gob::Value& v, Emit emit,
                      const Merged* merged) {
    uint64_t bits = 0;  // the varint or the fixed-width payload
    const FieldDescriptor::Type type = f->type();
    switch (type) {
      case FieldDescriptor::TYPE_INT32:
      case FieldDescriptor::TYPE_SINT32:
      case FieldDescriptor::TYPE_SFIXED32:
      case FieldDescriptor::TYPE_ENUM: {
        if (v.kind() != gob::Kind::kInt) return Mismatch(f, v);
        const int64_t x = v.int_value();
        if (x < std::numeric_limits<int32_t>::min() ||
            x > std::numeric_limits<int32_t>::max()) {
          return OutOfRange(f, x);
        }
        // Closed (proto2) enums cannot hold numbers they do not declare.
        if (type == FieldDescriptor::TYPE_ENUM &&
            f->file()->syntax() != FileDescriptor::SYNTAX_PROTO3 &&
            f->enum_type()->FindValueByNumber(static_cast<int>(x)) == nullptr) {
          return OutOfRange(f, x);
        }
        const auto y = static_cast<uint32_t>(x);
        if (type == FieldDescriptor::TYPE_SINT32) {
          bits = (y << 1) ^ static_cast<uint32_t>(-(y >> 31));
        } else if (type == FieldDescriptor::TYPE_SFIXED32) {
          bits = y;
        } else {
          bits = static_cast<uint64_t>(x);  // negative: ten bytes, as protobuf
        }
        break;
      }
      case FieldDescriptor::TYPE_INT64:
      case FieldDescriptor::TYPE_SINT64:
      case FieldDescriptor::TYPE_SFIXED64: {
        if (v.kind() != gob::Kind::kInt) return Mismatch(f, v);
        bits = static_cast<uint64_t>(v.int_value());
        if (type == FieldDescriptor::TYPE_SINT64) {
          bits = (bits << 1) ^ static_cast<uint64_t>(-(bits >> 63));
        }
        break;
      }
      case FieldDescriptor::TYPE_UINT32:
      case FieldDescriptor::TYPE_FIXED32:
        if (v.kind() != gob::Kind::kUint) return Mismatch(f, v);
        bits = v.uint_value();
        if (bits > std::numeric_limits<uint32_t>::max()) {
          return OutOfRange(f, bits);
        }
        break;
      case FieldDescriptor::TYPE_UINT64:
      case FieldDescriptor::TYPE_FIXED64:
        if (v.kind() != gob::Kind::kUint) return Mismatch(f, v);
        bits = v.uint_value();
        break;
      case FieldDescriptor::TYPE_FLOAT: {
        if (v.kind() != gob::Kind::kFloat) return Mismatch(f, v);
        const double x = v.float_value();
        // Go's rule for float32: Inf and NaN pass, finite overflow fails.
        if (std::isfinite(x) &&
            std::fabs(x) > std::numeric_limits<float>::max()) {
          return OutOfRange(f, x);
        }
        const auto y = static_cast<float>(x);
        uint32_t raw;
        std::memcpy(&raw, &y, sizeof(raw));
        bits = raw;
        break;
      }
      case FieldDescriptor::TYPE_DOUBLE: {
        if (v.kind() != gob::Kind::kFloat) return Mismatch(f, v);
        const double x = v.float_value();
        std::memcpy(&bits, &x, sizeof(bits));
        break;
      }
      case FieldDescriptor::TYPE_BOOL:
        if (v.kind() != gob::Kind::kBool) return Mismatch(f, v);
        bits = v.bool_value() ? 1 : 0;
        break;
      case FieldDescriptor::TYPE_STRING:
      case FieldDescriptor::TYPE_BYTES: {
        const bool bytes = type == FieldDescriptor::TYPE_BYTES;
        if (v.kind() != (bytes ? gob::Kind::kBytes : gob::Kind::kString)) {
          return Mismatch(f, v);
        }
        const std::string& s = v.bytes();
        if (!bytes && f->file()->syntax() == FileDescriptor::SYNTAX_PROTO3 &&
            !ValidUtf8(s)) {
          return NotUtf8(f);
        }
        if (emit == Emit::kOmitZero && s.empty()) return absl::OkStatus();
        PutTag(f->number(), kLength);
        PutVarint(s.size());
        PutBytes(s);
        return absl::OkStatus();
      }
      case FieldDescriptor::TYPE_MESSAGE: {
        // Present even when empty, as MutableMessage makes it.
        PutTag(f->number(), kLength);
        const size_t body = Open();
        NETRPC_RETURN_IF_ERROR(Message(v, f->message_type(), merged));
        Close(body);
        return absl::OkStatus();
      }
      case FieldDescriptor::TYPE_GROUP:
        PutTag(f->number(), kStartGroup);
        NETRPC_RETURN_IF_ERROR(Message(v, f->message_type(), merged));
        PutTag(f->number(), kEndGroup);
        return absl::OkStatus();
    }
    if (emit == Emit::kOmitZero && bits == 0) return absl::OkStatus();
    const size_t width = FixedWidth(type);
    if (emit != Emit::kPacked) {
      PutTag(f->number(),
             width == 0 ? kVarint : (width == 4 ? kFixed32 : kFixed64));
    }
    if (width == 0) {
      PutVarint(bits);
    } else {
      char* p = Room(width);
      for (size_t i = 0; i < width; ++i)
        p[i] = static_cast<char>(bits >> 8 * i);
      pos_ += width;
    }
    return absl::OkStatus();
  }

  // Timestamp writes a google.protobuf.Timestamp from a Go time.Time.
  absl::Status Timestamp(const gob::Value& v, bool keep_zero) {
    if (v.kind() != gob::Kind::kGobEncoder) {
      return absl::InvalidArgumentError(absl::StrCat(
          "bridge: google.protobuf.Timestamp needs a Go time.Time, got ",
          KindOf(v)));
    }
    NETRPC_ASSIGN_OR_RETURN(gob::GoTime t, gob::ParseGoTime(v.bytes()));
    // Timestamp's range is years 1 to 9999, as its spec says.
    constexpr int64_t kMinSeconds = -62135596800;
    constexpr int64_t kMaxSeconds = 253402300799;
    const absl::Duration since = t.time - absl::UnixEpoch();
    int64_t seconds = absl::ToInt64Seconds(since);
    if (since < absl::ZeroDuration() && since != absl::Seconds(seconds)) {
      --seconds;  // floor, so that nanos is never negative
    }
    if (seconds < kMinSeconds || seconds > kMaxSeconds) {
      return absl::OutOfRangeError(absl::StrCat(
          "bridge: time ", gob::FormatRFC3339Nano(t),
          " is outside google.protobuf.Timestamp's range (years 1 to 9999)"));
    }
    SecondsNanos(seconds,
                 absl::ToInt64Nanoseconds(since - absl::Seconds(seconds)),
                 keep_zero);
    return absl::OkStatus();
  }

  // Duration writes a google.protobuf.Duration from a Go time.Duration.
  absl::Status Duration(const gob::Value& v, bool keep_zero) {
    if (v.kind() != gob::Kind::kInt) {
      return absl::InvalidArgumentError(absl::StrCat(
          "bridge: google.protobuf.Duration needs a Go time.Duration (int), "
          "got ",
          KindOf(v)));
    }
    // Duration keeps seconds and nanos with the same sign.
    const int64_t ns = v.int_value();
    SecondsNanos(ns / 1000000000, ns % 1000000000, keep_zero);
    return absl::OkStatus();
  }

  // SecondsNanos writes fields 1 and 2 of a Timestamp or a Duration.
  void SecondsNanos(int64_t seconds, int64_t nanos, bool keep_zero) {
    if (seconds != 0 || keep_zero) {
      PutTag(1, kVarint);
      PutVarint(static_cast<uint64_t>(seconds));
    }
    if (nanos != 0 || keep_zero) {
      PutTag(2, kVarint);
      PutVarint(static_cast<uint64_t>(nanos));
    }
  }

  // Room makes room for n more bytes past pos_ and returns where they go.
  // Writing into *out grown ahead, rather than appending, keeps the small
  // writes inline.
  char* Room(size_t n) {
    if (out_->size() - pos_ < n) {
      // All the capacity there is, or twice the size.
      out_->resize(std::max({out_->capacity(), out_->size() * 2, pos_ + n}));
    }
    return &(*out_)[pos_];
  }

  void PutVarint(uint64_t v) { pos_ += EncodeVarint(v, Room(10)); }

  void PutTag(int number, uint32_t wire_type) {
    PutVarint(Tag(number, wire_type));
  }

  void PutBytes(absl::string_view b) {
    std::memcpy(Room(b.size()), b.data(), b.size());
    pos_ += b.size();
  }

  // Open reserves one byte for a length and returns where the body starts;
  // Close writes the length, moving the body when it needs more bytes.
  size_t Open() {
    Room(1);
    return ++pos_;
  }

  void Close(size_t body) {
    const size_t len = pos_ - body;
    if (len < 0x80) {
      (*out_)[body - 1] = static_cast<char>(len);
      return;
    }
    char buf[10];
    const size_t n = EncodeVarint(len, buf);
    Room(n - 1);
    char* p = &(*out_)[body];
    std::memmove(p + n - 1, p, len);
    std::memcpy(p - 1, buf, n);
    pos_ += n - 1;
  }

  GobTypes& types_;
  const ConvertOptions& options_;
  std::string* const out_;
  size_t pos_;  // the end of what is written; *out may be longer
  const Descriptor* last_message_ = nullptr;
  const MessageIndex* last_index_ = nullptr;
};

}  // namespace

absl::Status GobToWire(const gob::Value& value, const Descriptor* message,
                       GobTypes& types, const ConvertOptions& options,
                       std::string* out) {
  Writer writer(types, options, out);
  absl::Status status = writer.Message(value, message, nullptr);
  writer.Finish();
  return status;
}

}  // namespace bridge

#include "bridge/convert/wire_to_gob.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/stubs/common.h"

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

// protobuf's default recursion limit, which ParseFromString enforces.
constexpr int kMaxDepth = 100;

WireType WireTypeOf(FieldDescriptor::Type type) {
  switch (type) {
    case FieldDescriptor::TYPE_DOUBLE:
    case FieldDescriptor::TYPE_FIXED64:
    case FieldDescriptor::TYPE_SFIXED64:
      return kFixed64;
    case FieldDescriptor::TYPE_FLOAT:
    case FieldDescriptor::TYPE_FIXED32:
    case FieldDescriptor::TYPE_SFIXED32:
      return kFixed32;
    case FieldDescriptor::TYPE_STRING:
    case FieldDescriptor::TYPE_BYTES:
    case FieldDescriptor::TYPE_MESSAGE:
      return kLength;
    case FieldDescriptor::TYPE_GROUP:
      return kStartGroup;
    default:
      return kVarint;
  }
}

// Reader reads wire primitives as protobuf's parser does, including its
// limits: a varint of at most 10 bytes, a tag or a length of at most 5.
class Reader {
 public:
  explicit Reader(absl::string_view s) : p_(s.data()), end_(p_ + s.size()) {}

  bool done() const { return p_ == end_; }
  const char* pos() const { return p_; }

  bool Varint(uint64_t* v) { return Read(10, v); }

  // Tag keeps the low 32 bits of a 5-byte tag, as protobuf does.
  bool Tag(uint32_t* tag) {
    uint64_t v;
    if (!Read(5, &v)) return false;
    *tag = static_cast<uint32_t>(v);
    return true;
  }

  // Bytes reads a length-delimited value; the length must fit in 31 bits.
  bool Bytes(absl::string_view* out) {
    const char* start = p_;
    uint64_t n;
    if (!Read(5, &n) ||
        (p_ - start == 5 && static_cast<uint8_t>(p_[-1]) >= 8) ||
        n > static_cast<uint64_t>(end_ - p_)) {
      return false;
    }
    *out = absl::string_view(p_, n);
    p_ += n;
    return true;
  }

  // Raw reads a varint, fixed32 or fixed64 value.
  bool Raw(int wire, uint64_t* v) {
    if (wire == kVarint) return Varint(v);
    size_t n = wire == kFixed64 ? 8 : 4;
    if (static_cast<size_t>(end_ - p_) < n) return false;
    uint64_t x = 0;
    for (size_t i = 0; i < n; ++i) {
      x |= uint64_t{static_cast<uint8_t>(p_[i])} << (8 * i);
    }
    p_ += n;
    *v = x;
    return true;
  }

 private:
  bool Read(int max_bytes, uint64_t* v) {
    if (p_ != end_ && static_cast<uint8_t>(*p_) < 0x80) {
      *v = static_cast<uint8_t>(*p_++);
      return true;
    }
    uint64_t x = 0;
    for (int i = 0; i < max_bytes && p_ != end_; ++i) {
      uint64_t b = static_cast<uint8_t>(*p_++);
      x |= (b & 0x7f) << (7 * i);
      if (b < 0x80) {
        *v = x;
        return true;
      }
    }
    return false;
  }

  const char* p_;
  const char* end_;
};

// One occurrence of a message-typed field (the body of a message or group),
// converted after the scalars of its message, so that the conversion visits
// a message, then its message fields in declaration order, depth first: the
// order of the unknown-field reports and of the first error, as the
// reflection-based converter had them.
struct Pending {
  const FieldDescriptor* field;
  absl::string_view body;
  // A oneof member that a later member cleared: only checked for
  // well-formedness.
  bool dead;
};

int FieldOrder(const Pending& p) {
  return p.field->is_extension() ? INT_MAX : p.field->index();
}

bool Proto3(const FieldDescriptor* f) {
  return f->file()->syntax() == FileDescriptor::SYNTAX_PROTO3;
}

const FieldDescriptor* FindField(const Descriptor* d, int number) {
  // Fields are most often numbered 1..n in declaration order.
  if (number <= d->field_count() && d->field(number - 1)->number() == number) {
    return d->field(number - 1);
  }
  const FieldDescriptor* f = d->FindFieldByNumber(number);
  if (f == nullptr && d->extension_range_count() > 0 &&
      d->IsExtensionNumber(number)) {
    f = d->file()->pool()->FindExtensionByNumber(d, number);
  }
  return f;
}

gob::Value FromRaw(FieldDescriptor::Type type, uint64_t raw) {
  switch (type) {
    case FieldDescriptor::TYPE_INT32:
    case FieldDescriptor::TYPE_SFIXED32:
    case FieldDescriptor::TYPE_ENUM:
      return gob::Value::Int(static_cast<int32_t>(raw));
    case FieldDescriptor::TYPE_SINT32: {
      uint32_t n = static_cast<uint32_t>(raw);
      return gob::Value::Int(static_cast<int32_t>((n >> 1) ^ (0u - (n & 1))));
    }
    case FieldDescriptor::TYPE_SINT64:
      return gob::Value::Int(
          static_cast<int64_t>((raw >> 1) ^ (uint64_t{0} - (raw & 1))));
    case FieldDescriptor::TYPE_INT64:
    case FieldDescriptor::TYPE_SFIXED64:
      return gob::Value::Int(static_cast<int64_t>(raw));
    case FieldDescriptor::TYPE_UINT32:
    case FieldDescriptor::TYPE_FIXED32:
      return gob::Value::Uint(static_cast<uint32_t>(raw));
    case FieldDescriptor::TYPE_FLOAT: {
      uint32_t bits = static_cast<uint32_t>(raw);
      float x;
      std::memcpy(&x, &bits, sizeof x);
      return gob::Value::Float(x);
    }
    case FieldDescriptor::TYPE_DOUBLE: {
      double x;
      std::memcpy(&x, &raw, sizeof x);
      return gob::Value::Float(x);
    }
    case FieldDescriptor::TYPE_BOOL:
      return gob::Value::Bool(raw != 0);
    default:  // uint64, fixed64
      return gob::Value::Uint(raw);
  }
}

// DefaultScalar is the value of an unset scalar field: zero, or a proto2
// field's declared default (an enum's first value).
gob::Value DefaultScalar(const FieldDescriptor* f) {
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return gob::Value::Int(f->default_value_int32());
    case FieldDescriptor::CPPTYPE_INT64:
      return gob::Value::Int(f->default_value_int64());
    case FieldDescriptor::CPPTYPE_UINT32:
      return gob::Value::Uint(f->default_value_uint32());
    case FieldDescriptor::CPPTYPE_UINT64:
      return gob::Value::Uint(f->default_value_uint64());
    case FieldDescriptor::CPPTYPE_ENUM:
      return gob::Value::Int(f->default_value_enum()->number());
    case FieldDescriptor::CPPTYPE_FLOAT:
      return gob::Value::Float(f->default_value_float());
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return gob::Value::Float(f->default_value_double());
    case FieldDescriptor::CPPTYPE_BOOL:
      return gob::Value::Bool(f->default_value_bool());
    default:
      return f->type() == FieldDescriptor::TYPE_BYTES
                 ? gob::Value::Bytes(f->default_value_string())
                 : gob::Value::String(f->default_value_string());
  }
}

// StructDefault is what a struct holds for an unset scalar field: absent,
// or a proto2 field's non-zero default.
gob::Value StructDefault(const FieldDescriptor* f) {
  if (!f->has_default_value() &&
      (f->cpp_type() != FieldDescriptor::CPPTYPE_ENUM ||
       f->default_value_enum()->number() == 0)) {
    return gob::Value();
  }
  gob::Value v = DefaultScalar(f);
  return gob::OmittedFromStruct(v) ? gob::Value() : v;
}

// Frame is the state of one message being read: where its field values go,
// its unknown fields, and the message-typed fields still to convert.
struct Frame {
  explicit Frame(const Descriptor* d) : d(d) {
    if (d->real_oneof_decl_count() > 0) {
      oneof_case.assign(d->real_oneof_decl_count(), -1);
    }
  }

  // Slot is where the value of field f goes, or null when the value is only
  // checked (an extension, or a frame that builds nothing).
  gob::Value* Slot(const FieldDescriptor* f) {
    if (f->is_extension()) return nullptr;
    if (strukt != nullptr) return strukt->mutable_field(f->index());
    return slots.empty() ? nullptr : &slots[f->index()];
  }

  // Type is the gob type of field i's value.
  const gob::Type* Type(int i) const {
    if (strukt != nullptr) return strukt->type()->fields()[i].type;
    return i < 2 ? types[i] : nullptr;
  }

  const Descriptor* d;
  // A struct message fills the fields of *strukt, omitting zero values; the
  // other shapes (unwrapped, map entry, well-known) fill slots, by field.
  gob::Value* strukt = nullptr;
  absl::InlinedVector<gob::Value, 2> slots;
  const gob::Type* types[2] = {nullptr, nullptr};
  // Whether required fields are checked (not in a cleared oneof member).
  bool required = true;
  bool count_unknown = false;
  int unknown = 0;
  int first_unknown = 0;
  absl::InlinedVector<Pending, 4> pending;
  // The member index last set in each oneof, or -1.
  absl::InlinedVector<int, 2> oneof_case;
  // By field index, for a message with required fields: set on the wire.
  std::vector<bool> seen;
};

class Converter {
 public:
  Converter(absl::string_view wire, const Descriptor* root, GobTypes& types,
            const ConvertOptions& options)
      : wire_(wire), root_(root), types_(types), options_(options) {}

  absl::StatusOr<gob::Value> Convert(const gob::Type* type) {
    gob::Value out;
    Pending whole{nullptr, wire_, false};
    NETRPC_RETURN_IF_ERROR(
        Message(&whole, &whole + 1, root_, type, 0, &out, true));
    if (options_.on_drop) {
      for (const std::string& what : drops_) options_.on_drop(what);
    }
    if (!error_.ok()) return error_;
    return out;
  }

  // Validate checks that the wire is a well-formed encoding, building
  // nothing.
  absl::Status Validate() {
    Pending whole{nullptr, wire_, false};
    return Message(&whole, &whole + 1, root_, nullptr, 0, nullptr, true);
  }

 private:
  // Malformed is out of line, to keep the hot paths that call it small.
  ABSL_ATTRIBUTE_NOINLINE ABSL_ATTRIBUTE_COLD absl::Status Malformed(
      const char* at, absl::string_view what,
      absl::string_view detail = "") const {
    return absl::InvalidArgumentError(
        absl::StrCat("bridge: malformed ", root_->full_name(), ": ", what,
                     detail, " at byte ", at - wire_.data()));
  }

  // Fail records a conversion error. The first one wins, but only once the
  // whole wire is read: malformed bytes anywhere come first, as
  // ParseFromString fails before a message could be converted.
  void Fail(absl::Status s) {
    if (error_.ok()) error_ = std::move(s);
  }

  // Message converts the message whose live occurrences are in [begin, end)
  // (several when a singular field is merged) into *out. With a null out it
  // only checks the message as protobuf's parser does: well-formed, and, if
  // `required`, with its required fields (not for a cleared oneof member).
  absl::Status Message(const Pending* begin, const Pending* end,
                       const Descriptor* d, const gob::Type* type, int depth,
                       gob::Value* out, bool required) {
    if (begin != end && depth > kMaxDepth) {
      return Malformed(begin->body.data(), "messages nested deeper than 100");
    }
    Frame f(d);
    f.required = required;
    // A message whose type is a struct is an ordinary one (or unwrapped to
    // one); the others are well-known or unwrapped to a non-struct.
    WellKnown kind = WellKnown::kNone;
    bool unwrapped;
    if (out != nullptr && type->kind() == gob::Kind::kStruct) {
      unwrapped = UnwrappedToStruct(d);
    } else {
      kind = ClassifyMessage(d);
      unwrapped = out != nullptr && kind == WellKnown::kNone;
    }
    if (out != nullptr && !unwrapped && kind == WellKnown::kNone) {
      *out = gob::Value::Zero(type);
      f.strukt = out;
      f.count_unknown = true;
    } else if (out != nullptr) {
      f.slots.resize(d->field_count());
      f.types[0] = type;
      f.count_unknown = unwrapped;
    }
    if (required && d->file()->syntax() != FileDescriptor::SYNTAX_PROTO3) {
      InitProto2(f);
    }
    NETRPC_RETURN_IF_ERROR(Scan(f, begin, end, depth));
    // ParseFromString checks the required fields of the messages present.
    for (size_t i = 0; begin != end && i < f.seen.size(); ++i) {
      if (d->field(i)->is_required() && !f.seen[i]) {
        return Malformed(begin->body.data(), "missing required field ",
                         d->field(i)->full_name());
      }
    }
    if (f.unknown > 0 && f.count_unknown) CheckUnknown(f);
    if (!f.pending.empty()) NETRPC_RETURN_IF_ERROR(Children(f, depth));
    if (out == nullptr) return absl::OkStatus();
    switch (kind) {
      case WellKnown::kTimestamp:
        ToTime(f, type, out);
        return absl::OkStatus();
      case WellKnown::kDuration:
        ToDuration(f, out);
        return absl::OkStatus();
      case WellKnown::kWrapper:
        *out = f.slots[0].present() ? std::move(f.slots[0])
                                    : DefaultScalar(d->field(0));
        return absl::OkStatus();
      default:
        break;
    }
    if (!unwrapped) return absl::OkStatus();
    NETRPC_RETURN_IF_ERROR(Fill(d->field(0), type, depth, &f.slots[0]));
    *out = std::move(f.slots[0]);
    return absl::OkStatus();
  }

  // UnwrappedToStruct reports whether d is an unwrapped message whose single
  // field is a message that maps to a struct, which is then d's type too.
  bool UnwrappedToStruct(const Descriptor* d) const {
    return d->field_count() == 1 &&
           d->field(0)->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
           !d->field(0)->is_repeated() && types_.names().Unwrapped(d);
  }

  // InitProto2 notes the required fields of a proto2 message, and gives the
  // fields of a struct with a non-zero default that default.
  static void InitProto2(Frame& f) {
    for (int i = 0; i < f.d->field_count(); ++i) {
      const FieldDescriptor* field = f.d->field(i);
      if (field->is_required()) f.seen.resize(f.d->field_count());
      if (f.strukt == nullptr || field->is_repeated() ||
          field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        continue;
      }
      gob::Value v = StructDefault(field);
      if (v.present()) *f.strukt->mutable_field(i) = std::move(v);
    }
  }

  // Scan reads the fields of the occurrences [begin, end): scalars into
  // their slots, message bodies into f.pending.
  absl::Status Scan(Frame& f, const Pending* begin, const Pending* end,
                    int depth) {
    for (const Pending* occurrence = begin; occurrence != end; ++occurrence) {
      if (occurrence->dead) continue;
      Reader r(occurrence->body);
      while (!r.done()) {
        const char* at = r.pos();
        uint32_t tag;
        if (!r.Tag(&tag)) return Malformed(at, "bad tag");
        const int number = static_cast<int>(tag >> 3);
        const int wire = static_cast<int>(tag & 7);
        if (number == 0) return Malformed(at, "field number 0");
        if (wire == kEndGroup) return Malformed(at, "end-group tag");
        const FieldDescriptor* field = FindField(f.d, number);
        if (field != nullptr) {
          const FieldDescriptor::Type type = field->type();
          if (wire == WireTypeOf(type)) {
            NETRPC_RETURN_IF_ERROR(Field(f, field, type, r, depth, at));
            continue;
          }
          if (wire == kLength && field->is_packable()) {
            NETRPC_RETURN_IF_ERROR(Packed(f, field, type, r, at));
            continue;
          }
          // protobuf keeps a field of another wire type as an unknown one.
        }
        NETRPC_RETURN_IF_ERROR(Skip(r, tag, depth, at));
        Unknown(f, number);
      }
    }
    return absl::OkStatus();
  }

  static void Saw(Frame& f, const FieldDescriptor* field) {
    if (field->is_required() && !f.seen.empty()) f.seen[field->index()] = true;
  }

  static void Unknown(Frame& f, int number) {
    if (f.unknown++ == 0) f.first_unknown = number;
  }

  // Field reads one value of field, in its own wire type.
  absl::Status Field(Frame& f, const FieldDescriptor* field,
                     FieldDescriptor::Type type, Reader& r, int depth,
                     const char* at) {
    switch (type) {
      case FieldDescriptor::TYPE_MESSAGE:
      case FieldDescriptor::TYPE_GROUP: {
        absl::string_view body;
        if (type == FieldDescriptor::TYPE_GROUP) {
          NETRPC_RETURN_IF_ERROR(
              SkipGroup(r, field->number(), depth + 1, at, &body));
        } else if (!r.Bytes(&body)) {
          return Malformed(at, "bad length");
        }
        if (!f.oneof_case.empty()) SwitchOneof(f, field);
        Saw(f, field);
        f.pending.push_back({field, body, false});
        return absl::OkStatus();
      }
      case FieldDescriptor::TYPE_STRING:
      case FieldDescriptor::TYPE_BYTES: {
        absl::string_view s;
        if (!r.Bytes(&s)) return Malformed(at, "bad length");
        if (type == FieldDescriptor::TYPE_BYTES) {
          return Store(f, field, gob::Value::Bytes(std::string(s)));
        }
        if (Proto3(field) &&
            !google::protobuf::internal::IsStructurallyValidUTF8(
                s.data(), static_cast<int>(s.size()))) {
          return Malformed(at, "invalid UTF-8 in ", field->full_name());
        }
        return Store(f, field, gob::Value::String(std::string(s)));
      }
      default: {
        uint64_t raw;
        if (!r.Raw(WireTypeOf(type), &raw)) return Malformed(at, "bad number");
        if (type == FieldDescriptor::TYPE_ENUM && UnknownEnum(field, raw)) {
          Unknown(f, field->number());
          return absl::OkStatus();
        }
        return Store(f, field, FromRaw(type, raw));
      }
    }
  }

  // Store stores the value of a scalar field: appended if repeated, else
  // replacing the last one, or absent in a struct when zero (as Go omits it).
  absl::Status Store(Frame& f, const FieldDescriptor* field, gob::Value v) {
    gob::Value* slot = f.Slot(field);
    if (field->is_repeated()) {
      return slot == nullptr ? absl::OkStatus()
                             : Append(f, field, slot, std::move(v));
    }
    if (!f.oneof_case.empty()) SwitchOneof(f, field);
    Saw(f, field);
    if (slot == nullptr) return absl::OkStatus();
    if (f.strukt == nullptr || !gob::OmittedFromStruct(v)) {
      *slot = std::move(v);
    } else if (slot->present()) {
      *slot = gob::Value();
    }
    return absl::OkStatus();
  }

  // Packed reads a packed repeated field.
  absl::Status Packed(Frame& f, const FieldDescriptor* field,
                      FieldDescriptor::Type type, Reader& r, const char* at) {
    absl::string_view body;
    if (!r.Bytes(&body)) return Malformed(at, "bad length");
    const int wire = WireTypeOf(type);
    if ((wire == kFixed32 && body.size() % 4 != 0) ||
        (wire == kFixed64 && body.size() % 8 != 0)) {
      return Malformed(at, "packed fixed-width field of a partial length");
    }
    gob::Value* slot = f.Slot(field);
    Reader p(body);
    while (!p.done()) {
      uint64_t raw;
      if (!p.Raw(wire, &raw)) return Malformed(p.pos(), "bad packed number");
      if (type == FieldDescriptor::TYPE_ENUM && UnknownEnum(field, raw)) {
        Unknown(f, field->number());
      } else if (slot != nullptr) {
        NETRPC_RETURN_IF_ERROR(Append(f, field, slot, FromRaw(type, raw)));
      }
    }
    return absl::OkStatus();
  }

  absl::Status Append(Frame& f, const FieldDescriptor* field, gob::Value* slot,
                      gob::Value v) {
    if (!slot->present()) *slot = gob::Value::Zero(f.Type(field->index()));
    return slot->Append(std::move(v));
  }

  // UnknownEnum reports a value the proto2 (closed) enum field does not
  // declare: protobuf keeps it as an unknown field.
  static bool UnknownEnum(const FieldDescriptor* field, uint64_t raw) {
    return !Proto3(field) && field->enum_type()->FindValueByNumber(
                                 static_cast<int32_t>(raw)) == nullptr;
  }

  // SwitchOneof makes field the set member of its oneof, resetting the
  // member set before it.
  void SwitchOneof(Frame& f, const FieldDescriptor* field) {
    const OneofDescriptor* oneof = field->real_containing_oneof();
    if (oneof == nullptr) return;
    int& set = f.oneof_case[oneof->index()];
    if (set == field->index()) return;
    if (set >= 0) {
      const FieldDescriptor* old = f.d->field(set);
      if (old->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        for (Pending& p : f.pending) p.dead |= p.field == old;
      } else if (gob::Value* slot = f.Slot(old)) {
        *slot = f.strukt != nullptr ? StructDefault(old) : gob::Value();
      }
    }
    set = field->index();
  }

  // Skip skips the value of an unknown field.
  absl::Status Skip(Reader& r, uint32_t tag, int depth, const char* at) {
    uint64_t v;
    absl::string_view s;
    switch (tag & 7) {
      case kVarint:
      case kFixed64:
      case kFixed32:
        if (!r.Raw(static_cast<int>(tag & 7), &v)) {
          return Malformed(at, "bad number");
        }
        return absl::OkStatus();
      case kLength:
        if (!r.Bytes(&s)) return Malformed(at, "bad length");
        return absl::OkStatus();
      case kStartGroup:
        return SkipGroup(r, static_cast<int>(tag >> 3), depth + 1, at, &s);
      default:
        return Malformed(at, (tag & 7) == 6 ? "wire type 6" : "wire type 7");
    }
  }

  // SkipGroup skips to the end-group tag of group `number` (its start tag
  // read); *body is what lies between.
  absl::Status SkipGroup(Reader& r, int number, int depth, const char* at,
                         absl::string_view* body) {
    if (depth > kMaxDepth) {
      return Malformed(at, "groups nested deeper than 100");
    }
    const char* start = r.pos();
    while (!r.done()) {
      const char* end = r.pos();
      uint32_t tag;
      if (!r.Tag(&tag)) return Malformed(end, "bad tag");
      if (tag >> 3 == 0) return Malformed(end, "field number 0");
      if ((tag & 7) == kEndGroup) {
        if (static_cast<int>(tag >> 3) != number) {
          return Malformed(end, "mismatched end-group tag");
        }
        *body = absl::string_view(start, end - start);
        return absl::OkStatus();
      }
      NETRPC_RETURN_IF_ERROR(Skip(r, tag, depth, end));
    }
    return Malformed(at, "unterminated group");
  }

  void CheckUnknown(const Frame& f) {
    std::string what =
        absl::StrCat("bridge: ", f.d->full_name(), " carries ", f.unknown,
                     " field(s) unknown to the schema (first: number ",
                     f.first_unknown, ") that the net/rpc side cannot receive");
    if (options_.unknown_fields == netrpc::config::v1::DROP_AND_COUNT) {
      if (error_.ok()) drops_.push_back(std::move(what));
      return;
    }
    Fail(absl::InvalidArgumentError(
        absl::StrCat(what,
                     "; update the bridge's schema, or set unknown_fields: "
                     "DROP_AND_COUNT")));
  }

  // Children converts the message-typed fields of f, in field order.
  absl::Status Children(Frame& f, int depth) {
    auto& pending = f.pending;
    auto by_field = [](const Pending& a, const Pending& b) {
      return FieldOrder(a) < FieldOrder(b);
    };
    if (!std::is_sorted(pending.begin(), pending.end(), by_field)) {
      std::stable_sort(pending.begin(), pending.end(), by_field);
    }
    for (Pending* run = pending.begin(); run != pending.end();) {
      const FieldDescriptor* field = run->field;
      Pending* run_end = run;
      while (run_end != pending.end() && run_end->field == field) ++run_end;
      gob::Value* slot = f.Slot(field);
      const gob::Type* type =
          slot == nullptr ? nullptr : f.Type(field->index());
      const Descriptor* d = field->message_type();
      bool present = false;
      std::optional<gob::MapBuilder> map;  // a map's, from its first entry
      for (Pending* p = run; p != run_end; ++p) {
        if (p->dead) {
          const Pending check{field, p->body, false};
          NETRPC_RETURN_IF_ERROR(Message(&check, &check + 1, d, nullptr,
                                         depth + 1, nullptr, false));
          continue;
        }
        present = true;
        if (!field->is_repeated()) continue;
        if (slot == nullptr) {
          NETRPC_RETURN_IF_ERROR(
              Message(p, p + 1, d, nullptr, depth + 1, nullptr, f.required));
          continue;
        }
        if (!slot->present()) *slot = gob::Value::Zero(type);
        if (field->is_map()) {
          if (!map.has_value()) map.emplace(slot);
          NETRPC_RETURN_IF_ERROR(Entry(*p, type, depth + 1, *map));
          continue;
        }
        NETRPC_RETURN_IF_ERROR(slot->Append(gob::Value::Zero(type->elem())));
        NETRPC_RETURN_IF_ERROR(Message(p, p + 1, d, type->elem(), depth + 1,
                                       slot->mutable_elem(slot->size() - 1),
                                       true));
      }
      // The occurrences of a singular field merge into one message.
      if (present && !field->is_repeated()) {
        NETRPC_RETURN_IF_ERROR(Message(run, run_end, d, type, depth + 1, slot,
                                       slot != nullptr || f.required));
      }
      run = run_end;
    }
    return absl::OkStatus();
  }

  // Entry adds a map entry to the map: a missing key or value is the
  // default, a repeated key replaces the earlier entry. Fields of an entry
  // other than its key and value are unknown ones, as anywhere else: the
  // net/rpc side has no place for them.
  absl::Status Entry(const Pending& p, const gob::Type* map_type, int depth,
                     gob::MapBuilder& map) {
    if (depth > kMaxDepth) {
      return Malformed(p.body.data(), "messages nested deeper than 100");
    }
    const Descriptor* d = p.field->message_type();
    Frame f(d);
    f.slots.resize(d->field_count());
    f.types[0] = map_type->key();
    f.types[1] = map_type->elem();
    NETRPC_RETURN_IF_ERROR(Scan(f, &p, &p + 1, depth));
    if (f.unknown > 0) CheckUnknown(f);
    NETRPC_RETURN_IF_ERROR(Children(f, depth));
    NETRPC_RETURN_IF_ERROR(Fill(d->field(0), f.types[0], depth, &f.slots[0]));
    NETRPC_RETURN_IF_ERROR(Fill(d->field(1), f.types[1], depth, &f.slots[1]));
    return map.Insert(std::move(f.slots[0]), std::move(f.slots[1]));
  }

  // Fill gives an unset field of an unwrapped message or a map entry its
  // default: those are sent even when zero.
  absl::Status Fill(const FieldDescriptor* field, const gob::Type* type,
                    int depth, gob::Value* slot) {
    if (slot->present()) return absl::OkStatus();
    if (field->is_repeated()) {
      *slot = gob::Value::Zero(type);
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      return Message(nullptr, nullptr, field->message_type(), type, depth + 1,
                     slot, true);
    } else {
      *slot = DefaultScalar(field);
    }
    return absl::OkStatus();
  }

  static int64_t IntSlot(const Frame& f, absl::string_view name) {
    for (int i = 0; i < f.d->field_count(); ++i) {
      if (f.d->field(i)->name() == name) return f.slots[i].int_value();
    }
    return 0;
  }

  void ToTime(const Frame& f, const gob::Type* type, gob::Value* out) {
    std::string bytes;
    absl::Status s =
        gob::AppendGoTime(absl::FromUnixSeconds(IntSlot(f, "seconds")) +
                              absl::Nanoseconds(IntSlot(f, "nanos")),
                          &bytes);
    if (!s.ok()) return Fail(std::move(s));
    *out = gob::Value::External(type, std::move(bytes));
  }

  void ToDuration(const Frame& f, gob::Value* out) {
    const int64_t seconds = IntSlot(f, "seconds");
    constexpr int64_t kMax = INT64_MAX / 1000000000;
    if (seconds > kMax || seconds < -kMax) {
      return Fail(absl::OutOfRangeError(
          absl::StrCat("bridge: duration of ", seconds,
                       "s does not fit Go's time.Duration (about 292 years)")));
    }
    const int64_t nanos = IntSlot(f, "nanos");
    int64_t total;
    if (__builtin_add_overflow(seconds * 1000000000, nanos, &total)) {
      return Fail(absl::OutOfRangeError(absl::StrCat(
          "bridge: duration of ", seconds, "s and ", nanos,
          "ns does not fit Go's time.Duration (about 292 years)")));
    }
    *out = gob::Value::Int(total);
  }

  const absl::string_view wire_;
  const Descriptor* const root_;
  GobTypes& types_;
  const ConvertOptions& options_;
  absl::Status error_;
  std::vector<std::string> drops_;
};

}  // namespace

absl::StatusOr<gob::Value> WireToGob(absl::string_view wire,
                                     const Descriptor* message, GobTypes& types,
                                     const ConvertOptions& options) {
  absl::StatusOr<const gob::Type*> type = types.For(message);
  Converter converter(wire, message, types, options);
  if (!type.ok()) {
    // protobuf would have refused malformed bytes before the conversion
    // looked at the type.
    NETRPC_RETURN_IF_ERROR(converter.Validate());
    return type.status();
  }
  return converter.Convert(*type);
}

}  // namespace bridge

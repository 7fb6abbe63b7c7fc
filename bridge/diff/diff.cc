#include "bridge/diff/diff.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <utility>
#include <variant>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

#include "bridge/convert/gob_types.h"
#include "netrpc/jsonrpc/internal/encode.h"

namespace bridge {
namespace {

using ::google::protobuf::Descriptor;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;
using ::google::protobuf::Reflection;

// Path is where the walk is, spelled four ways for matching `ignore`: Go
// and proto names, with and without indices and keys.
struct Path {
  std::string go;
  std::string proto;
  std::string go_bare;
  std::string proto_bare;

  Path Field(absl::string_view go_name, absl::string_view proto_name) const {
    Path p;
    const char* dot = go.empty() ? "" : ".";
    p.go = absl::StrCat(go, dot, go_name);
    p.proto = absl::StrCat(proto, dot, proto_name);
    p.go_bare = absl::StrCat(go_bare, dot, go_name);
    p.proto_bare = absl::StrCat(proto_bare, dot, proto_name);
    return p;
  }

  // Index appends "[i]" or "[key]".
  Path Index(absl::string_view index) const {
    Path p = *this;
    absl::StrAppend(&p.go, "[", index, "]");
    absl::StrAppend(&p.proto, "[", index, "]");
    return p;
  }
};

// Scalar is one scalar field value.
using Scalar = std::variant<int64_t, uint64_t, double, bool, std::string>;

Scalar ScalarAt(const Message& m, const FieldDescriptor* f, int i) {
  const Reflection* r = m.GetReflection();
  const bool rep = f->is_repeated();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return int64_t{rep ? r->GetRepeatedInt32(m, f, i) : r->GetInt32(m, f)};
    case FieldDescriptor::CPPTYPE_INT64:
      return int64_t{rep ? r->GetRepeatedInt64(m, f, i) : r->GetInt64(m, f)};
    case FieldDescriptor::CPPTYPE_UINT32:
      return uint64_t{rep ? r->GetRepeatedUInt32(m, f, i) : r->GetUInt32(m, f)};
    case FieldDescriptor::CPPTYPE_UINT64:
      return uint64_t{rep ? r->GetRepeatedUInt64(m, f, i) : r->GetUInt64(m, f)};
    case FieldDescriptor::CPPTYPE_FLOAT:
      return double{rep ? r->GetRepeatedFloat(m, f, i) : r->GetFloat(m, f)};
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return rep ? r->GetRepeatedDouble(m, f, i) : r->GetDouble(m, f);
    case FieldDescriptor::CPPTYPE_BOOL:
      return rep ? r->GetRepeatedBool(m, f, i) : r->GetBool(m, f);
    case FieldDescriptor::CPPTYPE_ENUM:
      return int64_t{rep ? r->GetRepeatedEnumValue(m, f, i)
                         : r->GetEnumValue(m, f)};
    case FieldDescriptor::CPPTYPE_STRING:
      return rep ? r->GetRepeatedString(m, f, i) : r->GetString(m, f);
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return int64_t{0};
}

// Utf8Prefix cuts s to at most max bytes without splitting a UTF-8
// sequence.
absl::string_view Utf8Prefix(absl::string_view s, size_t max) {
  if (s.size() <= max) return s;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return s.substr(0, cut);
}

// QuoteCut quotes and escapes a string or bytes value, cut to max bytes
// (0: whole) first, so that no escape is split.
std::string QuoteCut(absl::string_view s, bool bytes, size_t max) {
  absl::string_view head =
      max == 0 ? s : (bytes ? s.substr(0, max) : Utf8Prefix(s, max));
  std::string out = absl::StrCat(
      "\"", bytes ? absl::CHexEscape(head) : absl::Utf8SafeCEscape(head), "\"");
  if (head.size() < s.size()) {
    absl::StrAppend(&out, "… (", s.size(), " bytes)");
  }
  return out;
}

std::string RenderScalar(const FieldDescriptor* f, const Scalar& v,
                         size_t max) {
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_ENUM: {
      int64_t n = std::get<int64_t>(v);
      const google::protobuf::EnumValueDescriptor* e =
          f->enum_type()->FindValueByNumber(static_cast<int>(n));
      return e != nullptr ? e->name() : absl::StrCat(n);
    }
    case FieldDescriptor::CPPTYPE_FLOAT:
    case FieldDescriptor::CPPTYPE_DOUBLE:
      // Go's %v: 100, 1.75, 1e+21, NaN.
      return netrpc::jsonrpc::internal::FormatFloatG(
          std::get<double>(v),
          f->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT ? 32 : 64);
    case FieldDescriptor::CPPTYPE_STRING:
      return QuoteCut(std::get<std::string>(v),
                      f->type() == FieldDescriptor::TYPE_BYTES, max);
    default:
      break;
  }
  if (const int64_t* i = std::get_if<int64_t>(&v)) return absl::StrCat(*i);
  if (const uint64_t* u = std::get_if<uint64_t>(&v)) return absl::StrCat(*u);
  if (const bool* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  return "?";
}

// Seconds and nanos of a Timestamp or Duration.
std::pair<int64_t, int32_t> SecondsNanos(const Message& m) {
  const Descriptor* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  const FieldDescriptor* s = d->FindFieldByName("seconds");
  const FieldDescriptor* n = d->FindFieldByName("nanos");
  return {s != nullptr ? r->GetInt64(m, s) : 0,
          n != nullptr ? r->GetInt32(m, n) : 0};
}

class Walker {
 public:
  Walker(const DiffOptions& options, std::vector<FieldDiff>* out)
      : options_(options),
        ignore_(options.ignore.begin(), options.ignore.end()),
        out_(out) {}

  bool truncated() const { return truncated_; }

  void Messages(const Message& a, const Message& b, const Path& path) {
    const Descriptor* d = a.GetDescriptor();
    const Reflection* ra = a.GetReflection();
    const Reflection* rb = b.GetReflection();
    for (int i = 0; i < d->field_count() && !Stopped(); ++i) {
      const FieldDescriptor* f = d->field(i);
      Path child = path.Field(
          options_.names != nullptr ? options_.names->Field(f) : f->name(),
          f->name());
      if (Ignored(child)) continue;
      if (f->is_map()) {
        Map(a, b, f, child);
      } else if (f->is_repeated()) {
        int na = ra->FieldSize(a, f);
        int nb = rb->FieldSize(b, f);
        for (int j = 0; j < std::max(na, nb) && !Stopped(); ++j) {
          Path elem = child.Index(absl::StrCat(j));
          if (Ignored(elem)) continue;
          if (j >= nb) {
            Add(elem, DiffKind::kOnlyInPrimary, Render(a, f, j), "");
          } else if (j >= na) {
            Add(elem, DiffKind::kOnlyInShadow, "", Render(b, f, j));
          } else {
            Values(a, b, f, j, elem);
          }
        }
      } else if (f->has_presence()) {
        bool ha = ra->HasField(a, f);
        bool hb = rb->HasField(b, f);
        if (ha && hb) {
          Values(a, b, f, -1, child);
        } else if (ha) {
          Add(child, DiffKind::kOnlyInPrimary, Render(a, f, -1), "");
        } else if (hb) {
          Add(child, DiffKind::kOnlyInShadow, "", Render(b, f, -1));
        }
      } else {
        Values(a, b, f, -1, child);
      }
    }
  }

 private:
  // Stopped: a difference past max_diffs was found; the walk ends.
  bool Stopped() const { return truncated_; }

  bool Ignored(const Path& p) const {
    if (ignore_.empty()) return false;
    return ignore_.contains(p.go) || ignore_.contains(p.proto) ||
           ignore_.contains(p.go_bare) || ignore_.contains(p.proto_bare);
  }

  void Add(const Path& path, DiffKind kind, std::string primary,
           std::string shadow) {
    if (options_.max_diffs != 0 && out_->size() >= options_.max_diffs) {
      truncated_ = true;
      return;
    }
    out_->push_back(
        FieldDiff{path.go, kind, std::move(primary), std::move(shadow)});
  }

  // Cut cuts a rendered message to max_value_chars, keeping UTF-8
  // characters and escapes whole.
  std::string Cut(std::string s) const {
    size_t max = options_.max_value_chars;
    if (max == 0 || s.size() <= max) return s;
    absl::string_view head = Utf8Prefix(s, max);
    // C escapes are \n (two chars), \xHH and \ooo (four).
    for (size_t i = 0; i < head.size(); ++i) {
      if (head[i] != '\\') continue;
      size_t len = 2;
      if (i + 1 < s.size() &&
          (s[i + 1] == 'x' || (s[i + 1] >= '0' && s[i + 1] <= '7'))) {
        len = 4;
      }
      if (i + len > head.size()) {
        head = head.substr(0, i);
        break;
      }
      i += len - 1;
    }
    return absl::StrCat(head, "… (", s.size(), " chars)");
  }

  // Values compares field f (element i, or -1 for a singular field) of a
  // and b, both set.
  void Values(const Message& a, const Message& b, const FieldDescriptor* f,
              int i, const Path& path) {
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      const Message& ma = SubMessage(a, f, i);
      const Message& mb = SubMessage(b, f, i);
      if (IsLeafMessage(ma.GetDescriptor())) {
        if (!LeafEqual(ma, mb)) {
          Add(path, DiffKind::kChanged, RenderMessage(ma), RenderMessage(mb));
        }
      } else {
        Messages(ma, mb, path);
      }
      return;
    }
    Scalar va = ScalarAt(a, f, i);
    Scalar vb = ScalarAt(b, f, i);
    if (!ScalarEqual(va, vb)) {
      Add(path, DiffKind::kChanged, RenderScalar(f, va, max()),
          RenderScalar(f, vb, max()));
    }
  }

  void Map(const Message& a, const Message& b, const FieldDescriptor* f,
           const Path& path) {
    const FieldDescriptor* key = f->message_type()->map_key();
    const FieldDescriptor* value = f->message_type()->map_value();
    // Entries by key, in key order; a repeated key keeps its last entry,
    // as parsing does.
    std::map<Scalar, std::pair<const Message*, const Message*>> entries;
    const Reflection* ra = a.GetReflection();
    const Reflection* rb = b.GetReflection();
    for (int j = 0; j < ra->FieldSize(a, f); ++j) {
      const Message& e = ra->GetRepeatedMessage(a, f, j);
      entries[ScalarAt(e, key, -1)].first = &e;
    }
    for (int j = 0; j < rb->FieldSize(b, f); ++j) {
      const Message& e = rb->GetRepeatedMessage(b, f, j);
      entries[ScalarAt(e, key, -1)].second = &e;
    }
    for (const auto& [k, pair] : entries) {
      if (Stopped()) return;
      Path entry = path.Index(RenderScalar(key, k, 0));
      if (Ignored(entry)) continue;
      const auto [ea, eb] = pair;
      if (eb == nullptr) {
        Add(entry, DiffKind::kOnlyInPrimary, Render(*ea, value, -1), "");
      } else if (ea == nullptr) {
        Add(entry, DiffKind::kOnlyInShadow, "", Render(*eb, value, -1));
      } else {
        Values(*ea, *eb, value, -1, entry);
      }
    }
  }

  static const Message& SubMessage(const Message& m, const FieldDescriptor* f,
                                   int i) {
    const Reflection* r = m.GetReflection();
    return i < 0 ? r->GetMessage(m, f) : r->GetRepeatedMessage(m, f, i);
  }

  static bool IsLeafMessage(const Descriptor* d) {
    WellKnown k = ClassifyMessage(d);
    return k == WellKnown::kTimestamp || k == WellKnown::kDuration ||
           k == WellKnown::kWrapper;
  }

  bool FloatEqual(double a, double b) const {
    if (a == b) return true;
    if (std::isnan(a) && std::isnan(b)) return true;
    double d = std::fabs(a - b);
    if (d <= options_.float_margin) return true;
    return d <= options_.float_fraction * std::max(std::fabs(a), std::fabs(b));
  }

  bool ScalarEqual(const Scalar& a, const Scalar& b) const {
    if (const double* da = std::get_if<double>(&a)) {
      return FloatEqual(*da, std::get<double>(b));
    }
    return a == b;
  }

  bool LeafEqual(const Message& a, const Message& b) const {
    if (ClassifyMessage(a.GetDescriptor()) == WellKnown::kWrapper) {
      const FieldDescriptor* f = a.GetDescriptor()->field(0);
      return ScalarEqual(ScalarAt(a, f, -1), ScalarAt(b, f, -1));
    }
    return SecondsNanos(a) == SecondsNanos(b);
  }

  size_t max() const { return options_.max_value_chars; }

  std::string RenderMessage(const Message& m) const {
    switch (ClassifyMessage(m.GetDescriptor())) {
      case WellKnown::kTimestamp: {
        auto [s, n] = SecondsNanos(m);
        absl::Time t = absl::FromUnixSeconds(s) + absl::Nanoseconds(n);
        return absl::FormatTime("%Y-%m-%d%ET%H:%M:%E*SZ", t,
                                absl::UTCTimeZone());
      }
      case WellKnown::kDuration: {
        auto [s, n] = SecondsNanos(m);
        return absl::FormatDuration(absl::Seconds(s) + absl::Nanoseconds(n));
      }
      case WellKnown::kWrapper: {
        const FieldDescriptor* f = m.GetDescriptor()->field(0);
        return RenderScalar(f, ScalarAt(m, f, -1), max());
      }
      default:
        return Cut(absl::StrCat("{", m.ShortDebugString(), "}"));
    }
  }

  std::string Render(const Message& m, const FieldDescriptor* f, int i) const {
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      return RenderMessage(SubMessage(m, f, i));
    }
    return RenderScalar(f, ScalarAt(m, f, i), max());
  }

  const DiffOptions& options_;
  const absl::flat_hash_set<std::string> ignore_;
  std::vector<FieldDiff>* out_;
  bool truncated_ = false;
};

}  // namespace

absl::string_view DiffKindName(DiffKind kind) {
  switch (kind) {
    case DiffKind::kChanged:
      return "changed";
    case DiffKind::kOnlyInPrimary:
      return "only in primary";
    case DiffKind::kOnlyInShadow:
      return "only in shadow";
  }
  return "?";
}

std::string FieldDiff::ToString() const {
  std::string where = path.empty() ? "(message)" : path;
  switch (kind) {
    case DiffKind::kChanged:
      return absl::StrCat(where, ": ", primary, " -> ", shadow, " (changed)");
    case DiffKind::kOnlyInPrimary:
      return absl::StrCat(where, ": ", primary, " (only in primary)");
    case DiffKind::kOnlyInShadow:
      return absl::StrCat(where, ": ", shadow, " (only in shadow)");
  }
  return where;
}

std::vector<FieldDiff> DiffMessages(const Message& primary,
                                    const Message& shadow,
                                    const DiffOptions& options,
                                    bool* truncated) {
  std::vector<FieldDiff> out;
  if (truncated != nullptr) *truncated = false;
  if (primary.GetDescriptor() != shadow.GetDescriptor()) {
    out.push_back(FieldDiff{"", DiffKind::kChanged,
                            primary.GetDescriptor()->full_name(),
                            shadow.GetDescriptor()->full_name()});
    return out;
  }
  Walker walker(options, &out);
  walker.Messages(primary, shadow, Path());
  if (truncated != nullptr) *truncated = walker.truncated();
  return out;
}

}  // namespace bridge

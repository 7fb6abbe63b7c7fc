// The one file that touches yaml-cpp. yaml-cpp reports errors by throwing;
// every exception is caught here and becomes an error with its position.
//
// The walk is driven by the message descriptor: each YAML map key must be a
// field of the message at hand, each value must fit the field's type.

#include "yaml-cpp/yaml.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/message.h"
#include "google/protobuf/reflection.h"

#include "gateway/config/duration.h"
#include "gateway/config/internal.h"

namespace gateway::config::internal {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

Position PositionOfMark(const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0) return Position{};
  return Position{mark.line + 1, mark.column + 1};
}

const char* KindName(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Scalar:
      return "a scalar";
    default:
      return "nothing";
  }
}

// What a field of this kind wants, for "expected X" messages.
std::string Wanted(const FieldDescriptor* f) {
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return "a string";
    case FieldDescriptor::CPPTYPE_BOOL:
      return "true or false";
    case FieldDescriptor::CPPTYPE_ENUM:
      return absl::StrCat("one of ", EnumChoices(f->enum_type()));
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (f->message_type()->full_name() == "google.protobuf.Duration") {
        return "a duration such as \"1.5s\"";
      }
      return absl::StrCat("a map of ", f->message_type()->name(), " fields");
    case FieldDescriptor::CPPTYPE_FLOAT:
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return "a number";
    default:
      return "an integer";
  }
}

class Walker {
 public:
  Walker(LoadedConfig* config, ErrorList* errors)
      : config_(config), errors_(errors) {}

  void Root(const YAML::Node& root) {
    if (!root.IsDefined() || root.IsNull()) return;  // empty file
    if (!root.IsMap()) {
      errors_->Add(PositionOfMark(root.Mark()), "",
                   absl::StrCat("the config must be a map of fields "
                                "(listeners:, upstreams:, routes:, ...), "
                                "found ",
                                KindName(root)));
      return;
    }
    MessageFields(root, "", &config_->gateway);
  }

 private:
  void Error(const YAML::Node& at, absl::string_view path,
             absl::string_view what) {
    errors_->Add(PositionOfMark(at.Mark()), path, what);
  }

  void Record(absl::string_view path, const YAML::Node& value,
              const YAML::Node& key) {
    Position pos = PositionOfMark(value.Mark());
    if (!pos.known()) pos = PositionOfMark(key.Mark());
    config_->positions[std::string(path)] = pos;
  }

  // MessageFields walks the fields of map into msg.
  void MessageFields(const YAML::Node& map, const std::string& path,
                     Message* msg) {
    const Descriptor* type = msg->GetDescriptor();
    const Reflection* refl = msg->GetReflection();
    absl::flat_hash_map<std::string, int> seen;  // key -> line
    // The member of each oneof set so far, by oneof index.
    absl::flat_hash_map<int, const FieldDescriptor*> oneof_set;
    for (auto it = map.begin(); it != map.end(); ++it) {
      YAML::Node key = it->first;  // copies: it-> is a temporary proxy
      YAML::Node value = it->second;
      if (!key.IsScalar()) {
        Error(key, path,
              absl::StrCat("a field name must be a plain word, found ",
                           KindName(key)));
        continue;
      }
      const std::string& name = key.Scalar();
      const FieldDescriptor* f = type->FindFieldByName(name);
      if (f == nullptr) {
        Error(key, path,
              absl::StrCat("unknown field ", Quote(name),
                           FieldSuggestion(name, type)));
        continue;
      }
      std::string fpath = Field(path, name);
      auto [prev, fresh] = seen.emplace(name, PositionOfMark(key.Mark()).line);
      if (!fresh) {
        Error(key, fpath,
              absl::StrCat("set twice (also on line ", prev->second,
                           "); keep one"));
        continue;
      }
      if (value.IsNull()) continue;  // null means absent
      if (const auto* oneof = f->containing_oneof()) {
        auto [other, first] = oneof_set.emplace(oneof->index(), f);
        if (!first) {
          Error(key, path,
                absl::StrCat("both ", Quote(other->second->name()), " and ",
                             Quote(name),
                             " are set, but they are "
                             "alternatives (oneof ",
                             oneof->name(), "); keep one"));
          continue;
        }
      }
      Record(fpath, value, key);
      if (f->is_map()) {
        MapField(value, fpath, msg, f);
      } else if (f->is_repeated()) {
        RepeatedField(value, fpath, msg, f);
      } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        SubMessage(value, fpath, refl->MutableMessage(msg, f));
      } else {
        Scalar(value, fpath, msg, f, -1);
      }
    }
  }

  void SubMessage(const YAML::Node& value, const std::string& path,
                  Message* sub) {
    if (sub->GetDescriptor()->full_name() == "google.protobuf.Duration" &&
        value.IsScalar()) {
      absl::StatusOr<google::protobuf::Duration> d =
          ParseDurationProto(value.Scalar());
      if (!d.ok()) {
        Error(value, path, d.status().message());
        return;
      }
      sub->CopyFrom(*d);
      return;
    }
    if (!value.IsMap()) {
      Error(value, path,
            absl::StrCat("expected a map of ", sub->GetDescriptor()->name(),
                         " fields, found ", KindName(value)));
      return;
    }
    MessageFields(value, path, sub);
  }

  void RepeatedField(const YAML::Node& value, const std::string& path,
                     Message* msg, const FieldDescriptor* f) {
    if (!value.IsSequence()) {
      Error(value, path,
            absl::StrCat("expected a list (lines starting with \"- \", or "
                         "[a, b]), found ",
                         KindName(value)));
      return;
    }
    const Reflection* refl = msg->GetReflection();
    int i = 0;
    for (auto it = value.begin(); it != value.end(); ++it, ++i) {
      YAML::Node item = *it;
      std::string ipath = Index(path, i);
      Record(ipath, item, value);
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        Message* sub = refl->AddMessage(msg, f);
        if (item.IsNull()) {
          continue;  // "- " alone: an empty element
        }
        SubMessage(item, ipath, sub);
      } else {
        Scalar(item, ipath, msg, f, i);
      }
    }
  }

  void MapField(const YAML::Node& value, const std::string& path, Message* msg,
                const FieldDescriptor* f) {
    if (!value.IsMap()) {
      Error(value, path,
            absl::StrCat("expected a map (key: value lines), found ",
                         KindName(value)));
      return;
    }
    const Reflection* refl = msg->GetReflection();
    const Descriptor* entry_type = f->message_type();
    const FieldDescriptor* key_field = entry_type->map_key();
    const FieldDescriptor* value_field = entry_type->map_value();
    absl::flat_hash_map<std::string, int> seen;
    for (auto it = value.begin(); it != value.end(); ++it) {
      YAML::Node k = it->first;  // copies: it-> is a temporary proxy
      YAML::Node v = it->second;
      if (!k.IsScalar()) {
        Error(k, path,
              absl::StrCat("a map key must be a scalar, found ", KindName(k)));
        continue;
      }
      std::string kpath = Key(path, k.Scalar());
      auto [prev, fresh] =
          seen.emplace(k.Scalar(), PositionOfMark(k.Mark()).line);
      if (!fresh) {
        Error(k, kpath,
              absl::StrCat("set twice (also on line ", prev->second,
                           "); keep one"));
        continue;
      }
      Record(kpath, v, k);
      Message* entry = refl->AddMessage(msg, f);
      Scalar(k, kpath, entry, key_field, -1);
      if (value_field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        SubMessage(v, kpath,
                   entry->GetReflection()->MutableMessage(entry, value_field));
      } else if (v.IsNull()) {
        Error(k, kpath,
              absl::StrCat("has no value; expected ", Wanted(value_field)));
      } else {
        Scalar(v, kpath, entry, value_field, -1);
      }
    }
  }

  // LooksLikeInteger: digits with an optional sign (too big to parse).
  static bool LooksLikeInteger(absl::string_view s) {
    if (!absl::ConsumePrefix(&s, "-")) absl::ConsumePrefix(&s, "+");
    return !s.empty() && absl::c_all_of(s, absl::ascii_isdigit);
  }

  // Scalar sets field f of msg (appending if index >= 0) from node.
  void Scalar(const YAML::Node& node, const std::string& path, Message* msg,
              const FieldDescriptor* f, int index) {
    if (!node.IsScalar()) {
      Error(node, path,
            absl::StrCat("expected ", Wanted(f), ", found ", KindName(node)));
      return;
    }
    const Reflection* refl = msg->GetReflection();
    const std::string& text = node.Scalar();
    bool repeated = index >= 0;
    auto out_of_range = [&](auto lo, auto hi) {
      Error(node, path,
            absl::StrCat(text, " is out of range for ", f->type_name(), " (",
                         lo, " to ", hi, ")"));
    };
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        repeated ? refl->AddString(msg, f, text)
                 : refl->SetString(msg, f, text);
        return;
      case FieldDescriptor::CPPTYPE_BOOL: {
        std::string lower = absl::AsciiStrToLower(text);
        if (lower != "true" && lower != "false") {
          Error(node, path,
                absl::StrCat(Quote(text),
                             " is not a boolean (write true or false)"));
          return;
        }
        bool b = lower == "true";
        repeated ? refl->AddBool(msg, f, b) : refl->SetBool(msg, f, b);
        return;
      }
      case FieldDescriptor::CPPTYPE_ENUM: {
        const EnumValueDescriptor* v = f->enum_type()->FindValueByName(text);
        if (v == nullptr || absl::EndsWith(v->name(), "_UNSPECIFIED")) {
          std::string upper = absl::AsciiStrToUpper(text);
          const EnumValueDescriptor* up =
              f->enum_type()->FindValueByName(upper);
          std::string hint =
              up != nullptr && upper != text
                  ? absl::StrCat(" (enum names are upper case: ", upper, ")")
                  : "";
          Error(node, path,
                absl::StrCat(Quote(text), " is not one of ",
                             EnumChoices(f->enum_type()), hint));
          return;
        }
        repeated ? refl->AddEnum(msg, f, v) : refl->SetEnum(msg, f, v);
        return;
      }
      case FieldDescriptor::CPPTYPE_INT32:
      case FieldDescriptor::CPPTYPE_INT64: {
        int64_t n;
        if (!absl::SimpleAtoi(text, &n)) {
          if (LooksLikeInteger(text)) {
            out_of_range(std::numeric_limits<int64_t>::min(),
                         std::numeric_limits<int64_t>::max());
          } else {
            Error(node, path, absl::StrCat(Quote(text), " is not an integer"));
          }
          return;
        }
        if (f->cpp_type() == FieldDescriptor::CPPTYPE_INT32) {
          if (n < std::numeric_limits<int32_t>::min() ||
              n > std::numeric_limits<int32_t>::max()) {
            out_of_range(std::numeric_limits<int32_t>::min(),
                         std::numeric_limits<int32_t>::max());
            return;
          }
          auto v = static_cast<int32_t>(n);
          repeated ? refl->AddInt32(msg, f, v) : refl->SetInt32(msg, f, v);
        } else {
          repeated ? refl->AddInt64(msg, f, n) : refl->SetInt64(msg, f, n);
        }
        return;
      }
      case FieldDescriptor::CPPTYPE_UINT32:
      case FieldDescriptor::CPPTYPE_UINT64: {
        uint64_t n;
        bool is_uint32 = f->cpp_type() == FieldDescriptor::CPPTYPE_UINT32;
        uint64_t max = is_uint32 ? std::numeric_limits<uint32_t>::max()
                                 : std::numeric_limits<uint64_t>::max();
        if (!absl::SimpleAtoi(text, &n)) {
          if (LooksLikeInteger(text)) {
            out_of_range(0, max);  // negative, or too big
          } else {
            Error(node, path, absl::StrCat(Quote(text), " is not an integer"));
          }
          return;
        }
        if (n > max) {
          out_of_range(0, max);
          return;
        }
        if (is_uint32) {
          auto v = static_cast<uint32_t>(n);
          repeated ? refl->AddUInt32(msg, f, v) : refl->SetUInt32(msg, f, v);
        } else {
          repeated ? refl->AddUInt64(msg, f, n) : refl->SetUInt64(msg, f, n);
        }
        return;
      }
      case FieldDescriptor::CPPTYPE_FLOAT:
      case FieldDescriptor::CPPTYPE_DOUBLE: {
        double d;
        if (!absl::SimpleAtod(text, &d)) {
          Error(node, path, absl::StrCat(Quote(text), " is not a number"));
          return;
        }
        if (f->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT) {
          auto v = static_cast<float>(d);
          repeated ? refl->AddFloat(msg, f, v) : refl->SetFloat(msg, f, v);
        } else {
          repeated ? refl->AddDouble(msg, f, d) : refl->SetDouble(msg, f, d);
        }
        return;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return;  // handled by the callers
    }
  }

  LoadedConfig* config_;
  ErrorList* errors_;
};

}  // namespace

void ParseYaml(absl::string_view text, LoadedConfig* config,
               ErrorList* errors) {
  try {
    YAML::Node root = YAML::Load(std::string(text));
    Walker(config, errors).Root(root);
  } catch (const YAML::Exception& e) {
    // ParserException and friends: e.msg is the reason, e.mark the place.
    errors->Add(PositionOfMark(e.mark), "",
                absl::StrCat("YAML syntax error: ", e.msg));
  } catch (const std::exception& e) {
    errors->Add(Position{}, "", absl::StrCat("cannot read YAML: ", e.what()));
  }
}

}  // namespace gateway::config::internal

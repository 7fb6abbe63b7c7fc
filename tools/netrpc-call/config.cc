// The one file of netrpc-call that touches yaml-cpp; its exceptions stop here.
#include "tools/netrpc-call/config.h"

#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "proto/config/v1/gateway.pb.h"
#include "yaml-cpp/yaml.h"

namespace netrpc_call {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

std::string Quote(absl::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out.push_back(c);
        }
    }
  }
  out += "\"";
  return out;
}

// ToJson writes a YAML node as protobuf JSON for a field of `field`'s type
// (or a message of type `message` when field is null): numbers quoted (the
// JSON parser takes them so), Go-style durations as seconds.
absl::Status ToJson(const YAML::Node& node, const Descriptor* message,
                    const FieldDescriptor* field, bool element,
                    const std::string& path, std::string* out) {
  if (node.IsNull()) {
    *out += "null";
    return absl::OkStatus();
  }
  if (field != nullptr && field->is_repeated() && !element &&
      !field->is_map()) {
    if (!node.IsSequence()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": expected a list"));
    }
    *out += "[";
    for (size_t i = 0; i < node.size(); ++i) {
      if (i > 0) *out += ",";
      absl::Status s = ToJson(node[i], nullptr, field, true,
                              absl::StrCat(path, "[", i, "]"), out);
      if (!s.ok()) return s;
    }
    *out += "]";
    return absl::OkStatus();
  }
  if (field != nullptr && field->is_map()) {
    if (!node.IsMap()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": expected a map"));
    }
    const FieldDescriptor* value_field = field->message_type()->map_value();
    *out += "{";
    bool first = true;
    for (const auto& kv : node) {
      if (!first) *out += ",";
      first = false;
      std::string key = kv.first.as<std::string>();
      *out += Quote(key) + ":";
      absl::Status s = ToJson(kv.second, nullptr, value_field, true,
                              absl::StrCat(path, "[\"", key, "\"]"), out);
      if (!s.ok()) return s;
    }
    *out += "}";
    return absl::OkStatus();
  }
  if (field != nullptr &&
      field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
    if (!node.IsScalar()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": expected a scalar"));
    }
    std::string v = node.Scalar();
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_BOOL) {
      std::string lower = absl::AsciiStrToLower(v);
      if (lower != "true" && lower != "false") {
        return absl::InvalidArgumentError(
            absl::StrCat(path, ": expected true or false, not ", v));
      }
      *out += lower;
    } else {
      *out += Quote(v);
    }
    return absl::OkStatus();
  }
  if (message == nullptr) message = field->message_type();
  if (message->full_name() == "google.protobuf.Duration") {
    absl::Duration d;
    if (!node.IsScalar() || !absl::ParseDuration(node.Scalar(), &d)) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": expected a duration such as \"1.5s\" or \"300ms\""));
    }
    *out += Quote(absl::StrCat(absl::FDivDuration(d, absl::Seconds(1)), "s"));
    return absl::OkStatus();
  }
  if (!node.IsMap()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": expected a map"));
  }
  *out += "{";
  bool first = true;
  for (const auto& kv : node) {
    std::string key = kv.first.as<std::string>();
    const FieldDescriptor* f = message->FindFieldByName(key);
    if (f == nullptr) f = message->FindFieldByCamelcaseName(key);
    if (f == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          path.empty() ? "" : path + ": ", "unknown field \"", key, "\" of ",
          message->full_name()));
    }
    if (!first) *out += ",";
    first = false;
    *out += Quote(key) + ":";
    absl::Status s =
        ToJson(kv.second, nullptr, f, false,
               path.empty() ? key : absl::StrCat(path, ".", key), out);
    if (!s.ok()) return s;
  }
  *out += "}";
  return absl::OkStatus();
}

bool LooksLikeGateway(const YAML::Node& root) {
  if (!root.IsMap()) return false;
  for (const auto& kv : root) {
    std::string key = kv.first.as<std::string>();
    if (key == "bridge" || key == "routes" || key == "schemas" ||
        key == "listeners" || key == "upstreams") {
      return true;
    }
  }
  return false;
}

absl::Status ParseYaml(const std::string& text, const std::string& path,
                       netrpc::config::v1::Gateway* gateway,
                       netrpc::config::v1::Bridge* bridge, bool* is_gateway) {
  try {
    YAML::Node root = YAML::Load(text);
    if (!root.IsMap()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": expected a map at the top"));
    }
    *is_gateway = LooksLikeGateway(root);
    google::protobuf::Message* msg =
        *is_gateway ? static_cast<google::protobuf::Message*>(gateway)
                    : static_cast<google::protobuf::Message*>(bridge);
    std::string json;
    absl::Status s = ToJson(root, msg->GetDescriptor(), nullptr, false, "", &json);
    if (!s.ok()) return absl::InvalidArgumentError(absl::StrCat(path, ": ", s.message()));
    google::protobuf::util::Status ps =
        google::protobuf::util::JsonStringToMessage(json, msg);
    if (!ps.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": ", std::string(ps.message())));
    }
    return absl::OkStatus();
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", e.what()));
  }
}

std::string DirOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return "";
  return path.substr(0, slash + 1);
}

}  // namespace

absl::StatusOr<CallConfig> LoadCallConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read the config file ", path));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();

  netrpc::config::v1::Gateway gateway;
  CallConfig out;
  bool is_gateway = false;
  if (absl::EndsWith(path, ".textproto") || absl::EndsWith(path, ".txtpb") ||
      absl::EndsWith(path, ".pbtxt")) {
    if (google::protobuf::TextFormat::ParseFromString(text, &out.bridge)) {
      is_gateway = false;
    } else if (google::protobuf::TextFormat::ParseFromString(text, &gateway)) {
      is_gateway = true;
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": neither a netrpc.config.v1.Bridge nor a "
          "netrpc.config.v1.Gateway in text format (run protoc --decode or "
          "check the field names)"));
    }
  } else if (absl::EndsWith(path, ".yaml") || absl::EndsWith(path, ".yml") ||
             absl::EndsWith(path, ".json")) {
    absl::Status s = ParseYaml(text, path, &gateway, &out.bridge, &is_gateway);
    if (!s.ok()) return s;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": unknown config format; name it .yaml, .yml, .json, "
        ".textproto, .txtpb or .pbtxt"));
  }
  if (is_gateway) {
    out.bridge = gateway.bridge();
    out.bridge.clear_services();
    for (const auto& route : gateway.routes()) {
      netrpc::config::v1::Service* svc = out.bridge.add_services();
      svc->set_name(route.service());
      svc->set_grpc_service(route.grpc_service());
      *svc->mutable_methods() = route.methods();
      if (route.has_timeout()) *svc->mutable_timeout() = route.timeout();
      *svc->mutable_metadata() = route.metadata();
    }
    for (const auto& schema : gateway.schemas()) {
      if (schema.descriptor_set().empty()) continue;
      const std::string& f = schema.descriptor_set();
      out.descriptor_sets.push_back(
          !f.empty() && f[0] == '/' ? f : DirOf(path) + f);
    }
  }
  return out;
}

}  // namespace netrpc_call

#include "gateway/config/validate.h"

#include <sys/stat.h>

#include <string>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

#include "bridge/grpc/status.h"
#include "gateway/config/defaults.h"
#include "gateway/config/duration.h"
#include "gateway/config/internal.h"
#include "re2/re2.h"

namespace gateway::config {

using internal::Field;
using internal::Index;
using internal::Key;
using internal::Quote;
using netrpc::config::v1::Gateway;
using netrpc::config::v1::Listener;
using netrpc::config::v1::Route;
using netrpc::config::v1::Upstream;

absl::StatusOr<HostPort> SplitHostPort(absl::string_view address) {
  HostPort out;
  absl::string_view port;
  if (absl::StartsWith(address, "[")) {
    size_t end = address.find(']');
    if (end == absl::string_view::npos) {
      return absl::InvalidArgumentError("missing \"]\" after the IPv6 address");
    }
    out.host = std::string(address.substr(1, end - 1));
    absl::string_view rest = address.substr(end + 1);
    if (!absl::ConsumePrefix(&rest, ":")) {
      return absl::InvalidArgumentError("missing \":port\" after \"]\"");
    }
    port = rest;
  } else {
    size_t colon = address.rfind(':');
    if (colon == absl::string_view::npos) {
      return absl::InvalidArgumentError("missing port");
    }
    out.host = std::string(address.substr(0, colon));
    if (absl::StrContains(out.host, ':')) {
      return absl::InvalidArgumentError(
          "an IPv6 address goes in brackets, e.g. \"[::1]:1234\"");
    }
    if (absl::StrContains(out.host, '[') || absl::StrContains(out.host, ']')) {
      return absl::InvalidArgumentError("unexpected bracket in the host");
    }
    port = address.substr(colon + 1);
  }
  uint32_t n = 0;
  if (port.empty() || !absl::c_all_of(port, absl::ascii_isdigit) ||
      !absl::SimpleAtoi(port, &n)) {
    return absl::InvalidArgumentError(
        absl::StrCat("port ", Quote(port), " is not a number"));
  }
  if (n > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("port ", n, " is out of range (0-65535)"));
  }
  if (absl::c_any_of(out.host, [](char c) {
        return absl::ascii_isspace(c) || absl::ascii_iscntrl(c) || c == '/';
      })) {
    return absl::InvalidArgumentError("the host has a space or a \"/\"");
  }
  out.port = static_cast<uint16_t>(n);
  return out;
}

namespace {

bool IsIdentifier(absl::string_view s) {
  if (s.empty() || absl::ascii_isdigit(s[0])) return false;
  return absl::c_all_of(
      s, [](char c) { return absl::ascii_isalnum(c) || c == '_'; });
}

bool IsDottedName(absl::string_view name) {
  if (name.empty()) return false;
  for (absl::string_view part : absl::StrSplit(name, '.')) {
    if (!IsIdentifier(part)) return false;
  }
  return true;
}

}  // namespace

bool IsNetRpcServiceName(absl::string_view name) { return IsDottedName(name); }

namespace {

class Validator {
 public:
  explicit Validator(const LoadedConfig& config)
      : config_(config), g_(config.gateway) {}

  absl::Status Run() {
    Listeners();
    Upstreams();
    Routes();
    Schemas();
    Bridge();
    Rest();
    return errors_.ToStatus(config_.file);
  }

 private:
  void Error(absl::string_view path, absl::string_view what) {
    errors_.AddAt(config_, path, what);
  }

  // Address checks a host:port. need_host: a dial target (host required,
  // port 0 refused) rather than a listen address.
  void Address(const std::string& path, const std::string& address,
               bool need_host) {
    if (address.empty()) {
      Error(path, "missing; write host:port, e.g. \"127.0.0.1:1234\"");
      return;
    }
    absl::StatusOr<HostPort> hp = SplitHostPort(address);
    if (!hp.ok()) {
      Error(path, absl::StrCat(Quote(address), " is not host:port (",
                               hp.status().message(),
                               "; write e.g. \"127.0.0.1:1234\")"));
      return;
    }
    if (need_host && (hp->host.empty() || hp->port == 0)) {
      Error(path, absl::StrCat(Quote(address),
                               " needs a host and a port other than 0 to "
                               "dial, e.g. \"10.0.0.1:1234\""));
    }
  }

  void PositiveDuration(const std::string& path, bool has,
                        const google::protobuf::Duration& d) {
    if (!has) return;
    if (ToAbsl(d) <= absl::ZeroDuration()) {
      Error(path, absl::StrCat("must be positive (got ", FormatDurationProto(d),
                               ")"));
    }
  }

  void NotNegative(const std::string& path, int64_t v,
                   absl::string_view zero_means) {
    if (v < 0) {
      Error(path, absl::StrCat("must not be negative (got ", v, "; 0 means ",
                               zero_means, ")"));
    }
  }

  void UrlPath(const std::string& path, const std::string& value) {
    if (!value.empty() && value[0] != '/') {
      Error(path, absl::StrCat(Quote(value), " must start with \"/\""));
    }
  }

  void FileExists(const std::string& path, const std::string& file) {
    if (file.empty()) return;
    auto written = config_.written_files.find(path);
    std::string shown = Quote(file);
    if (written != config_.written_files.end() && written->second != file) {
      shown = absl::StrCat(Quote(written->second), " (", file, ")");
    }
    struct stat st;
    if (stat(file.c_str(), &st) != 0) {
      Error(path, absl::StrCat(shown,
                               " does not exist; relative names are "
                               "resolved against the config file's "
                               "directory"));
    } else if (S_ISDIR(st.st_mode)) {
      Error(path, absl::StrCat(shown, " is a directory, not a file"));
    }
  }

  // Unique records name at path in seen, reporting a duplicate.
  void Unique(absl::flat_hash_map<std::string, std::string>* seen,
              const std::string& path, const std::string& name,
              absl::string_view what) {
    auto [it, fresh] = seen->emplace(name, path);
    if (!fresh) {
      Error(path, absl::StrCat(Quote(name), " is also the ", what, " of ",
                               it->second, "; each must be unique"));
    }
  }

  // UpstreamRef checks that path names a known upstream.
  const Upstream* UpstreamRef(const std::string& path,
                              const std::string& name) {
    if (name.empty()) {
      Error(path, "missing; name one of the upstreams");
      return nullptr;
    }
    auto it = upstreams_.find(name);
    if (it != upstreams_.end()) return it->second;
    std::string known =
        upstream_names_.empty()
            ? "there are no upstreams"
            : absl::StrCat("upstreams: ", absl::StrJoin(upstream_names_, ", "));
    Error(path,
          absl::StrCat("no upstream named ", Quote(name), " (", known, ")"));
    return nullptr;
  }

  void Listeners() {
    if (g_.listeners_size() == 0) {
      Error("listeners",
            "none; add at least one, e.g. {name: legacy, address: "
            "\"127.0.0.1:1234\", protocol: NETRPC}");
    }
    absl::flat_hash_map<std::string, std::string> names;
    for (int i = 0; i < g_.listeners_size(); ++i) {
      const Listener& l = g_.listeners(i);
      std::string p = Index("listeners", i);
      if (l.name().empty()) {
        Error(Field(p, "name"),
              "missing; every listener needs a name (logs and metrics use "
              "it)");
      } else {
        Unique(&names, Field(p, "name"), l.name(), "name");
      }
      Address(Field(p, "address"), l.address(), false);
      std::string choices =
          internal::EnumChoices(Listener::Protocol_descriptor());
      if (l.protocol() == Listener::PROTOCOL_UNSPECIFIED) {
        Error(Field(p, "protocol"),
              absl::StrCat("missing; set one of ", choices));
      } else if (!Listener::Protocol_IsValid(l.protocol())) {
        // Textproto accepts numbers for enums.
        Error(Field(p, "protocol"),
              absl::StrCat(l.protocol(), " is not one of ", choices));
      }
      UrlPath(Field(p, "rpc_path"), l.rpc_path());
      UrlPath(Field(p, "debug_path"), l.debug_path());
    }
  }

  void Upstreams() {
    absl::flat_hash_map<std::string, std::string> names;
    for (int i = 0; i < g_.upstreams_size(); ++i) {
      const Upstream& u = g_.upstreams(i);
      std::string p = Index("upstreams", i);
      if (u.name().empty()) {
        Error(Field(p, "name"), "missing; routes refer to upstreams by name");
      } else {
        if (!upstreams_.contains(u.name())) {
          upstream_names_.push_back(u.name());
        }
        upstreams_.emplace(u.name(), &u);
        Unique(&names, Field(p, "name"), u.name(), "name");
      }
      switch (u.kind_case()) {
        case Upstream::kGrpc:
          Grpc(Field(p, "grpc"), u.grpc());
          break;
        case Upstream::kNetrpc:
          NetRpc(Field(p, "netrpc"), u.netrpc());
          break;
        case Upstream::KIND_NOT_SET:
          Error(p, "set one of grpc or netrpc: the kind of backend");
          break;
      }
    }
  }

  void Grpc(const std::string& p, const netrpc::config::v1::GrpcUpstream& g) {
    if (g.target().empty()) {
      Error(
          Field(p, "target"),
          "missing; write a gRPC target, e.g. \"dns:///arith.internal:50051\"");
    }
    const std::string& lb = g.lb_policy();
    if (!lb.empty() && lb != "pick_first" && lb != "round_robin") {
      Error(Field(p, "lb_policy"),
            absl::StrCat(
                Quote(lb), " is not one of pick_first, round_robin",
                internal::Suggestion(lb, {"pick_first", "round_robin"})));
    }
    if (g.client() == netrpc::config::v1::GrpcUpstream::CLIENT_H2) {
      std::string misfit = H2ClientMisfit(g);
      if (!misfit.empty()) {
        Error(Field(p, "client"),
              absl::StrCat("CLIENT_H2 cannot call this upstream: ", misfit,
                           "; remove client (CLIENT_AUTO picks) or write "
                           "CLIENT_GRPC"));
      }
    }
    if (!g.has_tls()) return;
    std::string t = Field(p, "tls");
    const auto& tls = g.tls();
    if (tls.cert_file().empty() != tls.key_file().empty()) {
      Error(t, absl::StrCat(tls.cert_file().empty() ? "key_file" : "cert_file",
                            " is set without ",
                            tls.cert_file().empty() ? "cert_file" : "key_file",
                            "; a client certificate needs both (or neither, "
                            "for TLS without one)"));
    }
    FileExists(Field(t, "ca_file"), tls.ca_file());
    FileExists(Field(t, "cert_file"), tls.cert_file());
    FileExists(Field(t, "key_file"), tls.key_file());
  }

  void NetRpc(const std::string& p,
              const netrpc::config::v1::NetRpcUpstream& n) {
    if (n.addresses_size() == 0) {
      Error(Field(p, "addresses"),
            "none; list the servers' host:port, e.g. [\"10.0.0.1:1234\"]");
    }
    for (int i = 0; i < n.addresses_size(); ++i) {
      Address(Index(Field(p, "addresses"), i), n.addresses(i), true);
    }
    UrlPath(Field(p, "http_path"), n.http_path());
    NotNegative(Field(p, "connections"), n.connections(),
                absl::StrCat("the default, ", kDefaultConnections));
    PositiveDuration(Field(p, "health_check_interval"),
                     n.has_health_check_interval(), n.health_check_interval());
    PositiveDuration(Field(p, "redial_backoff"), n.has_redial_backoff(),
                     n.redial_backoff());
    const std::string& m = n.health_check_method();
    size_t dot = m.rfind('.');
    if (!m.empty() &&
        (dot == std::string::npos || !IsNetRpcServiceName(m.substr(0, dot)) ||
         !IsIdentifier(m.substr(dot + 1)))) {
      Error(Field(p, "health_check_method"),
            absl::StrCat(Quote(m),
                         " is not \"Service.Method\", e.g. "
                         "\"Health.Check\""));
    }
  }

  void Routes() {
    absl::flat_hash_map<std::string, std::string> services;
    for (int i = 0; i < g_.routes_size(); ++i) {
      const Route& r = g_.routes(i);
      std::string p = Index("routes", i);
      if (r.service().empty()) {
        Error(Field(p, "service"),
              "missing; give the net/rpc service name, e.g. Arith");
      } else if (!IsNetRpcServiceName(r.service())) {
        Error(Field(p, "service"),
              absl::StrCat(Quote(r.service()),
                           " is not a net/rpc service name (dot-separated "
                           "identifiers, e.g. Arith or net.rpc.Arith)"));
      } else {
        Unique(&services, Field(p, "service"), r.service(), "service");
      }
      if (r.grpc_service().empty()) {
        if (g_.bridge().package().empty()) {
          Error(Field(p, "grpc_service"),
                "missing, and there is no bridge.package to derive it from; "
                "set grpc_service (e.g. \"demo.v1.Arith\") or bridge.package");
        }
      } else if (!IsDottedName(r.grpc_service())) {
        Error(Field(p, "grpc_service"),
              absl::StrCat(Quote(r.grpc_service()),
                           " is not a full gRPC service name, e.g. "
                           "\"demo.v1.Arith\""));
      }
      Targets(p, r);
      if (r.mirror_sample_percent() < 0 || r.mirror_sample_percent() > 100) {
        Error(Field(p, "mirror_sample_percent"),
              absl::StrCat("must be 0-100 (got ", r.mirror_sample_percent(),
                           ")"));
      } else if (r.mirror_sample_percent() != 0 && r.shadow().empty()) {
        Error(Field(p, "mirror_sample_percent"),
              "is set, but the route has no shadow to copy calls to");
      }
      NotNegative(Field(p, "max_concurrent_calls"), r.max_concurrent_calls(),
                  "unlimited");
      PositiveDuration(Field(p, "timeout"), r.has_timeout(), r.timeout());
      absl::flat_hash_map<std::string, std::string> methods;
      for (int j = 0; j < r.methods_size(); ++j) {
        const auto& m = r.methods(j);
        std::string mp = Index(Field(p, "methods"), j);
        if (m.name().empty()) {
          Error(Field(mp, "name"),
                "missing; give the net/rpc method name, e.g. Multiply");
        } else if (!IsIdentifier(m.name())) {
          Error(Field(mp, "name"),
                absl::StrCat(Quote(m.name()), " is not a method name"));
        } else {
          Unique(&methods, Field(mp, "name"), m.name(), "name");
        }
        if (!m.grpc_method().empty() && !IsIdentifier(m.grpc_method())) {
          Error(Field(mp, "grpc_method"),
                absl::StrCat(Quote(m.grpc_method()), " is not a method name"));
        }
        PositiveDuration(Field(mp, "timeout"), m.has_timeout(), m.timeout());
      }
      for (const auto& [k, v] : r.metadata()) {
        Metadata(Key(Field(p, "metadata"), k), k, v);
      }
    }
  }

  // Targets checks upstream, split and shadow of route r at p.
  void Targets(const std::string& p, const Route& r) {
    std::vector<std::string> primaries;
    if (!r.upstream().empty() && r.split_size() > 0) {
      Error(p,
            "both upstream and split are set; keep one (split replaces "
            "upstream)");
    } else if (r.upstream().empty() && r.split_size() == 0) {
      Error(Field(p, "upstream"),
            "missing; name the upstream that serves this service (or give "
            "a split)");
    }
    if (!r.upstream().empty()) {
      UpstreamRef(Field(p, "upstream"), r.upstream());
      primaries.push_back(r.upstream());
    }
    if (r.split_size() > 0) {
      absl::flat_hash_map<std::string, std::string> arms;
      bool any_weight = false;
      for (int j = 0; j < r.split_size(); ++j) {
        const auto& arm = r.split(j);
        std::string ap = Index(Field(p, "split"), j);
        if (UpstreamRef(Field(ap, "upstream"), arm.upstream()) != nullptr) {
          Unique(&arms, Field(ap, "upstream"), arm.upstream(), "upstream");
        }
        primaries.push_back(arm.upstream());
        if (arm.weight() > 0) any_weight = true;
      }
      if (!any_weight) {
        Error(Field(p, "split"),
              "every weight is 0; give at least one arm a weight above 0");
      }
    }
    if (!r.shadow().empty()) {
      std::string sp = Field(p, "shadow");
      if (UpstreamRef(sp, r.shadow()) != nullptr) {
        for (const std::string& primary : primaries) {
          if (primary == r.shadow()) {
            Error(sp, absl::StrCat(Quote(r.shadow()),
                                   " also answers the route's calls; a "
                                   "shadow must be a different upstream"));
            break;
          }
        }
      }
    }
  }

  void Metadata(const std::string& path, const std::string& key,
                const std::string& value) {
    bool key_ok = !key.empty() && absl::c_all_of(key, [](char c) {
      return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-' ||
             c == '_' || c == '.';
    });
    if (!key_ok) {
      Error(path,
            "a metadata key is lower case letters, digits, \"-\", \"_\" and "
            "\".\" (gRPC's rule)");
      return;
    }
    if (absl::StartsWith(key, "grpc-")) {
      Error(path, "keys starting with \"grpc-\" are reserved for gRPC");
      return;
    }
    if (!absl::EndsWith(key, "-bin") &&
        !absl::c_all_of(value, [](char c) { return c >= 0x20 && c < 0x7f; })) {
      Error(path,
            "the value must be printable ASCII (or name the key ...-bin for "
            "binary values)");
    }
  }

  void Schemas() {
    if (g_.schemas_size() == 0 && g_.routes_size() > 0) {
      Error("schemas",
            "none, but routes need their services' descriptors; add "
            "{descriptor_set: FILE} or {reflection: UPSTREAM}");
    }
    for (int i = 0; i < g_.schemas_size(); ++i) {
      const auto& s = g_.schemas(i);
      std::string p = Index("schemas", i);
      switch (s.source_case()) {
        case netrpc::config::v1::SchemaSource::kDescriptorSet:
          if (s.descriptor_set().empty()) {
            Error(Field(p, "descriptor_set"),
                  "empty; name a FileDescriptorSet file (protoc "
                  "--include_imports --descriptor_set_out=FILE)");
          } else {
            FileExists(Field(p, "descriptor_set"), s.descriptor_set());
          }
          break;
        case netrpc::config::v1::SchemaSource::kReflection: {
          std::string rp = Field(p, "reflection");
          const Upstream* u = UpstreamRef(rp, s.reflection());
          if (u != nullptr && !u->has_grpc()) {
            Error(rp, absl::StrCat("upstream ", Quote(s.reflection()),
                                   " is not a gRPC upstream; server "
                                   "reflection needs one"));
          }
          break;
        }
        case netrpc::config::v1::SchemaSource::SOURCE_NOT_SET:
          Error(p, "set descriptor_set or reflection");
          break;
      }
    }
  }

  void Bridge() {
    const auto& b = g_.bridge();
    if (b.services_size() > 0) {
      Error("bridge.services",
            "not used in the gateway config; use routes (one route per "
            "service)");
    }
    if (!b.package().empty() && !IsDottedName(b.package())) {
      Error("bridge.package",
            absl::StrCat(Quote(b.package()),
                         " is not a proto package name, e.g. \"demo.v1\""));
    }
    if (!netrpc::config::v1::UnknownFieldPolicy_IsValid(b.unknown_fields())) {
      Error("bridge.unknown_fields",
            absl::StrCat(
                b.unknown_fields(), " is not one of ",
                internal::EnumChoices(
                    netrpc::config::v1::UnknownFieldPolicy_descriptor())));
    }
    PositiveDuration("bridge.default_timeout", b.has_default_timeout(),
                     b.default_timeout());
    for (int i = 0; i < b.error_rules_size(); ++i) {
      const auto& rule = b.error_rules(i);
      std::string p = Index("bridge.error_rules", i);
      if (rule.match_case() == netrpc::config::v1::ErrorRule::MATCH_NOT_SET) {
        Error(p, "set prefix or regex: the error texts the rule matches");
      } else if (rule.match_case() == netrpc::config::v1::ErrorRule::kRegex) {
        RE2 re(rule.regex(), RE2::Quiet);
        if (!re.ok()) {
          Error(Field(p, "regex"),
                absl::StrCat(Quote(rule.regex()),
                             " is not a valid RE2 expression: ", re.error()));
        }
      }
      // Any gRPC code name but OK, which is no error's code.
      std::vector<std::string> codes(bridge::CodeNames().begin() + 1,
                                     bridge::CodeNames().end());
      if (rule.code().empty()) {
        Error(Field(p, "code"),
              "missing; give a gRPC status code name, e.g. NOT_FOUND");
      } else if (!absl::c_linear_search(codes, rule.code())) {
        Error(Field(p, "code"),
              absl::StrCat(Quote(rule.code()),
                           " is not a gRPC status code name other than OK",
                           internal::Suggestion(rule.code(), codes)));
      }
    }
    for (int i = 0; i < b.field_names_size(); ++i) {
      const auto& f = b.field_names(i);
      std::string p = Index("bridge.field_names", i);
      if (f.message().empty() || f.field().empty() || f.go_name().empty()) {
        Error(p, "give all of message, field and go_name");
      }
    }
  }

  void Rest() {
    if (g_.has_admin()) {
      Address("admin.address", g_.admin().address(), false);
    }
    const auto& l = g_.limits();
    NotNegative("limits.max_message_bytes", l.max_message_bytes(),
                absl::StrCat("the default, ", kDefaultMaxMessageBytes));
    NotNegative(
        "limits.max_concurrent_calls_per_connection",
        l.max_concurrent_calls_per_connection(),
        absl::StrCat("the default, ", kDefaultMaxConcurrentCallsPerConnection));
    NotNegative("limits.max_concurrent_calls", l.max_concurrent_calls(),
                absl::StrCat("the default, ", kDefaultMaxConcurrentCalls));
    PositiveDuration("drain_timeout", g_.has_drain_timeout(),
                     g_.drain_timeout());
  }

  const LoadedConfig& config_;
  const Gateway& g_;
  internal::ErrorList errors_;
  absl::flat_hash_map<std::string, const Upstream*> upstreams_;
  std::vector<std::string> upstream_names_;
};

}  // namespace

absl::Status Validate(const LoadedConfig& config) {
  return Validator(config).Run();
}

absl::Status CiteBridgeError(const LoadedConfig& config,
                             const absl::Status& status) {
  absl::string_view msg = status.message();
  if (status.ok() || !absl::ConsumePrefix(&msg, "bridge: ")) return status;
  std::string path;
  std::string rest;
  if (absl::StartsWith(msg, "route ")) {
    // "route Arith.Multiply -> /demo.v1.Arith/Multiply: why"
    absl::string_view name = msg.substr(6);
    name = name.substr(0, name.find(" -> "));
    name = name.substr(0, name.rfind('.'));
    const auto& routes = config.gateway.routes();
    for (int i = 0; i < routes.size(); ++i) {
      if (routes[i].service() == name) path = Index("routes", i);
    }
    if (path.empty()) return status;
    rest = absl::StrCat(": ", msg);
  } else {
    size_t end = msg.find_first_not_of(
        "abcdefghijklmnopqrstuvwxyz"
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.[]");
    if (end == absl::string_view::npos) end = msg.size();
    absl::string_view p = msg.substr(0, end);
    rest = std::string(msg.substr(end));
    if (absl::ConsumePrefix(&p, "services[")) {
      path = absl::StrCat("routes[", p);
      // A Service's name is the route's service.
      if (absl::EndsWith(path, "].name") && path.find('.') == path.size() - 5) {
        path.replace(path.size() - 4, 4, "service");
      }
    } else if (!p.empty()) {
      path = absl::StrCat("bridge.", p);
    } else {
      return status;
    }
  }
  return absl::Status(status.code(), absl::StrCat(config.Where(path), rest));
}

absl::StatusOr<LoadedConfig> LoadAndValidate(absl::string_view path) {
  absl::StatusOr<LoadedConfig> config = LoadConfigFile(path);
  if (!config.ok()) return config.status();
  absl::Status valid = Validate(*config);
  if (!valid.ok()) return valid;
  ApplyDefaults(&config->gateway);
  return config;
}

}  // namespace gateway::config

#include "bridge/routes.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "proto/options/v1/netrpc.pb.h"

namespace bridge {
namespace {

using ::google::protobuf::MethodDescriptor;
using ::google::protobuf::ServiceDescriptor;

absl::Duration FromProto(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

std::string MethodNames(const ServiceDescriptor* service) {
  std::vector<std::string> names;
  for (int i = 0; i < service->method_count(); ++i) {
    names.push_back(service->method(i)->name());
  }
  std::sort(names.begin(), names.end());
  return absl::StrJoin(names, ", ");
}

bool IsUnary(const MethodDescriptor* m) {
  return !m->client_streaming() && !m->server_streaming();
}

}  // namespace

absl::StatusOr<std::shared_ptr<const RouteTable>> RouteTable::Build(
    const netrpc::config::v1::Bridge& config,
    std::shared_ptr<const Schema> schema) {
  std::shared_ptr<RouteTable> table(new RouteTable());
  table->schema_ = schema;

  absl::Duration default_timeout =
      config.has_default_timeout() ? FromProto(config.default_timeout())
                                   : kDefaultTimeout;
  if (default_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "bridge: default_timeout must be positive");
  }

  for (int si = 0; si < config.services_size(); ++si) {
    const auto& svc = config.services(si);
    std::string where = absl::StrCat("services[", si, "]");
    if (svc.name().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("bridge: ", where, ".name is empty; give the net/rpc "
                                          "service name, e.g. Arith"));
    }
    std::string grpc_name = svc.grpc_service();
    if (grpc_name.empty()) {
      grpc_name = config.package().empty()
                      ? svc.name()
                      : absl::StrCat(config.package(), ".", svc.name());
    }
    absl::StatusOr<const ServiceDescriptor*> service =
        schema->FindService(grpc_name);
    if (!service.ok()) {
      // FindService's message already starts with "bridge: ".
      absl::string_view why = service.status().message();
      absl::ConsumePrefix(&why, "bridge: ");
      return absl::NotFoundError(
          absl::StrCat("bridge: ", where, " (", svc.name(), "): ", why));
    }
    absl::Duration service_timeout =
        svc.has_timeout() ? FromProto(svc.timeout()) : default_timeout;
    std::vector<std::pair<std::string, std::string>> metadata(
        svc.metadata().begin(), svc.metadata().end());
    std::sort(metadata.begin(), metadata.end());

    // Overrides by gRPC method name.
    absl::flat_hash_map<std::string, int> overrides;
    for (int mi = 0; mi < svc.methods_size(); ++mi) {
      const auto& m = svc.methods(mi);
      std::string mwhere = absl::StrCat(where, ".methods[", mi, "]");
      if (m.name().empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("bridge: ", mwhere, ".name is empty"));
      }
      std::string grpc_method = m.grpc_method().empty() ? m.name() : m.grpc_method();
      const MethodDescriptor* md = (*service)->FindMethodByName(grpc_method);
      if (md == nullptr) {
        return absl::NotFoundError(absl::StrCat(
            "bridge: ", mwhere, ": ", grpc_name, " has no method ", grpc_method,
            " (it has: ", MethodNames(*service), ")"));
      }
      if (!IsUnary(md)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "bridge: ", mwhere, ": ", md->full_name(),
            " is a streaming method; net/rpc calls map only to unary ones"));
      }
      if (!overrides.emplace(grpc_method, mi).second) {
        return absl::InvalidArgumentError(absl::StrCat(
            "bridge: ", mwhere, ": ", grpc_method, " is mapped twice"));
      }
    }

    for (int i = 0; i < (*service)->method_count(); ++i) {
      const MethodDescriptor* md = (*service)->method(i);
      if (!IsUnary(md)) continue;  // not reachable from net/rpc
      Route route;
      route.netrpc_service = svc.name();
      route.method = md;
      route.path = MethodPath(*md);
      route.timeout = service_timeout;
      route.metadata = metadata;
      route.netrpc_method = md->name();
      const std::string& option =
          md->options().GetExtension(netrpc::options::v1::netrpc_method);
      if (!option.empty()) route.netrpc_method = option;
      auto o = overrides.find(md->name());
      if (o != overrides.end()) {
        const auto& m = svc.methods(o->second);
        route.netrpc_method = m.name();
        if (m.has_timeout()) route.timeout = FromProto(m.timeout());
      }
      if (route.timeout <= absl::ZeroDuration()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "bridge: ", where, ": the timeout of ", route.netrpc_name(),
            " must be positive"));
      }
      size_t index = table->routes_.size();
      if (!table->by_netrpc_.emplace(route.netrpc_name(), index).second) {
        return absl::InvalidArgumentError(absl::StrCat(
            "bridge: ", where, ": net/rpc method ", route.netrpc_name(),
            " is mapped twice"));
      }
      if (!table->by_path_.emplace(route.path, index).second) {
        return absl::InvalidArgumentError(absl::StrCat(
            "bridge: ", where, ": gRPC method ", route.path,
            " is bridged from two net/rpc services"));
      }
      table->routes_.push_back(std::move(route));
    }
  }
  return std::shared_ptr<const RouteTable>(std::move(table));
}

const Route* RouteTable::ByNetRpc(absl::string_view service_method) const {
  auto it = by_netrpc_.find(service_method);
  return it == by_netrpc_.end() ? nullptr : &routes_[it->second];
}

const Route* RouteTable::ByPath(absl::string_view path) const {
  auto it = by_path_.find(path);
  return it == by_path_.end() ? nullptr : &routes_[it->second];
}

}  // namespace bridge

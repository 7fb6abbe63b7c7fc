// File: routes.h
//
// RouteTable maps net/rpc "Service.Method" names to gRPC methods and back,
// from the bridge config and a Schema. By default a configured service maps
// every unary method of its gRPC service under the same name; the config
// (or the rpc option netrpc.options.v1.netrpc_method) renames single methods.
//
//   NETRPC_ASSIGN_OR_RETURN(std::shared_ptr<const bridge::RouteTable> routes,
//                           bridge::RouteTable::Build(config, schema));
//   const bridge::Route* r = routes->ByNetRpc("Arith.Multiply");
//   // r->method is /demo.v1.Arith/Multiply, r->timeout its deadline
//
// Errors from Build name the config path at fault and what the schema has
// ("services[0].methods[1]: demo.v1.Arith has no method Mul (it has: Divide,
// Multiply)"), so an operator can fix the file.

#ifndef BRIDGE_ROUTES_H_
#define BRIDGE_ROUTES_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bridge/schema/schema.h"
#include "google/protobuf/descriptor.h"
#include "proto/config/v1/bridge.pb.h"

namespace bridge {

// Route is one bridged method.
struct Route {
  // netrpc_service and netrpc_method split "Service.Method" at its last dot.
  std::string netrpc_service;
  std::string netrpc_method;
  // method is the gRPC method, owned by the table's Schema.
  const google::protobuf::MethodDescriptor* method = nullptr;
  // path is the gRPC path, "/demo.v1.Arith/Multiply".
  std::string path;
  // timeout bounds every call of the route (net/rpc callers send none).
  absl::Duration timeout;
  // metadata is sent with every gRPC call of the route.
  std::vector<std::pair<std::string, std::string>> metadata;

  std::string netrpc_name() const {
    return netrpc_service + "." + netrpc_method;
  }
};

// RouteTable is an immutable set of routes over one Schema. [thread-safe]
class RouteTable {
 public:
  // kDefaultTimeout applies when the config gives none.
  static constexpr absl::Duration kDefaultTimeout = absl::Seconds(30);

  // Build validates config against schema and returns the table.
  static absl::StatusOr<std::shared_ptr<const RouteTable>> Build(
      const netrpc::config::v1::Bridge& config,
      std::shared_ptr<const Schema> schema);

  // ByNetRpc finds the route of "Service.Method", or nullptr.
  const Route* ByNetRpc(absl::string_view service_method) const;

  // ByPath finds the route of a gRPC path, or nullptr.
  const Route* ByPath(absl::string_view path) const;

  // routes lists every route, grouped by net/rpc service in config order.
  const std::vector<Route>& routes() const { return routes_; }

  const std::shared_ptr<const Schema>& schema() const { return schema_; }

 private:
  RouteTable() = default;

  std::shared_ptr<const Schema> schema_;
  std::vector<Route> routes_;
  absl::flat_hash_map<std::string, size_t> by_netrpc_;
  absl::flat_hash_map<std::string, size_t> by_path_;
};

}  // namespace bridge

#endif  // BRIDGE_ROUTES_H_

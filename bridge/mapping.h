// File: mapping.h
//
// Mapping is one generation of the bridge's configuration, ready to use:
// the Schema, the RouteTable, the gob types derived from descriptors, the
// conversion options and the error rules. It never changes once built; a
// reload builds a new Mapping and swaps it in while calls in flight finish on
// the one they started with (they hold a shared_ptr).
//
//   NETRPC_ASSIGN_OR_RETURN(std::shared_ptr<const bridge::Mapping> mapping,
//                           bridge::Mapping::Build(config, schema));
//   const bridge::Route* route = mapping->routes().ByNetRpc("Arith.Multiply");

#ifndef BRIDGE_MAPPING_H_
#define BRIDGE_MAPPING_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bridge/convert/gob_types.h"
#include "bridge/convert/options.h"
#include "bridge/routes.h"
#include "bridge/schema/schema.h"
#include "proto/config/v1/bridge.pb.h"

namespace bridge {

// Mapping is an immutable bridge configuration. [thread-safe]
class Mapping {
 public:
  // Build validates config against schema. on_drop, if set, is told about
  // every field dropped under unknown_fields: DROP_AND_COUNT.
  static absl::StatusOr<std::shared_ptr<const Mapping>> Build(
      const netrpc::config::v1::Bridge& config,
      std::shared_ptr<const Schema> schema,
      std::function<void(absl::string_view)> on_drop = nullptr);

  const RouteTable& routes() const { return *routes_; }
  const Schema& schema() const { return *routes_->schema(); }
  const ConvertOptions& options() const { return options_; }

  // types caches gob types; it is internally synchronised, hence mutable.
  GobTypes& types() const { return types_; }

  // dropped counts fields dropped under DROP_AND_COUNT.
  uint64_t dropped() const { return dropped_->load(std::memory_order_relaxed); }

  // CodeForError maps a net/rpc error text to a gRPC status code by the
  // config's error_rules; kUnknown when none matches.
  absl::StatusCode CodeForError(absl::string_view error) const;

 private:
  struct ErrorRule;

  Mapping(std::shared_ptr<const RouteTable> routes, GoNames names);

  std::shared_ptr<const RouteTable> routes_;
  mutable GobTypes types_;
  ConvertOptions options_;
  std::shared_ptr<std::atomic<uint64_t>> dropped_;
  std::vector<std::shared_ptr<const ErrorRule>> error_rules_;
};

}  // namespace bridge

#endif  // BRIDGE_MAPPING_H_

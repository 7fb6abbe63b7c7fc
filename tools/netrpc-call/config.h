// File: config.h
//
// LoadCallConfig reads the bridge mapping netrpc-call needs from a config
// file: either a bare netrpc.config.v1.Bridge (package, unwrap_messages,
// field_names, services) or a gateway config (netrpc.config.v1.Gateway, as
// tools/netrpc2proto's --config_out writes it), whose `bridge` section and
// `routes` are used and whose `schemas[].descriptor_set` files are found
// relative to the config file.
//
//   NETRPC_ASSIGN_OR_RETURN(netrpc_call::CallConfig c,
//                           netrpc_call::LoadCallConfig("inventory.yaml"));
//   // c.bridge.package() == "inventory.v1"; c.descriptor_sets = {"./inventory.pb"}
//
// Formats by extension: .yaml .yml .json (YAML; durations as "1.5s" or
// "300ms"), .textproto .txtpb .pbtxt (protobuf text format).
//
// Thread-safety: thread-safe (reads only its arguments and the file).

#ifndef TOOLS_NETRPC_CALL_CONFIG_H_
#define TOOLS_NETRPC_CALL_CONFIG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/config/v1/bridge.pb.h"

namespace netrpc_call {

// CallConfig is what a config file says about the mapping.
struct CallConfig {
  netrpc::config::v1::Bridge bridge;
  // descriptor_sets are the gateway config's schemas[].descriptor_set,
  // resolved against the config file's directory (empty for a Bridge file).
  std::vector<std::string> descriptor_sets;
};

// LoadCallConfig reads `path`; see the file comment. Errors name the file.
absl::StatusOr<CallConfig> LoadCallConfig(const std::string& path);

}  // namespace netrpc_call

#endif  // TOOLS_NETRPC_CALL_CONFIG_H_

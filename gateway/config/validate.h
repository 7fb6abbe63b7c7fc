// File: validate.h
//
// Validate checks what a loaded config means: names unique, references to
// upstreams known, addresses parseable, files present, numbers in range. It
// reports every error it finds, one per line in file order, each with the
// file, line:column and field path, in load.h's format:
//
//   gateway.yaml:14:17: routes[0].upstream: no upstream named "arith-grpc"
//   (upstreams: arith, users)
//
//   absl::StatusOr<LoadedConfig> config = LoadConfigFile(path);
//   if (config.ok()) status = Validate(*config);
//
// Validate takes the config as loaded (before ApplyDefaults; it also accepts
// one after). It reads the file system only to check that named files exist.
//
// Thread-safety: thread-safe.

#ifndef GATEWAY_CONFIG_VALIDATE_H_
#define GATEWAY_CONFIG_VALIDATE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

#include "gateway/config/load.h"

namespace gateway::config {

// Validate returns OK or kInvalidArgument listing every problem (at most
// kMaxErrors), one per line, sorted by position.
absl::Status Validate(const LoadedConfig& config);

// HostPort is an address split by SplitHostPort.
struct HostPort {
  std::string host;  // without IPv6 brackets; may be empty ("all interfaces")
  uint16_t port = 0;
};

// SplitHostPort parses "host:port", "[::1]:port" or ":port" (as Go's
// net.SplitHostPort does, plus a port range check 0-65535). The error says
// what is wrong in words, without the address itself.
absl::StatusOr<HostPort> SplitHostPort(absl::string_view address);

// IsNetRpcServiceName tells whether name is a service name net/rpc callers
// can reach: dot-separated identifiers ("Arith", "net.rpc.Arith"), the
// method being after the last dot of "Service.Method".
bool IsNetRpcServiceName(absl::string_view name);

// CiteBridgeError rewrites an error of bridge::Mapping::Build on
// BridgeConfigOf(config.gateway) (its checks against the schemas) to cite
// the config file: "bridge: services[0].methods[1]: demo.v1.Arith has no
// method Mul (...)" becomes "gw.yaml:23:9: routes[0].methods[1]:
// demo.v1.Arith has no method Mul (...)". Statuses it does not recognise,
// and OK, are returned unchanged.
absl::Status CiteBridgeError(const LoadedConfig& config,
                             const absl::Status& status);

// LoadAndValidate loads path, validates it and applies defaults
// (defaults.h): what `gateway --validate` and a reload do.
absl::StatusOr<LoadedConfig> LoadAndValidate(absl::string_view path);

}  // namespace gateway::config

#endif  // GATEWAY_CONFIG_VALIDATE_H_

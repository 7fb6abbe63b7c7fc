// File: load.h
//
// Loading the gateway's config file (proto/config/v1/gateway.proto) from YAML
// or textproto into a LoadedConfig: the Gateway message, where each field was
// written (line:column), and the directory relative file names resolve
// against. Loading checks form only (field names, types, enum names,
// durations, oneofs); Validate() (validate.h) checks meaning.
//
//   absl::StatusOr<gateway::config::LoadedConfig> config =
//       gateway::config::LoadConfigFile("/etc/gateway/gateway.yaml");
//   if (!config.ok()) {
//     // e.g. gateway.yaml:3:3: listeners[0]: unknown field "adress" (did you
//     //      mean "address"?)
//     std::cerr << config.status().message() << "\n";
//   }
//   std::string at = config->Where("routes[1].upstream");
//   // "gateway.yaml:14:17: routes[1].upstream"
//
// Error format, one error per line (at most kMaxErrors):
//
//   FILE:LINE:COLUMN: FIELD.PATH: what is wrong, and how to fix it
//
// LINE and COLUMN are 1-based; ":LINE:COLUMN" is left out when unknown and
// "FIELD.PATH: " when the error is about the file as a whole. Field paths
// use proto field names with list indices and map keys:
// `listeners[0].address`, `routes[2].metadata["x-team"]`.
//
// Formats, chosen by the file name's extension:
//   .yaml .yml .json         YAML 1.2 (through yaml-cpp; JSON is YAML)
//   .textproto .txtpb .pbtxt protobuf text format
// In YAML, durations are Go-style strings ("1.5s", "300ms", "1m30s") or
// {seconds: N, nanos: N} maps, enums are their names, and a null value
// (`admin:` with nothing after it, or `~`) counts as absent. Textproto is
// protobuf's own text format: durations are `{seconds: 1 nanos: 500000000}`.
//
// File names in the config (tls ca_file/cert_file/key_file, schemas'
// descriptor_set) are resolved at load time against the config file's
// directory: LoadedConfig::gateway holds the resolved names,
// LoadedConfig::written_files what the file said.
//
// Thread-safety: the functions are thread-safe; a LoadedConfig is a value.

#ifndef GATEWAY_CONFIG_LOAD_H_
#define GATEWAY_CONFIG_LOAD_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

#include "proto/config/v1/gateway.pb.h"

namespace gateway::config {

// kMaxErrors bounds the errors one load or validation reports.
inline constexpr int kMaxErrors = 20;

// Position is a 1-based line and column in the config file; 0 means unknown.
struct Position {
  int line = 0;
  int column = 0;

  bool known() const { return line > 0; }
};

// ConfigFormat is the syntax of a config file.
enum class ConfigFormat {
  kYaml,       // .yaml, .yml, .json
  kTextproto,  // .textproto, .txtpb, .pbtxt
};

// LoadedConfig is one config file as read: the message plus where each of
// its fields was written.
struct LoadedConfig {
  // gateway is the config, with file names resolved (see ResolveFiles).
  netrpc::config::v1::Gateway gateway;

  // file names the config file in errors: the path given to LoadConfigFile,
  // or LoadConfigString's name_for_errors.
  std::string file;

  // base_dir is the directory relative file names resolve against: file's
  // directory ("" when file has none: the working directory).
  std::string base_dir;

  // positions maps field paths ("listeners[0].address", "routes[1]",
  // "routes[0].metadata[\"k\"]") to where their value was written (YAML) or
  // where the field's name was written (textproto).
  absl::flat_hash_map<std::string, Position> positions;

  // written_files maps the field path of every resolved file name to the
  // name as written in the config ("certs/ca.pem").
  absl::flat_hash_map<std::string, std::string> written_files;

  // PositionOf gives the position of path or, when it has none (a field left
  // out), of its nearest ancestor that has one.
  Position PositionOf(absl::string_view path) const;

  // Where formats "FILE:LINE:COLUMN: PATH" for an error about path (just
  // "FILE:LINE:COLUMN" when path is empty; LINE:COLUMN left out if unknown).
  std::string Where(absl::string_view path) const;

  // Error builds an InvalidArgument status "Where(path): what".
  absl::Status Error(absl::string_view path, absl::string_view what) const;
};

// FormatOfPath picks the format by path's extension; kInvalidArgument for
// any other extension.
absl::StatusOr<ConfigFormat> FormatOfPath(absl::string_view path);

// LoadConfigFile reads, parses and resolves the config file at path. Errors:
// kNotFound/kPermissionDenied if it cannot be read, kInvalidArgument for
// anything wrong inside (all errors found, one per line, in file order).
absl::StatusOr<LoadedConfig> LoadConfigFile(absl::string_view path);

// LoadConfigString parses text as a config file named name_for_errors
// (which also gives the directory relative file names resolve against).
absl::StatusOr<LoadedConfig> LoadConfigString(
    absl::string_view text, ConfigFormat format,
    absl::string_view name_for_errors);

// ResolvePath returns file unchanged if it is empty or absolute, else
// base_dir + "/" + file (file alone when base_dir is empty).
std::string ResolvePath(absl::string_view base_dir, absl::string_view file);

// ResolveFiles rewrites every file name in config->gateway (tls ca_file,
// cert_file, key_file; schemas' descriptor_set) with ResolvePath against
// config->base_dir, recording the written names in config->written_files.
// Loading calls it; call it yourself on a LoadedConfig you built by hand.
void ResolveFiles(LoadedConfig* config);

}  // namespace gateway::config

#endif  // GATEWAY_CONFIG_LOAD_H_

// File: internal.h
//
// Shared by the loaders and the validator of gateway/config; not part of the
// API. ErrorList collects errors with their positions and turns them into one
// status in file order; the path and suggestion helpers spell field paths and
// "did you mean" hints the same way everywhere.
//
//   ErrorList errors;
//   errors.Add(config.PositionOf(path), path, "is empty");
//   return errors.ToStatus(config);

#ifndef GATEWAY_CONFIG_INTERNAL_H_
#define GATEWAY_CONFIG_INTERNAL_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

#include "gateway/config/load.h"

namespace gateway::config::internal {

// ErrorList is an ordered collection of config errors. [not thread-safe]
class ErrorList {
 public:
  // Add records "path: what" at pos (path may be empty).
  void Add(Position pos, absl::string_view path, absl::string_view what);

  // AddAt records an error about path at config.PositionOf(path).
  void AddAt(const LoadedConfig& config, absl::string_view path,
             absl::string_view what);

  bool empty() const { return errors_.empty(); }

  // ToStatus joins the errors, sorted by position (errors without one
  // first), one per line, "FILE:LINE:COL: PATH: what"; OK if none.
  absl::Status ToStatus(absl::string_view file) const;

 private:
  struct Entry {
    Position pos;
    std::string path;
    std::string what;
  };
  std::vector<Entry> errors_;
};

// FormatError spells one error line.
std::string FormatError(absl::string_view file, Position pos,
                        absl::string_view path, absl::string_view what);

// Field appends a field name to a path: Field("a[0]", "b") == "a[0].b".
std::string Field(absl::string_view path, absl::string_view name);

// Index appends a list index: Index("a", 2) == "a[2]".
std::string Index(absl::string_view path, int i);

// Key appends a map key: Key("m", "k") == "m[\"k\"]".
std::string Key(absl::string_view path, absl::string_view key);

// Quote writes s in double quotes, escaping as C does.
std::string Quote(absl::string_view s);

// Suggestion returns " (did you mean \"x\"?)" for the candidate closest to
// word by edit distance, or "" if none is close.
std::string Suggestion(absl::string_view word,
                       const std::vector<std::string>& candidates);

// FieldSuggestion is Suggestion over the fields of type, also matching a
// field's lowerCamel JSON name.
std::string FieldSuggestion(absl::string_view word,
                            const google::protobuf::Descriptor* type);

// EnumChoices lists the enum's value names, leaving out *_UNSPECIFIED:
// "NETRPC, NETRPC_HTTP, JSONRPC, GRPC, ANY".
std::string EnumChoices(const google::protobuf::EnumDescriptor* type);

// ParseYaml walks YAML text into config->gateway and config->positions.
void ParseYaml(absl::string_view text, LoadedConfig* config, ErrorList* errors);

// ParseTextproto parses protobuf text format into config->gateway and
// config->positions.
void ParseTextproto(absl::string_view text, LoadedConfig* config,
                    ErrorList* errors);

}  // namespace gateway::config::internal

#endif  // GATEWAY_CONFIG_INTERNAL_H_

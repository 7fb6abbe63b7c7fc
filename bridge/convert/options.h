// File: options.h
//
// ConvertOptions: how strict the gob <-> protobuf mapping is. One value per
// bridge config, shared by every call.
//
//   bridge::ConvertOptions opts;
//   opts.unknown_fields = netrpc::config::v1::DROP_AND_COUNT;
//   opts.on_drop = [](absl::string_view what) { LogDrop(what); };

#ifndef BRIDGE_CONVERT_OPTIONS_H_
#define BRIDGE_CONVERT_OPTIONS_H_

#include <functional>
#include <string>

#include "absl/strings/string_view.h"
#include "proto/config/v1/bridge.pb.h"

namespace bridge {

// ConvertOptions configures a Mapper. [thread-compatible; the Mapper reads it
// from many threads, so on_drop must be thread-safe]
struct ConvertOptions {
  // unknown_fields: a field present on one side only fails the call (STRICT)
  // or is dropped and reported to on_drop (DROP_AND_COUNT).
  // Default: STRICT.
  netrpc::config::v1::UnknownFieldPolicy unknown_fields =
      netrpc::config::v1::STRICT;

  // on_drop is told about every dropped field, with a sentence naming it.
  // Default: none (drops are still counted by the Mapper).
  std::function<void(absl::string_view)> on_drop;
};

}  // namespace bridge

#endif  // BRIDGE_CONVERT_OPTIONS_H_

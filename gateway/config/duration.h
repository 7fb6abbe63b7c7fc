// File: duration.h
//
// Go-style duration strings for the config file: "300ms", "1.5s", "2m",
// "1m30s", "1h", as Go's time.ParseDuration reads them (units ns, us, ms, s,
// m, h; a leading sign; "0" alone). Config files write every
// google.protobuf.Duration this way.
//
//   absl::StatusOr<google::protobuf::Duration> d = ParseDurationProto("1m30s");
//   // d->seconds() == 90
//   std::string s = FormatDurationProto(*d);  // "1m30s"
//
// Thread-safety: pure functions.

#ifndef GATEWAY_CONFIG_DURATION_H_
#define GATEWAY_CONFIG_DURATION_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"

namespace gateway::config {

// ParseGoDuration parses a Go duration string. Errors (kInvalidArgument) say
// what a valid one looks like; "inf" and durations beyond ±10000 years are
// rejected.
absl::StatusOr<absl::Duration> ParseGoDuration(absl::string_view text);

// ParseDurationProto is ParseGoDuration into a google.protobuf.Duration.
absl::StatusOr<google::protobuf::Duration> ParseDurationProto(
    absl::string_view text);

// ToAbsl converts a google.protobuf.Duration (no range checks).
absl::Duration ToAbsl(const google::protobuf::Duration& d);

// FromAbsl converts a finite absl::Duration.
google::protobuf::Duration FromAbsl(absl::Duration d);

// FormatDurationProto writes d as Go would ("1m30s", "1.5s", "300ms").
std::string FormatDurationProto(const google::protobuf::Duration& d);

}  // namespace gateway::config

#endif  // GATEWAY_CONFIG_DURATION_H_

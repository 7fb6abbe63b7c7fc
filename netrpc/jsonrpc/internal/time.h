// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: internal/time.h
//
// time.Time's JSON form, as Go's MarshalJSON and UnmarshalJSON write and
// read it: a string in RFC 3339 with nanoseconds ("2009-11-10T23:00:00Z",
// "2009-11-10T23:00:00.5Z"). absl::Time carries no zone, so it is written in
// UTC; an offset in the input is applied to the instant.

#ifndef NETRPC_JSONRPC_INTERNAL_TIME_H_
#define NETRPC_JSONRPC_INTERNAL_TIME_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace netrpc::jsonrpc::internal {

// AppendTime appends `t` (floored to the nanosecond) as Go's
// time.Time.MarshalJSON does, quotes included. A year outside [0, 9999]
// fails with Go's text, "json: error calling MarshalJSON for type
// time.Time: Time.MarshalJSON: year outside of range [0,9999]".
absl::Status AppendTime(absl::Time t, std::string* out);

// ParseTime reads the raw JSON value `raw` (quotes and escapes as written)
// as Go's time.Time.UnmarshalJSON does: "null" leaves `*t` alone; anything
// but an RFC 3339 string fails with Go's ParseError text, e.g.
// `parsing time "5" as "\"2006-01-02T15:04:05Z07:00\"": cannot parse "5"
// as "\""`.
absl::Status ParseTime(absl::string_view raw, absl::Time* t);

}  // namespace netrpc::jsonrpc::internal

#endif  // NETRPC_JSONRPC_INTERNAL_TIME_H_

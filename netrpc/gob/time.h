// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.
//
// File: time.h
//
// Go's time.Time in gob. time.Time is a GobEncoder whose bytes are
// time.MarshalBinary's:
//
//   byte  0      version: 1 (or 2 when the zone offset has seconds)
//   bytes 1..8   int64 seconds since January 1, year 1, 00:00:00 UTC
//   bytes 9..12  int32 nanoseconds within the second
//   bytes 13..14 int16 zone offset in minutes east of UTC; -1 means UTC
//   byte  15     version 2 only: the offset's seconds
//
// bind.h maps absl::Time to it (always sent as UTC) and absl::Duration to a
// gob int of nanoseconds (Go's time.Duration).
//
//   std::string b;
//   NETRPC_RETURN_IF_ERROR(netrpc::gob::AppendGoTime(absl::Now(), &b));
//   NETRPC_ASSIGN_OR_RETURN(netrpc::gob::GoTime t, netrpc::gob::ParseGoTime(b));
//
// Thread-safe: pure functions.

#ifndef NETRPC_GOB_TIME_H_
#define NETRPC_GOB_TIME_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace netrpc::gob {

// GoZeroTime is Go's zero time.Time, 0001-01-01 00:00:00 UTC. An absl::Time
// equal to it is the zero value, omitted from structs like Go's zero Time.
absl::Time GoZeroTime();

// GoTime is a decoded time.Time: the instant and the zone offset it carried.
struct GoTime {
  absl::Time time;
  bool utc = true;         // offset -1 on the wire
  int offset_seconds = 0;  // east of UTC, when !utc
};

// AppendGoTime appends the 15-byte MarshalBinary form of t in UTC. Infinite
// times cannot be sent.
absl::Status AppendGoTime(absl::Time t, std::string* out);

// ParseGoTime decodes MarshalBinary bytes (versions 1 and 2), with Go's
// errors ("Time.UnmarshalBinary: invalid length", ...).
absl::StatusOr<GoTime> ParseGoTime(absl::string_view data);

// FormatRFC3339Nano renders t as Go's time.RFC3339Nano does
// ("2009-11-10T23:00:00Z", "2009-11-10T23:00:00.5+01:00").
std::string FormatRFC3339Nano(const GoTime& t);

}  // namespace netrpc::gob

#endif  // NETRPC_GOB_TIME_H_

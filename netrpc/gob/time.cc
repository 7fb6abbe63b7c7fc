// Copyright 2024 The netrpc-gateway Authors. Licensed under the Apache License 2.0.

#include "netrpc/gob/time.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace netrpc::gob {
namespace {

// Seconds from Go's zero time to the Unix epoch.
constexpr int64_t kZeroToUnix = 62135596800;

}  // namespace

absl::Time GoZeroTime() { return absl::FromUnixSeconds(-kZeroToUnix); }

absl::Status AppendGoTime(absl::Time t, std::string* out) {
  absl::Duration since = t - GoZeroTime();
  if (t == absl::InfiniteFuture() || t == absl::InfinitePast() ||
      since == absl::InfiniteDuration() || since == -absl::InfiniteDuration()) {
    return absl::InvalidArgumentError(
        "gob: cannot encode an infinite absl::Time as time.Time");
  }
  // Floor division: nanoseconds are always in [0, 1e9).
  absl::Duration rem;
  int64_t sec = absl::IDivDuration(since, absl::Seconds(1), &rem);
  int64_t nsec = absl::ToInt64Nanoseconds(rem);
  if (nsec < 0) {
    sec -= 1;
    nsec += 1000000000;
  }
  char b[15];
  b[0] = 1;
  for (int i = 0; i < 8; ++i) {
    b[1 + i] = static_cast<char>(static_cast<uint64_t>(sec) >> (56 - 8 * i));
  }
  for (int i = 0; i < 4; ++i) {
    b[9 + i] = static_cast<char>(static_cast<uint32_t>(nsec) >> (24 - 8 * i));
  }
  b[13] = static_cast<char>(0xff);  // offset -1: UTC
  b[14] = static_cast<char>(0xff);
  out->append(b, sizeof b);
  return absl::OkStatus();
}

absl::StatusOr<GoTime> ParseGoTime(absl::string_view data) {
  if (data.empty()) {
    return absl::InvalidArgumentError("Time.UnmarshalBinary: no data");
  }
  uint8_t version = static_cast<uint8_t>(data[0]);
  if (version != 1 && version != 2) {
    return absl::InvalidArgumentError(
        "Time.UnmarshalBinary: unsupported version");
  }
  size_t want = version == 2 ? 16 : 15;
  if (data.size() != want) {
    return absl::InvalidArgumentError("Time.UnmarshalBinary: invalid length");
  }
  auto byte = [&](size_t i) { return static_cast<uint8_t>(data[i]); };
  uint64_t sec = 0;
  for (size_t i = 1; i <= 8; ++i) sec = (sec << 8) | byte(i);
  uint32_t nsec = 0;
  for (size_t i = 9; i <= 12; ++i) nsec = (nsec << 8) | byte(i);
  int16_t offset_min = static_cast<int16_t>((byte(13) << 8) | byte(14));
  GoTime out;
  // Go keeps nanoseconds as given (even out of range); so does the sum here.
  out.time = GoZeroTime() + absl::Seconds(static_cast<int64_t>(sec)) +
             absl::Nanoseconds(static_cast<int32_t>(nsec));
  int offset = offset_min * 60;
  if (version == 2) offset += static_cast<int8_t>(byte(15));
  out.utc = offset == -60;
  out.offset_seconds = out.utc ? 0 : offset;
  return out;
}

std::string FormatRFC3339Nano(const GoTime& t) {
  absl::TimeZone zone = absl::FixedTimeZone(t.offset_seconds);
  std::string s = absl::FormatTime("%E4Y-%m-%dT%H:%M:%E*S", t.time, zone);
  if (t.offset_seconds == 0) return s + "Z";
  int off = t.offset_seconds;
  char sign = off < 0 ? '-' : '+';
  if (off < 0) off = -off;
  return absl::StrFormat("%s%c%02d:%02d", s, sign, off / 3600,
                         (off / 60) % 60);
}

}  // namespace netrpc::gob

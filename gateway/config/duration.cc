#include "gateway/config/duration.h"

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace gateway::config {
namespace {

// kMaxDuration keeps every parsed value well inside
// google.protobuf.Duration's range (±315576000000s).
constexpr absl::Duration kMaxDuration = absl::Hours(24 * 365 * 10000);

}  // namespace

absl::StatusOr<absl::Duration> ParseGoDuration(absl::string_view text) {
  absl::string_view t = absl::StripAsciiWhitespace(text);
  absl::Duration d;
  // absl::ParseDuration reads exactly Go's syntax, plus "inf", which a config
  // has no use for.
  bool ok = !t.empty() && t != "inf" && t != "-inf" && t != "+inf" &&
            absl::ParseDuration(t, &d);
  if (!ok) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", text, "\" is not a duration (write e.g. \"2s\" or \"1.5s\")"));
  }
  if (d > kMaxDuration || d < -kMaxDuration) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\" is too long a duration"));
  }
  return d;
}

absl::StatusOr<google::protobuf::Duration> ParseDurationProto(
    absl::string_view text) {
  absl::StatusOr<absl::Duration> d = ParseGoDuration(text);
  if (!d.ok()) return d.status();
  return FromAbsl(*d);
}

absl::Duration ToAbsl(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

google::protobuf::Duration FromAbsl(absl::Duration d) {
  google::protobuf::Duration out;
  absl::Duration rem;
  int64_t seconds = absl::IDivDuration(d, absl::Seconds(1), &rem);
  out.set_seconds(seconds);
  out.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(rem)));
  return out;
}

std::string FormatDurationProto(const google::protobuf::Duration& d) {
  return absl::FormatDuration(ToAbsl(d));
}

}  // namespace gateway::config

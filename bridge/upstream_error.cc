#include "bridge/upstream_error.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bridge/grpc/status.h"

namespace bridge {

absl::Status UpstreamError(const Route& route, const absl::Status& status,
                           absl::Time deadline) {
  // Texts the bridge or the gateway wrote already say what happened, in
  // net/rpc's words: pass them on as they are.
  if (absl::StartsWith(status.message(), "bridge: ") ||
      absl::StartsWith(status.message(), "gateway: ")) {
    return status;
  }
  // The upstream learns the deadline from grpc-timeout and may end the call
  // a little before our own timer would (gRPC's server keeps deadlines in
  // whole milliseconds): a DEADLINE_EXCEEDED that close to ours is ours.
  constexpr absl::Duration kDeadlineSlack = absl::Milliseconds(20);
  if (status.code() == absl::StatusCode::kDeadlineExceeded &&
      absl::Now() >= deadline - kDeadlineSlack) {
    return absl::DeadlineExceededError(absl::StrCat(
        "bridge: ", route.netrpc_name(), ": no reply from ", route.path,
        " within ", absl::FormatDuration(route.timeout)));
  }
  if (status.code() == absl::StatusCode::kUnavailable) {
    return absl::UnavailableError(
        absl::StrCat("bridge: ", route.netrpc_name(), ": upstream unavailable: ",
                     GoStatusText(status)));
  }
  return absl::Status(status.code(), NetRpcErrorText(status));
}

}  // namespace bridge

// File: upstream_error.h
//
// UpstreamError words a failed gRPC upstream call for a net/rpc caller, the
// same way wherever the bridge makes one (the net/rpc-facing server and the
// in-process gRPC ClientCodec):
//   - our own deadline passing: "bridge: Arith.Multiply: no reply from
//     /demo.v1.Arith/Multiply within 30s";
//   - UNAVAILABLE: "bridge: Arith.Multiply: upstream unavailable: rpc error:
//     code = Unavailable desc = ...";
//   - UNKNOWN with message M: exactly M (what the legacy server sent);
//   - any other code: Go gRPC's "rpc error: code = NotFound desc = ...";
//   - the bridge's or the gateway's own texts ("bridge: ...", "gateway:
//     ..."): unchanged.

#ifndef BRIDGE_UPSTREAM_ERROR_H_
#define BRIDGE_UPSTREAM_ERROR_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "bridge/routes.h"

namespace bridge {

// UpstreamError returns the status (code kept, message as above) for a call
// of route that ended with `status`; `deadline` is the one the bridge set.
absl::Status UpstreamError(const Route& route, const absl::Status& status,
                           absl::Time deadline);

}  // namespace bridge

#endif  // BRIDGE_UPSTREAM_ERROR_H_

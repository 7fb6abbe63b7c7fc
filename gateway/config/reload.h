// File: reload.h
//
// ReloadCompatible tells whether a new config can replace the running one
// without a restart. Listeners and admin are bound at start, so a reload may
// not change them; everything else (upstreams, routes, schemas, bridge,
// limits, drain_timeout) may change.
//
//   absl::Status ok = gateway::config::ReloadCompatible(running, next);
//   // FAILED_PRECONDITION: "reload: listeners[0] (legacy): address changed
//   // from "127.0.0.1:1234" to "127.0.0.1:1235"; restart the gateway to
//   // change listeners or admin"
//
// Both configs are compared after ApplyDefaults, so leaving out a default
// and writing it out are the same.
//
// Thread-safety: pure function.

#ifndef GATEWAY_CONFIG_RELOAD_H_
#define GATEWAY_CONFIG_RELOAD_H_

#include "absl/status/status.h"

#include "proto/config/v1/gateway.pb.h"

namespace gateway::config {

// ReloadCompatible returns OK, or kFailedPrecondition listing every change
// to listeners or admin, one per line.
absl::Status ReloadCompatible(const netrpc::config::v1::Gateway& old,
                              const netrpc::config::v1::Gateway& next);

}  // namespace gateway::config

#endif  // GATEWAY_CONFIG_RELOAD_H_

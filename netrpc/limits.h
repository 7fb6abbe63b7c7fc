// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.
//
// File: limits.h
//
// LimitKind names the ServerOptions limit that refused a request, for
// ServerOptions::on_limit (server.h).

#ifndef NETRPC_LIMITS_H_
#define NETRPC_LIMITS_H_

namespace netrpc {

enum class LimitKind {
  kMessageTooLarge,  // ServerOptions::max_message_bytes
  kTooManyCalls,     // ServerOptions::max_concurrent_calls_per_connection
};

}  // namespace netrpc

#endif  // NETRPC_LIMITS_H_

// File: h2_client.h
//
// H2Client is a lean gRPC unary client: HTTP/2 framing and HPACK from
// nghttp2, the rest (gRPC's message framing, grpc-timeout, statuses) here,
// and its connections on netrpc's own I/O threads. A net/rpc call bridged to
// gRPC is read, converted, sent upstream, answered and written back on the
// one I/O thread that read it: no thread hand-off and no wake-up of another
// thread anywhere on the path, where gRPC C++'s channel costs two (its
// poller and a completion-queue thread) and about twice the instructions.
// See tools/bench/bridge/README.md for the measurements.
//
//   absl::StatusOr<std::unique_ptr<bridge::H2Client>> client =
//       bridge::H2Client::Create({.target = "127.0.0.1:50051"});
//   (*client)->Call(method, request, schema->NewMessage(*method.output_type()),
//                   options, done);
//
// Scope: plaintext HTTP/2 (h2c, "prior knowledge", as gRPC's insecure
// credentials) to one host:port, the way gRPC's pick_first would use it.
// TLS, name-resolver schemes other than dns, load balancing over several
// addresses and client-side health checks are GenericClient's (gRPC C++).
//
// Connections: one per I/O thread that calls through the client, opened on
// the first call and reopened when lost. A call made on one of netrpc's I/O
// threads uses that thread's connection directly; from any other thread it is
// posted to one, round robin. The server's SETTINGS_MAX_CONCURRENT_STREAMS
// is honoured (nghttp2 queues the calls beyond it).
//
// Failures, as gRPC C++ reports them:
//   - connect refused or failed, or no answer within connect_timeout,
//     connection lost: UNAVAILABLE; after a failed connect, calls fail at
//     once for a back-off (1s, x1.6 per failure, at most 120s, as gRPC's),
//     then the next call tries again;
//   - a call the server never started (a stream refused, or above the last
//     stream a GOAWAY accepted) is sent once more: on the same connection
//     if it still takes calls, else on a new one;
//   - deadline: grpc-timeout tells the server, and the client ends the call
//     itself at the deadline with DEADLINE_EXCEEDED (RST_STREAM CANCEL);
//   - a response bigger than max_message_bytes: RESOURCE_EXHAUSTED;
//   - no grpc-status: the HTTP status mapped as gRPC's spec says.

#ifndef BRIDGE_GRPC_H2_CLIENT_H_
#define BRIDGE_GRPC_H2_CLIENT_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

#include "bridge/grpc/unary_client.h"

namespace bridge {

namespace h2_internal {
class Endpoint;
}  // namespace h2_internal

// H2ClientOptions configures an H2Client.
struct H2ClientOptions {
  // target is "host:port", "dns:///host:port", "ipv4:addr:port" or
  // "ipv6:[addr]:port": one address (a name may resolve to several; they are
  // tried in order, as pick_first does).
  std::string target;
  // metadata and the rest of every call's settings.
  GenericClientOptions call;
  // max_message_bytes bounds a request and a response. Default: 4 MiB,
  // gRPC's default receive limit.
  uint64_t max_message_bytes = 4 << 20;
  // connect_timeout bounds one connection attempt (name lookup included);
  // past it the attempt fails as a refused connect does. Default: gRPC's
  // minimum connect timeout.
  absl::Duration connect_timeout = absl::Seconds(20);
};

// H2Client calls unary gRPC methods of one plaintext upstream. [thread-safe]
class H2Client final : public UnaryClient {
 public:
  // Create checks the target; it does not connect (the first call does).
  static absl::StatusOr<std::unique_ptr<H2Client>> Create(
      H2ClientOptions options);

  // SupportsTarget says whether Create accepts target (for a caller choosing
  // between H2Client and GenericClient).
  static bool SupportsTarget(absl::string_view target);

  // The client's connections close once their calls in flight have ended.
  ~H2Client() override;

  // CallWire is UnaryClient's; done runs on a netrpc I/O thread.
  void CallWire(const std::string& path, absl::string_view request,
                CallOptions options, WireDone done) const override;

  // healthy is false from a failed connect until a connect succeeds.
  bool healthy() const;

 private:
  H2Client(H2ClientOptions options, std::string host, std::string port);

  const H2ClientOptions options_;
  // endpoints_[i] serves netrpc I/O context i; each is used on its thread.
  std::vector<std::shared_ptr<h2_internal::Endpoint>> endpoints_;
  mutable std::atomic<size_t> next_{0};
  std::shared_ptr<std::atomic<int>> failing_;
};

}  // namespace bridge

#endif  // BRIDGE_GRPC_H2_CLIENT_H_

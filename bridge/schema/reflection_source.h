// File: reflection_source.h
//
// ReflectionSource loads a schema from a running gRPC server through its
// server reflection service, the way grpcurl does: list the services, fetch
// the file that defines each one with every file it imports. It speaks
// grpc.reflection.v1 first and falls back to grpc.reflection.v1alpha when the
// server answers UNIMPLEMENTED; Debian's gRPC 1.51 (C++) and 1.33 (Go) servers
// serve only v1alpha.
//
//   std::shared_ptr<grpc::Channel> channel = grpc::CreateChannel(
//       "backend:50051", grpc::InsecureChannelCredentials());
//   bridge::ReflectionSource source("backend:50051", channel);
//   absl::StatusOr<std::vector<google::protobuf::FileDescriptorProto>> files =
//       source.Load();  // blocks, at most options.timeout
//
// Errors carry the gRPC code of what failed (kUnavailable for a server that
// is down, kDeadlineExceeded past the timeout, kUnimplemented if the server
// has no reflection at all) and say what to do about it.

#ifndef BRIDGE_SCHEMA_REFLECTION_SOURCE_H_
#define BRIDGE_SCHEMA_REFLECTION_SOURCE_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.pb.h"
#include "grpcpp/channel.h"

#include "bridge/schema/schema_source.h"

namespace bridge {

// ReflectionSourceOptions tunes a ReflectionSource.
struct ReflectionSourceOptions {
  // timeout bounds one whole Load(), both protocol versions included.
  // Default: 10 seconds.
  absl::Duration timeout = absl::Seconds(10);
  // services names the services to load, by full name ("demo.v1.Arith");
  // each must be among those the server lists. Default: empty, meaning every
  // service the server lists except the reflection services themselves.
  std::vector<std::string> services;
  // metadata is sent with each reflection call (e.g. "authorization").
  // Default: none.
  std::vector<std::pair<std::string, std::string>> metadata;
};

// ReflectionSource is a SchemaSource over gRPC server reflection. Each Load()
// asks the server again, so a reload sees the server's current services.
// [thread-compatible]
class ReflectionSource final : public SchemaSource {
 public:
  // ReflectionSource asks the server behind channel; target names it in
  // messages ("backend:50051").
  ReflectionSource(std::string target,
                   std::shared_ptr<grpc::ChannelInterface> channel,
                   ReflectionSourceOptions options = {});

  // Describe returns "server reflection of <target>".
  std::string Describe() const override;

  absl::StatusOr<std::vector<google::protobuf::FileDescriptorProto>> Load()
      override;

 private:
  const std::string target_;
  const std::shared_ptr<grpc::ChannelInterface> channel_;
  const ReflectionSourceOptions options_;
};

}  // namespace bridge

#endif  // BRIDGE_SCHEMA_REFLECTION_SOURCE_H_

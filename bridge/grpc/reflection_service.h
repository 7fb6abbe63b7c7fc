// File: reflection_service.h
//
// ReflectionService serves gRPC server reflection, both grpc.reflection.v1
// and grpc.reflection.v1alpha, from a Schema's DescriptorPool, so stock tools
// (grpcurl, Go's reflection client, another gateway's ReflectionSource) can
// discover and call the services a GenericService bridges. gRPC's own
// reflection plugin cannot do this: it knows only types compiled into the
// binary, and in 1.51 serves only v1alpha.
//
//   bridge::CurrentSchema current(schema);
//   bridge::ReflectionService reflection(&current, {"grpc.health.v1.Health"});
//   builder.RegisterService(&reflection);
//
// Requests: list_services lists the schema's services, the extra services,
// and the two reflection services. file_by_filename, file_containing_symbol
// and file_containing_extension answer the file with every file it imports,
// transitively, each time (the protocol allows skipping files sent before on
// the stream; sending them keeps clients that look at one answer at a time
// working). all_extension_numbers_of_type is answered from the schema. A
// name the schema does not know gets an error_response with NOT_FOUND.
//
// The descriptors of the extra services come from the protobuf types
// compiled into the binary (the generated pool), so a service such as
// grpc.health.v1.Health can be described as well as listed; nothing else in
// the generated pool is exposed.

#ifndef BRIDGE_GRPC_REFLECTION_SERVICE_H_
#define BRIDGE_GRPC_REFLECTION_SERVICE_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "grpcpp/impl/service_type.h"

#include "bridge/schema/schema.h"
#include "proto/grpc/reflection/v1/reflection.pb.h"

namespace bridge {

// ReflectionService is a grpc::Service with the two reflection methods,
// /grpc.reflection.v1.ServerReflection/ServerReflectionInfo and
// /grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo.
// [thread-safe]
//
// Each request is answered from the schema current when it arrives. schema
// is not owned and must outlive the service, which must outlive the server.
class ReflectionService final : public grpc::Service {
 public:
  // ReflectionService answers from schema; extra_services (full names) are
  // listed too and described if the binary has their types compiled in.
  ReflectionService(const CurrentSchema* schema,
                    std::vector<std::string> extra_services);

 private:
  class Reactor;

  // Answer returns the response to one reflection request.
  grpc::reflection::v1::ServerReflectionResponse Answer(
      const grpc::reflection::v1::ServerReflectionRequest& request) const;

  const CurrentSchema* const schema_;
  // Sorted, without duplicates; the reflection services included.
  std::vector<std::string> extra_services_;
  // Files of the generated pool that the extra services need.
  absl::flat_hash_set<std::string> extra_files_;
};

}  // namespace bridge

#endif  // BRIDGE_GRPC_REFLECTION_SERVICE_H_

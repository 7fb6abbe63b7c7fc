// File: schema_source.h
//
// SchemaSource is where the bridge's protobuf schemas come from: a descriptor
// set file written by protoc (DescriptorSetSource), or the server reflection
// service of a running gRPC server (ReflectionSource). A Schema links the
// files of one or more sources into a single DescriptorPool.
//
//   bridge::DescriptorSetSource file("/etc/gateway/arith.pb");
//   bridge::ReflectionSource upstream("backend:50051", channel);
//   absl::StatusOr<std::shared_ptr<const bridge::Schema>> schema =
//       bridge::Schema::Build({&file, &upstream});
//
// To add a source:
//   1. Subclass SchemaSource in a file pair of its own (foo_source.h/.cc) with
//      a Describe() that says where the files come from ("descriptor set
//      /etc/x.pb"); every error message names it.
//   2. Make Load() return every file the schema needs, imports included
//      (MissingImports() checks that), and fail with a Status prefixed
//      "bridge: " + Describe() that tells the operator what to fix.
//   3. Test it beside the source, including its failures, and add it where
//      the gateway turns its config into sources.

#ifndef BRIDGE_SCHEMA_SCHEMA_SOURCE_H_
#define BRIDGE_SCHEMA_SCHEMA_SOURCE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "google/protobuf/descriptor.pb.h"

namespace bridge {

// SchemaSource yields the FileDescriptorProtos of a schema.
//
// Load() may block (file or network I/O) and is called from control-plane
// threads only (start-up, reload). A source may be loaded more than once, each
// time returning what it finds then. [thread-compatible]
class SchemaSource {
 public:
  virtual ~SchemaSource() = default;

  // Describe names the source for messages: "descriptor set /etc/x.pb".
  virtual std::string Describe() const = 0;

  // Load returns every file of the source, each import before or after the
  // files that import it (order does not matter), with no import missing.
  virtual absl::StatusOr<std::vector<google::protobuf::FileDescriptorProto>>
  Load() = 0;
};

// MissingImport is an import that a set of files does not contain.
struct MissingImport {
  std::string file;      // the importing file, "demo/v1/arith.proto"
  std::string imported;  // the file it imports and the set lacks
};

// MissingImports returns each import of `files` that is not itself among
// `files`, in file order. An empty result means the set is closed under
// imports and can be linked on its own.
std::vector<MissingImport> MissingImports(
    absl::Span<const google::protobuf::FileDescriptorProto> files);

}  // namespace bridge

#endif  // BRIDGE_SCHEMA_SCHEMA_SOURCE_H_

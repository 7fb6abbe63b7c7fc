// File: descriptor_set_source.h
//
// DescriptorSetSource reads a schema from a FileDescriptorSet file, the form
// protoc writes with --descriptor_set_out. It is the source to use when the
// upstream does not serve reflection, or when the gateway must not depend on
// the upstream being up to start. Write the file with imports included:
//
//   protoc -I. --include_imports --descriptor_set_out=arith.pb arith.proto
//
//   bridge::DescriptorSetSource source("/etc/gateway/arith.pb");
//   absl::StatusOr<std::vector<google::protobuf::FileDescriptorProto>> files =
//       source.Load();
//
// Errors: kNotFound (or the errno's code) for a file that cannot be read,
// kInvalidArgument for one that is not a FileDescriptorSet, holds no files, or
// lacks an import (written without --include_imports).

#ifndef BRIDGE_SCHEMA_DESCRIPTOR_SET_SOURCE_H_
#define BRIDGE_SCHEMA_DESCRIPTOR_SET_SOURCE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.pb.h"

#include "bridge/schema/schema_source.h"

namespace bridge {

// DescriptorSetSource is a SchemaSource over one FileDescriptorSet file,
// read again on every Load() so that a reload picks up a new file.
// [thread-compatible]
class DescriptorSetSource final : public SchemaSource {
 public:
  // DescriptorSetSource reads the file at path (nothing happens until Load).
  explicit DescriptorSetSource(std::string path);

  // Describe returns "descriptor set <path>".
  std::string Describe() const override;

  absl::StatusOr<std::vector<google::protobuf::FileDescriptorProto>> Load()
      override;

 private:
  const std::string path_;
};

}  // namespace bridge

#endif  // BRIDGE_SCHEMA_DESCRIPTOR_SET_SOURCE_H_

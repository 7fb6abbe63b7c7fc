#include "bridge/schema/schema_source.h"

#include "absl/container/flat_hash_set.h"

namespace bridge {

std::vector<MissingImport> MissingImports(
    absl::Span<const google::protobuf::FileDescriptorProto> files) {
  absl::flat_hash_set<std::string> names;
  for (const auto& file : files) names.insert(file.name());
  std::vector<MissingImport> missing;
  for (const auto& file : files) {
    for (const std::string& imported : file.dependency()) {
      if (!names.contains(imported)) missing.push_back({file.name(), imported});
    }
  }
  return missing;
}

}  // namespace bridge

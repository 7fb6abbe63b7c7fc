#include "bridge/schema/descriptor_set_source.h"

#include <cerrno>
#include <cstdio>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace bridge {
namespace {

// ReadFile returns the whole file; errors carry the errno's code and text.
absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     absl::string_view what) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(
      std::fopen(path.c_str(), "rb"), &std::fclose);
  if (file == nullptr) {
    return absl::ErrnoToStatus(errno,
                               absl::StrCat("bridge: ", what, ": cannot open"));
  }
  std::string bytes;
  char buffer[64 * 1024];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file.get())) > 0) {
    bytes.append(buffer, n);
  }
  if (std::ferror(file.get())) {
    return absl::ErrnoToStatus(errno,
                               absl::StrCat("bridge: ", what, ": cannot read"));
  }
  return bytes;
}

}  // namespace

DescriptorSetSource::DescriptorSetSource(std::string path)
    : path_(std::move(path)) {}

std::string DescriptorSetSource::Describe() const {
  return absl::StrCat("descriptor set ", path_);
}

absl::StatusOr<std::vector<google::protobuf::FileDescriptorProto>>
DescriptorSetSource::Load() {
  const std::string what = Describe();
  absl::StatusOr<std::string> bytes = ReadFile(path_, what);
  if (!bytes.ok()) return bytes.status();

  google::protobuf::FileDescriptorSet set;
  if (!set.ParseFromString(*bytes)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bridge: ", what, " is not a FileDescriptorSet (", bytes->size(),
        " bytes that do not parse); write it with protoc --include_imports "
        "--descriptor_set_out=FILE"));
  }
  if (set.file_size() == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("bridge: ", what,
                     " holds no files; write it with protoc --include_imports "
                     "--descriptor_set_out=FILE x.proto"));
  }
  std::vector<google::protobuf::FileDescriptorProto> files(
      std::make_move_iterator(set.mutable_file()->begin()),
      std::make_move_iterator(set.mutable_file()->end()));
  std::vector<MissingImport> missing = MissingImports(files);
  if (!missing.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("bridge: ", what, ": ", missing[0].file, " imports ",
                     missing[0].imported, ", which the set does not contain (",
                     missing.size(),
                     " missing imports in all); write the set with protoc "
                     "--include_imports"));
  }
  return files;
}

}  // namespace bridge

#include "bridge/schema/schema.h"

#include <algorithm>
#include <cassert>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

#include "netrpc/base/status_macros.h"

namespace bridge {
namespace {

using google::protobuf::DescriptorProto;
using google::protobuf::FileDescriptorProto;

// A file and the source it came from, for messages.
struct Entry {
  FileDescriptorProto proto;
  std::string origin;
};

// Files is the union of every source's files, by name.
struct Files {
  std::vector<Entry> entries;
  absl::flat_hash_map<std::string, size_t> index;
};

// StripOptional clears what may legitimately differ between two copies of
// the same file: comments, and json_name, which protoc writes and
// FileDescriptor::CopyTo (C++ reflection servers) leaves out.
void StripOptional(DescriptorProto& message) {
  for (auto& field : *message.mutable_field()) field.clear_json_name();
  for (auto& field : *message.mutable_extension()) field.clear_json_name();
  for (auto& nested : *message.mutable_nested_type()) StripOptional(nested);
}

std::string Canonical(FileDescriptorProto file) {
  file.clear_source_code_info();
  for (auto& message : *file.mutable_message_type()) StripOptional(message);
  for (auto& field : *file.mutable_extension()) field.clear_json_name();
  return file.SerializeAsString();
}

absl::Status Add(std::vector<FileDescriptorProto> files,
                 const std::string& origin, Files& all) {
  for (FileDescriptorProto& file : files) {
    auto [it, inserted] = all.index.emplace(file.name(), all.entries.size());
    if (inserted) {
      all.entries.push_back({std::move(file), origin});
      continue;
    }
    const Entry& first = all.entries[it->second];
    if (Canonical(first.proto) != Canonical(file)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "bridge: schema: ", file.name(), " comes from both ", first.origin,
          " and ", origin,
          ", with different contents; make both sources use the same version "
          "of it"));
    }
  }
  return absl::OkStatus();
}

// ErrorCollector keeps the first error the pool reports about a file.
class FirstError final
    : public google::protobuf::DescriptorPool::ErrorCollector {
 public:
  void AddError(const std::string& /*filename*/, const std::string& element,
                const google::protobuf::Message* /*descriptor*/,
                ErrorLocation /*location*/,
                const std::string& message) override {
    if (error_.empty()) error_ = absl::StrCat(element, ": ", message);
  }
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

// Linker builds the files into the pool, each after its imports.
class Linker {
 public:
  Linker(const Files& files, google::protobuf::DescriptorPool& pool)
      : files_(files), pool_(pool), state_(files.entries.size(), kUnbuilt) {}

  absl::Status LinkAll() {
    for (size_t i = 0; i < files_.entries.size(); ++i) {
      NETRPC_RETURN_IF_ERROR(Link(i));
    }
    return absl::OkStatus();
  }

 private:
  enum State { kUnbuilt, kBuilding, kBuilt };

  absl::Status Link(size_t i) {
    if (state_[i] == kBuilt) return absl::OkStatus();
    const Entry& entry = files_.entries[i];
    if (state_[i] == kBuilding) {
      return absl::InvalidArgumentError(absl::StrCat(
          "bridge: schema: ", entry.proto.name(), " (from ", entry.origin,
          ") is part of an import cycle: ", absl::StrJoin(path_, " -> "),
          " -> ", entry.proto.name(), "; break the cycle"));
    }
    state_[i] = kBuilding;
    path_.push_back(entry.proto.name());
    for (const std::string& imported : entry.proto.dependency()) {
      auto it = files_.index.find(imported);
      if (it == files_.index.end()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "bridge: schema: ", entry.proto.name(), " (from ", entry.origin,
            ") imports ", imported,
            ", which no schema source provides; add a source that has it (a "
            "descriptor set written with protoc --include_imports)"));
      }
      NETRPC_RETURN_IF_ERROR(Link(it->second));
    }
    FirstError errors;
    if (pool_.BuildFileCollectingErrors(entry.proto, &errors) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("bridge: schema: ", entry.proto.name(), " (from ",
                       entry.origin, ") does not link: ", errors.error()));
    }
    path_.pop_back();
    state_[i] = kBuilt;
    return absl::OkStatus();
  }

  const Files& files_;
  google::protobuf::DescriptorPool& pool_;
  std::vector<State> state_;
  std::vector<std::string> path_;  // the import chain being built
};

std::string Names(
    const std::vector<const google::protobuf::ServiceDescriptor*>& services) {
  if (services.empty()) return "none";
  return absl::StrJoin(services, ", ", [](std::string* out, const auto* s) {
    out->append(s->full_name());
  });
}

}  // namespace

Schema::Schema()
    : pool_(std::make_unique<google::protobuf::DescriptorPool>()),
      factory_(std::make_unique<google::protobuf::DynamicMessageFactory>(
          pool_.get())) {}

absl::StatusOr<std::shared_ptr<const Schema>> Schema::Build(
    absl::Span<SchemaSource* const> sources) {
  Files all;
  for (SchemaSource* source : sources) {
    NETRPC_ASSIGN_OR_RETURN(std::vector<FileDescriptorProto> files,
                            source->Load());
    NETRPC_RETURN_IF_ERROR(Add(std::move(files), source->Describe(), all));
  }
  if (all.entries.empty()) {
    return absl::InvalidArgumentError(
        "bridge: schema: no files; configure at least one schema source");
  }
  std::shared_ptr<Schema> schema(new Schema());
  NETRPC_RETURN_IF_ERROR(Linker(all, *schema->pool_).LinkAll());
  for (const Entry& entry : all.entries) {
    const google::protobuf::FileDescriptor* file =
        schema->pool_->FindFileByName(entry.proto.name());
    for (int i = 0; i < file->service_count(); ++i) {
      schema->services_.push_back(file->service(i));
    }
  }
  std::sort(schema->services_.begin(), schema->services_.end(),
            [](const auto* a, const auto* b) {
              return a->full_name() < b->full_name();
            });
  return std::shared_ptr<const Schema>(std::move(schema));
}

absl::StatusOr<std::shared_ptr<const Schema>> Schema::FromFiles(
    std::vector<FileDescriptorProto> files, absl::string_view origin) {
  // A source over the files already in hand, so both paths share one linker.
  class InMemory final : public SchemaSource {
   public:
    InMemory(std::vector<FileDescriptorProto> files, absl::string_view origin)
        : files_(std::move(files)), origin_(origin) {}
    std::string Describe() const override { return origin_; }
    absl::StatusOr<std::vector<FileDescriptorProto>> Load() override {
      return std::move(files_);
    }

   private:
    std::vector<FileDescriptorProto> files_;
    std::string origin_;
  };
  InMemory source(std::move(files), origin);
  SchemaSource* sources[] = {&source};
  return Build(sources);
}

absl::StatusOr<const google::protobuf::ServiceDescriptor*> Schema::FindService(
    absl::string_view service) const {
  const google::protobuf::ServiceDescriptor* found =
      pool_->FindServiceByName(std::string(service));
  if (found == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("bridge: the schema has no service ", service,
                     " (it has: ", Names(services_), ")"));
  }
  return found;
}

absl::StatusOr<const google::protobuf::MethodDescriptor*> Schema::FindMethod(
    absl::string_view service, absl::string_view method) const {
  NETRPC_ASSIGN_OR_RETURN(const google::protobuf::ServiceDescriptor* found,
                          FindService(service));
  const google::protobuf::MethodDescriptor* m =
      found->FindMethodByName(std::string(method));
  if (m == nullptr) {
    std::vector<std::string> methods;
    for (int i = 0; i < found->method_count(); ++i) {
      methods.push_back(found->method(i)->name());
    }
    return absl::NotFoundError(
        absl::StrCat("bridge: service ", service, " has no method ", method,
                     " (it has: ", absl::StrJoin(methods, ", "), ")"));
  }
  return m;
}

absl::StatusOr<const google::protobuf::MethodDescriptor*> Schema::FindMethod(
    absl::string_view path) const {
  std::vector<absl::string_view> parts = absl::StrSplit(path, '/');
  if (parts.size() != 3 || !parts[0].empty() || parts[1].empty() ||
      parts[2].empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bridge: \"", path,
        "\" is not a gRPC method path; want /package.Service/Method"));
  }
  return FindMethod(parts[1], parts[2]);
}

std::unique_ptr<google::protobuf::Message> Schema::NewMessage(
    const google::protobuf::Descriptor& type) const {
  assert(type.file()->pool() == pool_.get());
  return std::unique_ptr<google::protobuf::Message>(
      factory_->GetPrototype(&type)->New());
}

std::string MethodPath(const google::protobuf::MethodDescriptor& method) {
  return absl::StrCat("/", method.service()->full_name(), "/", method.name());
}

CurrentSchema::CurrentSchema(std::shared_ptr<const Schema> initial)
    : schema_(std::move(initial)) {
  assert(schema_ != nullptr);
}

std::shared_ptr<const Schema> CurrentSchema::Get() const {
  absl::MutexLock lock(&mu_);
  return schema_;
}

void CurrentSchema::Set(std::shared_ptr<const Schema> next) {
  assert(next != nullptr);
  absl::MutexLock lock(&mu_);
  schema_ = std::move(next);
}

}  // namespace bridge

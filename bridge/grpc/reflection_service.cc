#include "bridge/grpc/reflection_service.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/impl/codegen/server_callback_handlers.h"
#include "grpcpp/impl/rpc_service_method.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"

namespace bridge {

using google::protobuf::DescriptorPool;
using google::protobuf::FileDescriptor;
using grpc::reflection::v1::ServerReflectionRequest;
using grpc::reflection::v1::ServerReflectionResponse;

namespace {

// The full method paths; grpc::Service keeps pointers to them.
constexpr char kV1Method[] =
    "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo";
constexpr char kV1AlphaMethod[] =
    "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

// AddFile appends file, then every file it imports that is not yet in sent.
void AddFile(const FileDescriptor* file, absl::flat_hash_set<std::string>& sent,
             grpc::reflection::v1::FileDescriptorResponse& out) {
  if (!sent.insert(file->name()).second) return;
  google::protobuf::FileDescriptorProto proto;
  file->CopyTo(&proto);
  file->CopySourceCodeInfoTo(&proto);
  file->CopyJsonNameTo(&proto);
  out.add_file_descriptor_proto(proto.SerializeAsString());
  for (int i = 0; i < file->dependency_count(); ++i) {
    AddFile(file->dependency(i), sent, out);
  }
}

void CollectFiles(const FileDescriptor* file,
                  absl::flat_hash_set<std::string>& names) {
  if (!names.insert(file->name()).second) return;
  for (int i = 0; i < file->dependency_count(); ++i) {
    CollectFiles(file->dependency(i), names);
  }
}

}  // namespace

// Reactor answers one ServerReflectionInfo stream: read a request, write its
// answer, repeat until the client half-closes.
class ReflectionService::Reactor final
    : public grpc::ServerBidiReactor<ServerReflectionRequest,
                                     ServerReflectionResponse> {
 public:
  explicit Reactor(const ReflectionService* service) : service_(service) {
    StartRead(&request_);
  }

 private:
  void OnReadDone(bool ok) override {
    if (!ok) {  // the client is done asking (or gone)
      Finish(grpc::Status::OK);
      return;
    }
    response_ = service_->Answer(request_);
    StartWrite(&response_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::CANCELLED);
      return;
    }
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

  const ReflectionService* const service_;
  ServerReflectionRequest request_;
  ServerReflectionResponse response_;
};

ReflectionService::ReflectionService(const CurrentSchema* schema,
                                     std::vector<std::string> extra_services)
    : schema_(schema), extra_services_(std::move(extra_services)) {
  extra_services_.push_back("grpc.reflection.v1.ServerReflection");
  extra_services_.push_back("grpc.reflection.v1alpha.ServerReflection");
  std::sort(extra_services_.begin(), extra_services_.end());
  extra_services_.erase(
      std::unique(extra_services_.begin(), extra_services_.end()),
      extra_services_.end());
  for (const std::string& name : extra_services_) {
    const auto* service =
        DescriptorPool::generated_pool()->FindServiceByName(name);
    if (service != nullptr) CollectFiles(service->file(), extra_files_);
  }

  // A hand-built service, as generated code builds one, because the v1alpha
  // method must be served with the v1 messages: generated v1alpha code would
  // clash with the same messages inside libgrpc++_reflection.
  int index = 0;
  for (const char* method : {kV1Method, kV1AlphaMethod}) {
    AddMethod(new grpc::internal::RpcServiceMethod(
        method, grpc::internal::RpcMethod::BIDI_STREAMING, nullptr));
    MarkMethodCallback(
        index++,
        new grpc::internal::CallbackBidiHandler<ServerReflectionRequest,
                                                ServerReflectionResponse>(
            [this](grpc::CallbackServerContext* /*context*/) {
              return new Reactor(this);
            }));
  }
}

ServerReflectionResponse ReflectionService::Answer(
    const ServerReflectionRequest& request) const {
  std::shared_ptr<const Schema> schema = schema_->Get();
  const DescriptorPool& pool = schema->pool();
  const DescriptorPool& generated = *DescriptorPool::generated_pool();
  // Only the extra services' files may come from the generated pool.
  auto extra = [&](const FileDescriptor* file) -> const FileDescriptor* {
    return file != nullptr && extra_files_.contains(file->name()) ? file
                                                                  : nullptr;
  };

  ServerReflectionResponse response;
  response.set_valid_host(request.host());
  *response.mutable_original_request() = request;
  auto not_found = [&response](const std::string& what) {
    auto* error = response.mutable_error_response();
    error->set_error_code(static_cast<int>(grpc::StatusCode::NOT_FOUND));
    error->set_error_message(
        absl::StrCat("bridge: reflection: ", what, " not found"));
    return response;
  };

  const FileDescriptor* file = nullptr;
  switch (request.message_request_case()) {
    case ServerReflectionRequest::kListServices: {
      std::vector<std::string> names = extra_services_;
      for (const auto* service : schema->services()) {
        names.push_back(service->full_name());
      }
      std::sort(names.begin(), names.end());
      names.erase(std::unique(names.begin(), names.end()), names.end());
      auto* list = response.mutable_list_services_response();
      for (std::string& name : names) {
        list->add_service()->set_name(std::move(name));
      }
      return response;
    }
    case ServerReflectionRequest::kFileByFilename: {
      const std::string& name = request.file_by_filename();
      file = pool.FindFileByName(name);
      if (file == nullptr) file = extra(generated.FindFileByName(name));
      if (file == nullptr) return not_found(absl::StrCat("file ", name));
      break;
    }
    case ServerReflectionRequest::kFileContainingSymbol: {
      const std::string& symbol = request.file_containing_symbol();
      file = pool.FindFileContainingSymbol(symbol);
      if (file == nullptr) {
        file = extra(generated.FindFileContainingSymbol(symbol));
      }
      if (file == nullptr) return not_found(absl::StrCat("symbol ", symbol));
      break;
    }
    case ServerReflectionRequest::kFileContainingExtension: {
      const auto& ext = request.file_containing_extension();
      const auto* type = pool.FindMessageTypeByName(ext.containing_type());
      const auto* field = type == nullptr ? nullptr
                                          : pool.FindExtensionByNumber(
                                                type, ext.extension_number());
      if (field == nullptr) {
        return not_found(absl::StrCat("extension ", ext.extension_number(),
                                      " of ", ext.containing_type()));
      }
      file = field->file();
      break;
    }
    case ServerReflectionRequest::kAllExtensionNumbersOfType: {
      const std::string& name = request.all_extension_numbers_of_type();
      const auto* type = pool.FindMessageTypeByName(name);
      if (type == nullptr) return not_found(absl::StrCat("type ", name));
      std::vector<const google::protobuf::FieldDescriptor*> extensions;
      pool.FindAllExtensions(type, &extensions);
      auto* numbers = response.mutable_all_extension_numbers_response();
      numbers->set_base_type_name(name);
      for (const auto* extension : extensions) {
        numbers->add_extension_number(extension->number());
      }
      return response;
    }
    case ServerReflectionRequest::MESSAGE_REQUEST_NOT_SET: {
      auto* error = response.mutable_error_response();
      error->set_error_code(static_cast<int>(grpc::StatusCode::UNIMPLEMENTED));
      error->set_error_message(
          "bridge: reflection: the request asks for nothing this server "
          "knows");
      return response;
    }
  }
  absl::flat_hash_set<std::string> sent;
  AddFile(file, sent, *response.mutable_file_descriptor_response());
  return response;
}

}  // namespace bridge

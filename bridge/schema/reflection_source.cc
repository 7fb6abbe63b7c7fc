#include "bridge/schema/reflection_source.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "grpcpp/client_context.h"
#include "grpcpp/completion_queue.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/impl/codegen/proto_utils.h"

#include "bridge/grpc/status.h"
#include "netrpc/base/status_macros.h"
#include "proto/grpc/reflection/v1/reflection.pb.h"

namespace bridge {
namespace {

using google::protobuf::FileDescriptorProto;
using grpc::reflection::v1::ServerReflectionRequest;
using grpc::reflection::v1::ServerReflectionResponse;

// v1 and v1alpha differ only in the package: the messages are the same on
// the wire, so the v1 ones serve for both, over a stub that takes the method
// path as a string.
constexpr absl::string_view kV1 = "grpc.reflection.v1.ServerReflection";
constexpr absl::string_view kV1Alpha =
    "grpc.reflection.v1alpha.ServerReflection";

// Stream is one ServerReflectionInfo call, driven synchronously: schema
// loading is control-plane work, and a private completion queue lets each
// step wait for its one operation without a thread of its own.
class Stream {
 public:
  Stream(std::shared_ptr<grpc::ChannelInterface> channel,
         absl::string_view service, absl::Time deadline,
         const ReflectionSourceOptions& options)
      : stub_(std::move(channel)) {
    context_.set_deadline(absl::ToChronoTime(deadline));
    for (const auto& [key, value] : options.metadata) {
      context_.AddMetadata(key, value);
    }
    call_ = stub_.PrepareCall(
        &context_, absl::StrCat("/", service, "/ServerReflectionInfo"), &cq_);
  }

  ~Stream() {
    if (started_ && !finished_) {
      context_.TryCancel();
      grpc::Status ignored;
      call_->Finish(&ignored, this);
      Wait();
    }
    cq_.Shutdown();
    void* tag;
    bool ok;
    while (cq_.Next(&tag, &ok)) {
    }
  }

  // Ask sends one request and returns the server's answer, or the status
  // that ended the stream.
  absl::StatusOr<ServerReflectionResponse> Ask(
      const ServerReflectionRequest& request) {
    if (!started_) {
      started_ = true;
      call_->StartCall(this);
      if (!Wait()) return Broken();
    }
    call_->Write(request, this);
    if (!Wait()) return Broken();
    ServerReflectionResponse response;
    call_->Read(&response, this);
    if (!Wait()) return Broken();
    return response;
  }

  // Close ends the stream the polite way, so the server sees no cancellation.
  void Close() {
    if (!started_ || finished_) return;
    call_->WritesDone(this);
    Wait();
    grpc::Status ignored;
    call_->Finish(&ignored, this);
    Wait();
    finished_ = true;
  }

 private:
  bool Wait() {
    void* tag;
    bool ok = false;
    return cq_.Next(&tag, &ok) && ok;
  }

  // Broken returns why the stream stopped: the status the server (or the
  // channel) ended the call with.
  absl::Status Broken() {
    grpc::Status status;
    call_->Finish(&status, this);
    Wait();
    finished_ = true;
    if (status.ok()) {
      return absl::InternalError(
          "the server ended the stream without answering");
    }
    return ToAbslStatus(status);
  }

  grpc::CompletionQueue cq_;
  grpc::ClientContext context_;
  grpc::TemplatedGenericStub<ServerReflectionRequest, ServerReflectionResponse>
      stub_;
  std::unique_ptr<grpc::ClientAsyncReaderWriter<ServerReflectionRequest,
                                                ServerReflectionResponse>>
      call_;
  bool started_ = false;
  bool finished_ = false;
};

// Fetcher loads the schema over one stream, in one protocol version.
class Fetcher {
 public:
  Fetcher(std::string prefix, Stream& stream,
          const ReflectionSourceOptions& options)
      : prefix_(std::move(prefix)), stream_(stream), options_(options) {}

  absl::StatusOr<std::vector<FileDescriptorProto>> Fetch() {
    NETRPC_ASSIGN_OR_RETURN(std::vector<std::string> services, Services());
    for (const std::string& service : services) {
      ServerReflectionRequest request;
      request.set_file_containing_symbol(service);
      NETRPC_RETURN_IF_ERROR(
          AskFiles(request, absl::StrCat("fetching the file of ", service)));
    }
    // Servers may leave out imports they sent earlier on the stream (Go's
    // does) or never send them; ask by name until the set is closed.
    absl::flat_hash_set<std::string> asked;
    for (std::vector<MissingImport> missing = MissingImports(files_);
         !missing.empty(); missing = MissingImports(files_)) {
      for (const MissingImport& m : missing) {
        if (!asked.insert(m.imported).second) {
          return absl::NotFoundError(absl::StrCat(
              prefix_, m.file, " imports ", m.imported,
              ", which the server does not send when asked by name"));
        }
        ServerReflectionRequest request;
        request.set_file_by_filename(m.imported);
        NETRPC_RETURN_IF_ERROR(AskFiles(
            request,
            absl::StrCat("fetching ", m.imported, ", imported by ", m.file)));
      }
    }
    return std::move(files_);
  }

 private:
  absl::StatusOr<ServerReflectionResponse> Ask(
      const ServerReflectionRequest& request, absl::string_view step) {
    absl::StatusOr<ServerReflectionResponse> response = stream_.Ask(request);
    if (!response.ok()) {
      return absl::Status(
          response.status().code(),
          absl::StrCat(prefix_, step, ": ", response.status().message()));
    }
    if (response->has_error_response()) {
      return absl::Status(
          CodeFromNumber(response->error_response().error_code()),
          absl::StrCat(prefix_, step, ": the server answers: ",
                       response->error_response().error_message()));
    }
    return response;
  }

  absl::StatusOr<std::vector<std::string>> Services() {
    ServerReflectionRequest request;
    request.set_list_services("*");
    NETRPC_ASSIGN_OR_RETURN(ServerReflectionResponse response,
                            Ask(request, "listing services"));
    if (!response.has_list_services_response()) {
      return absl::InvalidArgumentError(absl::StrCat(
          prefix_, "listing services: the server answers something else"));
    }
    std::vector<std::string> listed;
    for (const auto& service : response.list_services_response().service()) {
      listed.push_back(service.name());
    }
    if (!options_.services.empty()) {
      absl::flat_hash_set<std::string> known(listed.begin(), listed.end());
      for (const std::string& wanted : options_.services) {
        if (!known.contains(wanted)) {
          return absl::NotFoundError(
              absl::StrCat(prefix_, "the server does not list service ", wanted,
                           " (it lists: ", absl::StrJoin(listed, ", "), ")"));
        }
      }
      return options_.services;
    }
    std::vector<std::string> services;
    for (std::string& name : listed) {
      if (!absl::StartsWith(name, "grpc.reflection.")) {
        services.push_back(std::move(name));
      }
    }
    if (services.empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          prefix_, "the server lists no services besides reflection"));
    }
    return services;
  }

  absl::Status AskFiles(const ServerReflectionRequest& request,
                        absl::string_view step) {
    NETRPC_ASSIGN_OR_RETURN(ServerReflectionResponse response,
                            Ask(request, step));
    if (!response.has_file_descriptor_response()) {
      return absl::InvalidArgumentError(
          absl::StrCat(prefix_, step, ": the server answers something else"));
    }
    for (const std::string& bytes :
         response.file_descriptor_response().file_descriptor_proto()) {
      FileDescriptorProto file;
      if (!file.ParseFromString(bytes)) {
        return absl::InvalidArgumentError(absl::StrCat(
            prefix_, step,
            ": the server sends a file descriptor that does not parse"));
      }
      if (seen_.insert(file.name()).second) files_.push_back(std::move(file));
    }
    return absl::OkStatus();
  }

  const std::string prefix_;
  Stream& stream_;
  const ReflectionSourceOptions& options_;
  std::vector<FileDescriptorProto> files_;
  absl::flat_hash_set<std::string> seen_;
};

}  // namespace

ReflectionSource::ReflectionSource(
    std::string target, std::shared_ptr<grpc::ChannelInterface> channel,
    ReflectionSourceOptions options)
    : target_(std::move(target)),
      channel_(std::move(channel)),
      options_(std::move(options)) {}

std::string ReflectionSource::Describe() const {
  return absl::StrCat("server reflection of ", target_);
}

absl::StatusOr<std::vector<FileDescriptorProto>> ReflectionSource::Load() {
  const absl::Time deadline = absl::Now() + options_.timeout;
  absl::StatusOr<std::vector<FileDescriptorProto>> files;
  for (absl::string_view service : {kV1, kV1Alpha}) {
    Stream stream(channel_, service, deadline, options_);
    files = Fetcher(absl::StrCat("bridge: ", Describe(), " (", service, "): "),
                    stream, options_)
                .Fetch();
    stream.Close();
    if (files.status().code() != absl::StatusCode::kUnimplemented) {
      return files;
    }
  }
  return absl::UnimplementedError(absl::StrCat(
      "bridge: ", Describe(), " fails: the server serves neither ", kV1,
      " nor ", kV1Alpha, " (", files.status().message(),
      "); enable server reflection on it, or give the gateway a descriptor "
      "set of its services"));
}

}  // namespace bridge

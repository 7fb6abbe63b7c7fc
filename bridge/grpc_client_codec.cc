#include "bridge/grpc_client_codec.h"

#include <deque>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bridge/convert/gob_to_wire.h"
#include "bridge/convert/wire_to_gob.h"
#include "bridge/upstream_error.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "netrpc/errors.h"
#include "netrpc/gob/decoder.h"
#include "netrpc/gob/encoder.h"
#include "netrpc/sync.h"

namespace bridge {
namespace {

// Replies is what calls completed on gRPC threads hand to the client's reader
// thread: responses in completion order, each a header and the gob bytes of
// its body, encoded on one stream so the reader's decoder stays in step.
class Replies {
 public:
  struct Reply {
    netrpc::Response header;
    std::string body;  // gob messages; empty for an error
  };

  void Error(const netrpc::Request& request, absl::string_view text) {
    netrpc::MutexLock lock(&mu_);
    queue_.push_back({{request.service_method, request.seq,
                       text.empty() ? std::string("bridge: error with no text")
                                    : std::string(text)},
                      ""});
  }

  // Value encodes value as the reply to request.
  void Value(const netrpc::Request& request, const netrpc::gob::Value& value) {
    netrpc::MutexLock lock(&mu_);
    Reply reply{{request.service_method, request.seq, ""}, ""};
    absl::Status s = encoder_.EncodeValue(value, &reply.body);
    if (!s.ok()) {
      reply.header.error = std::string(s.message());
      reply.body.clear();
    }
    queue_.push_back(std::move(reply));
  }

  // Next waits for a reply; false once closed and drained.
  bool Next(Reply* out) {
    netrpc::MutexLock lock(&mu_);
    mu_.Await([this]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
      return closed_ || !queue_.empty();
    });
    if (queue_.empty()) return false;
    *out = std::move(queue_.front());
    queue_.pop_front();
    return true;
  }

  void Close() {
    netrpc::MutexLock lock(&mu_);
    closed_ = true;
  }

 private:
  netrpc::Mutex mu_;
  netrpc::gob::Encoder encoder_ ABSL_GUARDED_BY(mu_);
  std::deque<Reply> queue_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

class GrpcClientCodec final : public netrpc::ClientCodec {
 public:
  GrpcClientCodec(std::shared_ptr<const Mapping> mapping,
                  std::shared_ptr<const UnaryClient> upstream)
      : mapping_(std::move(mapping)),
        upstream_(std::move(upstream)),
        replies_(std::make_shared<Replies>()) {}

  ~GrpcClientCodec() override { replies_->Close(); }

  // WriteRequest is serialised by the client, so the argument stream needs
  // no lock of its own.
  absl::Status WriteRequest(const netrpc::Request& request,
                            const netrpc::Body* body) override {
    const Route* route = mapping_->routes().ByNetRpc(request.service_method);
    if (route == nullptr) {
      replies_->Error(request, NoRoute(request.service_method));
      return absl::OkStatus();
    }
    // Through gob, as a Go client's argument would come: the same mapping,
    // the same checks and texts.
    std::string bytes;
    absl::Status s = body->EncodeGob(arg_encoder_, &bytes);
    if (!s.ok()) return s;
    arg_decoder_.Append(bytes);
    netrpc::gob::Value arg;
    s = arg_decoder_.DecodeValue(&arg);
    if (!s.ok()) return s;
    std::string wire;
    s = GobToWire(arg, route->method->input_type(), mapping_->types(),
                  mapping_->options(), &wire);
    if (!s.ok()) {
      replies_->Error(request, s.message());
      return absl::OkStatus();
    }

    CallOptions options;
    options.deadline = absl::Now() + route->timeout;
    options.metadata = route->metadata;
    absl::Time deadline = options.deadline;
    upstream_->CallWire(
        route->path, wire, std::move(options),
        [mapping = mapping_, replies = replies_, route, request,
         deadline](absl::StatusOr<std::string> response) {
          if (!response.ok()) {
            replies->Error(request,
                           UpstreamError(*route, response.status(), deadline)
                               .message());
            return;
          }
          absl::StatusOr<netrpc::gob::Value> v =
              WireToGob(*response, route->method->output_type(),
                        mapping->types(), mapping->options());
          if (!v.ok()) {
            replies->Error(request, v.status().message());
            return;
          }
          replies->Value(request, *v);
        });
    return absl::OkStatus();
  }

  // ReadResponseHeader and ReadResponseBody run on the client's reader thread
  // only.
  absl::Status ReadResponseHeader(netrpc::Response* response) override {
    if (!replies_->Next(&current_)) return netrpc::EOFError();
    *response = current_.header;
    return absl::OkStatus();
  }

  absl::Status ReadResponseBody(netrpc::Body* body) override {
    if (current_.body.empty()) return absl::OkStatus();  // an error reply
    reply_decoder_.Append(current_.body);
    current_.body.clear();
    return body == nullptr ? reply_decoder_.Skip()
                           : body->DecodeGob(reply_decoder_);
  }

  absl::Status Close() override {
    replies_->Close();
    return absl::OkStatus();
  }

 private:
  // NoRoute is Go's server text for a method nobody serves.
  std::string NoRoute(absl::string_view service_method) const {
    size_t dot = service_method.rfind('.');
    if (dot == absl::string_view::npos) {
      return absl::StrCat("rpc: service/method request ill-formed: ",
                          service_method);
    }
    absl::string_view service = service_method.substr(0, dot);
    for (const Route& r : mapping_->routes().routes()) {
      if (r.netrpc_service == service) {
        return absl::StrCat("rpc: can't find method ", service_method);
      }
    }
    return absl::StrCat("rpc: can't find service ", service_method);
  }

  const std::shared_ptr<const Mapping> mapping_;
  const std::shared_ptr<const UnaryClient> upstream_;
  // Shared with calls in flight, which may finish after the codec is gone.
  const std::shared_ptr<Replies> replies_;
  netrpc::gob::Encoder arg_encoder_;
  netrpc::gob::Decoder arg_decoder_;
  netrpc::gob::Decoder reply_decoder_;
  Replies::Reply current_;
};

}  // namespace

std::unique_ptr<netrpc::ClientCodec> NewGrpcClientCodec(
    std::shared_ptr<const Mapping> mapping,
    std::shared_ptr<const UnaryClient> upstream) {
  return std::make_unique<GrpcClientCodec>(std::move(mapping),
                                           std::move(upstream));
}

std::unique_ptr<netrpc::Client> DialGrpc(
    std::shared_ptr<grpc::ChannelInterface> channel,
    std::shared_ptr<const Mapping> mapping) {
  return netrpc::NewClientWithCodec(NewGrpcClientCodec(
      std::move(mapping), std::make_shared<GenericClient>(std::move(channel))));
}

absl::StatusOr<std::unique_ptr<netrpc::Client>> DialGrpc(
    absl::string_view target, std::shared_ptr<const Mapping> mapping) {
  std::shared_ptr<grpc::Channel> channel = grpc::CreateChannel(
      std::string(target), grpc::InsecureChannelCredentials());
  if (channel == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("bridge: cannot make a gRPC channel to ", target));
  }
  return DialGrpc(std::move(channel), std::move(mapping));
}

}  // namespace bridge

// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.

#include "netrpc/gob_codec.h"

#include <string>
#include <utility>

#include "netrpc/gob/bind.h"
#include "netrpc/gob/decoder.h"
#include "netrpc/gob/encoder.h"
#include "netrpc/gob/wire.h"

namespace netrpc {
namespace gob_codec_internal {

// The headers as Go's net/rpc declares them; peers match fields by name.
struct RequestHeader {
  std::string ServiceMethod;
  uint64_t Seq = 0;
};
NETRPC_GOB_STRUCT_NAMED(RequestHeader, "rpc.Request", ServiceMethod, Seq);

struct ResponseHeader {
  std::string ServiceMethod;
  uint64_t Seq = 0;
  std::string Error;
};
NETRPC_GOB_STRUCT_NAMED(ResponseHeader, "rpc.Response", ServiceMethod, Seq,
                        Error);

// InvalidRequest is Go's `invalidRequest = struct{}{}`: the body sent with
// an error response. Unnamed, as Go's.
struct InvalidRequest {};
NETRPC_GOB_STRUCT_NAMED(InvalidRequest, "");

}  // namespace gob_codec_internal

namespace {

using gob_codec_internal::InvalidRequest;
using gob_codec_internal::RequestHeader;
using gob_codec_internal::ResponseHeader;

// Translate maps gob's need-more status onto the codec seam's.
absl::Status Translate(absl::Status status) {
  if (status.ok()) return status;
  return gob::IsNeedMore(status) ? NeedMoreInput() : status;
}

gob::DecoderOptions DecoderOptionsFor(const GobCodecOptions& options) {
  gob::DecoderOptions d;
  d.max_message_size = options.max_message_bytes;
  return d;
}

gob::EncoderOptions EncoderOptionsFor(const GobCodecOptions& options) {
  gob::EncoderOptions e;
  e.max_message_size = options.max_message_bytes;
  return e;
}

class GobStreamServerCodec final : public StreamServerCodec {
 public:
  explicit GobStreamServerCodec(const GobCodecOptions& options)
      : decoder_(DecoderOptionsFor(options)),
        encoder_(EncoderOptionsFor(options)) {}

  void Append(absl::string_view data) override { decoder_.Append(data); }
  void SetEOF() override { decoder_.CloseInput(); }

  absl::Status ReadRequestHeader(Request* request) override {
    RequestHeader header;  // fresh each time, as Go's `*r = Request{}`
    absl::Status status = Translate(decoder_.Decode(&header));
    if (!status.ok()) return status;
    request->service_method = std::move(header.ServiceMethod);
    request->seq = header.Seq;
    return absl::OkStatus();
  }

  absl::Status ReadRequestBody(Body* body) override {
    if (body == nullptr) return Translate(decoder_.Skip());
    return Translate(body->DecodeGob(decoder_));
  }

  absl::Status WriteResponse(const Response& response, const Body* body,
                             std::string* out) override {
    ResponseHeader header{response.service_method, response.seq,
                          response.error};
    absl::Status status = encoder_.Encode(header, out);
    if (!status.ok()) return status;
    if (body == nullptr) return encoder_.Encode(InvalidRequest{}, out);
    return body->EncodeGob(encoder_, out);
  }

 private:
  gob::Decoder decoder_;
  gob::Encoder encoder_;
};

class GobStreamClientCodec final : public StreamClientCodec {
 public:
  explicit GobStreamClientCodec(const GobCodecOptions& options)
      : decoder_(DecoderOptionsFor(options)),
        encoder_(EncoderOptionsFor(options)) {}

  absl::Status WriteRequest(const Request& request, const Body* body,
                            std::string* out) override {
    RequestHeader header{request.service_method, request.seq};
    absl::Status status = encoder_.Encode(header, out);
    if (!status.ok()) return status;
    return body->EncodeGob(encoder_, out);
  }

  void Append(absl::string_view data) override { decoder_.Append(data); }
  void SetEOF() override { decoder_.CloseInput(); }

  absl::Status ReadResponseHeader(Response* response) override {
    ResponseHeader header;
    absl::Status status = Translate(decoder_.Decode(&header));
    if (!status.ok()) return status;
    response->service_method = std::move(header.ServiceMethod);
    response->seq = header.Seq;
    response->error = std::move(header.Error);
    return absl::OkStatus();
  }

  absl::Status ReadResponseBody(Body* body) override {
    if (body == nullptr) return Translate(decoder_.Skip());
    return Translate(body->DecodeGob(decoder_));
  }

 private:
  gob::Decoder decoder_;
  gob::Encoder encoder_;
};

}  // namespace

std::unique_ptr<StreamServerCodec> NewGobStreamServerCodec(
    const GobCodecOptions& options) {
  return std::make_unique<GobStreamServerCodec>(options);
}

std::unique_ptr<StreamClientCodec> NewGobStreamClientCodec(
    const GobCodecOptions& options) {
  return std::make_unique<GobStreamClientCodec>(options);
}

std::unique_ptr<ServerCodec> NewGobServerCodec(std::unique_ptr<Conn> conn,
                                               const GobCodecOptions& options) {
  return NewServerCodec(std::move(conn), NewGobStreamServerCodec(options));
}

std::unique_ptr<ClientCodec> NewGobClientCodec(std::unique_ptr<Conn> conn,
                                               const GobCodecOptions& options) {
  return NewClientCodec(std::move(conn), NewGobStreamClientCodec(options));
}

}  // namespace netrpc

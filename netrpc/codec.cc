// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.

#include "netrpc/codec.h"

#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/cord.h"
#include "netrpc/errors.h"
#include "netrpc/sync.h"

namespace netrpc {
namespace {

constexpr absl::string_view kNeedMoreUrl = "type.netrpc/netrpc.NeedMoreInput";

// Go's bufio.Reader default: responses and requests are usually far smaller.
constexpr size_t kReadChunk = 4096;

// ReadUntil runs `step` (a stream codec read) until it stops asking for more
// input, feeding it from `conn`.
template <typename Codec, typename Step>
absl::Status ReadUntil(Conn& conn, Codec& codec, bool& eof, Step step) {
  for (;;) {
    absl::Status status = step();
    if (!IsNeedMoreInput(status)) return status;
    if (eof) return UnexpectedEOFError();  // a codec that ignored SetEOF
    char buf[kReadChunk];
    absl::StatusOr<size_t> n = conn.Read(buf, sizeof(buf));
    if (n.ok()) {
      codec.Append(absl::string_view(buf, *n));
    } else if (IsEOF(n.status())) {
      eof = true;
      codec.SetEOF();
    } else {
      return n.status();
    }
  }
}

class BlockingServerCodec final : public ServerCodec {
 public:
  BlockingServerCodec(std::unique_ptr<Conn> conn,
                      std::unique_ptr<StreamServerCodec> codec)
      : conn_(std::move(conn)), codec_(std::move(codec)) {}

  absl::Status ReadRequestHeader(Request* request) override {
    return ReadUntil(*conn_, *codec_, eof_,
                     [&] { return codec_->ReadRequestHeader(request); });
  }

  absl::Status ReadRequestBody(Body* body) override {
    return ReadUntil(*conn_, *codec_, eof_,
                     [&] { return codec_->ReadRequestBody(body); });
  }

  absl::Status WriteResponse(const Response& response,
                             const Body* body) override {
    MutexLock lock(&write_mu_);
    std::string out;
    absl::Status encoded = codec_->WriteResponse(response, body, &out);
    // As Go's gobServerCodec: what was encoded is flushed even on an encode
    // error, and the error is returned (the server then closes).
    absl::Status written = out.empty() ? absl::OkStatus() : conn_->Write(out);
    return encoded.ok() ? written : encoded;
  }

  absl::Status Close() override { return conn_->Close(); }

 private:
  std::unique_ptr<Conn> conn_;
  std::unique_ptr<StreamServerCodec> codec_;
  bool eof_ = false;  // read side only
  Mutex write_mu_;
};

class BlockingClientCodec final : public ClientCodec {
 public:
  BlockingClientCodec(std::unique_ptr<Conn> conn,
                      std::unique_ptr<StreamClientCodec> codec,
                      absl::string_view initial)
      : conn_(std::move(conn)), codec_(std::move(codec)) {
    if (!initial.empty()) codec_->Append(initial);
  }

  absl::Status WriteRequest(const Request& request,
                            const Body* body) override {
    MutexLock lock(&write_mu_);
    std::string out;
    absl::Status encoded = codec_->WriteRequest(request, body, &out);
    // What was encoded goes out even when the body failed: the codec counts
    // it as sent (type definitions), as Go's buffered writer does.
    absl::Status written = out.empty() ? absl::OkStatus() : conn_->Write(out);
    return encoded.ok() ? written : encoded;
  }

  absl::Status ReadResponseHeader(Response* response) override {
    return ReadUntil(*conn_, *codec_, eof_,
                     [&] { return codec_->ReadResponseHeader(response); });
  }

  absl::Status ReadResponseBody(Body* body) override {
    return ReadUntil(*conn_, *codec_, eof_,
                     [&] { return codec_->ReadResponseBody(body); });
  }

  absl::Status Close() override { return conn_->Close(); }

 private:
  std::unique_ptr<Conn> conn_;
  std::unique_ptr<StreamClientCodec> codec_;
  bool eof_ = false;  // read side only
  Mutex write_mu_;
};

}  // namespace

absl::Status NeedMoreInput() {
  // Built once: a copy shares the status's representation (a reference
  // count), where building it allocates every time a read runs dry.
  static const absl::Status* const kNeedMore = [] {
    auto* s =
        new absl::Status(absl::UnavailableError("netrpc: need more input"));
    s->SetPayload(kNeedMoreUrl, absl::Cord());
    return s;
  }();
  return *kNeedMore;
}

bool IsNeedMoreInput(const absl::Status& status) {
  // ok() is inline and the common case (every whole value read).
  return !status.ok() && status.GetPayload(kNeedMoreUrl).has_value();
}

std::unique_ptr<ServerCodec> NewServerCodec(
    std::unique_ptr<Conn> conn, std::unique_ptr<StreamServerCodec> codec) {
  return std::make_unique<BlockingServerCodec>(std::move(conn),
                                               std::move(codec));
}

std::unique_ptr<ClientCodec> NewClientCodec(
    std::unique_ptr<Conn> conn, std::unique_ptr<StreamClientCodec> codec,
    absl::string_view initial) {
  return std::make_unique<BlockingClientCodec>(std::move(conn),
                                               std::move(codec), initial);
}

}  // namespace netrpc

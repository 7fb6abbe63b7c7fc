// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.

#include "netrpc/jsonrpc/server_codec.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

#include "netrpc/body.h"
#include "netrpc/jsonrpc/bind.h"
#include "netrpc/jsonrpc/internal/decode.h"
#include "netrpc/jsonrpc/internal/encode.h"
#include "netrpc/jsonrpc/internal/stream.h"
#include "netrpc/sync.h"

namespace netrpc::jsonrpc {
namespace {

using internal::DecodeState;
using internal::Reader;

// ServerRequest is Go's serverRequest: {Method string `json:"method"`;
// Params, Id *json.RawMessage}. A raw member is nullopt when absent or
// null.
struct ServerRequest {
  std::string method;
  std::optional<std::string> params;
  std::optional<std::string> id;
};

// RawOrNull decodes a *json.RawMessage member: null resets it, anything
// else is kept as written.
void RawOrNull(Reader& r, std::optional<std::string>* raw) {
  if (r.Peek() == Reader::Kind::kNull) {
    r.Skip();
    raw->reset();
  } else {
    *raw = std::string(r.Value());
  }
}

// DecodeRequest decodes one request as Go's json.Decoder.Decode into a
// fresh serverRequest; its errors end the connection.
absl::Status DecodeRequest(absl::string_view json, ServerRequest* req) {
  static constexpr absl::string_view kNames[] = {"method", "params", "id"};
  Reader r(json);
  DecodeState st;
  Reader::Kind kind = r.Peek();
  if (kind == Reader::Kind::kObject) {
    internal::DecodeStruct(r, st, "serverRequest", kNames, [&](size_t i) {
      switch (i) {
        case 0:
          JsonCodec<std::string>::Decode(r, st, &req->method);
          break;
        case 1:
          RawOrNull(r, &req->params);
          break;
        default:
          RawOrNull(r, &req->id);
      }
    });
  } else if (kind != Reader::Kind::kNull) {  // null decodes to nothing
    st.TypeError(internal::KindName(kind), "jsonrpc.serverRequest");
  }
  return st.status();
}

class JsonServerCodec final : public StreamServerCodec {
 public:
  explicit JsonServerCodec(const CodecOptions& options)
      : stream_(options.max_message_bytes) {}

  void Append(absl::string_view data) override { stream_.Append(data); }
  void SetEOF() override { stream_.SetEOF(); }
  absl::string_view Protocol() const override { return "jsonrpc"; }

  absl::Status ReadRequestHeader(Request* request) override {
    absl::string_view value;
    absl::Status status = stream_.Next(&value);
    if (!status.ok()) return status;
    ServerRequest req;
    status = DecodeRequest(value, &req);
    if (!status.ok()) return status;
    params_ = std::move(req.params);
    // Go hands net/rpc its own sequence numbers and keeps the client's id,
    // which may be any JSON value, to echo in the response.
    MutexLock lock(&mu_);
    request->service_method = std::move(req.method);
    request->seq = ++seq_;
    pending_[seq_] = std::move(req.id);
    return absl::OkStatus();
  }

  absl::Status ReadRequestBody(Body* body) override {
    if (body == nullptr) return absl::OkStatus();
    if (!params_.has_value()) {
      return absl::InvalidArgumentError("jsonrpc: request body missing params");
    }
    // Go unmarshals params into [1]any{arg}: only element 0 counts, and a
    // null element or an empty array leaves the argument as it is.
    Reader r(*params_);
    Reader::Kind kind = r.Peek();
    if (kind != Reader::Kind::kArray) {
      DecodeState st;
      st.TypeError(internal::KindName(kind), "[1]interface {}");
      return st.status();
    }
    r.Enter();
    if (!r.More() || r.Peek() == Reader::Kind::kNull) return absl::OkStatus();
    return body->DecodeJson(r.Value());
  }

  absl::Status WriteResponse(const Response& response, const Body* body,
                             std::string* out) override {
    std::optional<std::string> id;
    {
      MutexLock lock(&mu_);
      auto it = pending_.find(response.seq);
      if (it == pending_.end()) {
        return absl::InvalidArgumentError(
            "invalid sequence number in response");
      }
      id = std::move(it->second);
      pending_.erase(it);
    }
    // Go's serverResponse {Id, Result, Error}. Go encodes it whole before
    // writing any of it, so a reply that fails to encode leaves nothing.
    const size_t start = out->size();
    out->append("{\"id\":");
    if (id.has_value()) {
      internal::AppendCompact(*id, out);
    } else {
      out->append("null");
    }
    out->append(",\"result\":");
    if (!response.error.empty() || body == nullptr) {
      out->append("null");
    } else {
      absl::Status status = body->EncodeJson(out);
      if (!status.ok()) {
        out->resize(start);
        return status;
      }
    }
    out->append(",\"error\":");
    if (response.error.empty()) {
      out->append("null");
    } else {
      internal::AppendString(response.error, out);
    }
    out->append("}\n");
    return absl::OkStatus();
  }

 private:
  // Read side (one thread).
  internal::ValueStream stream_;
  std::optional<std::string> params_;  // of the request just read

  // Shared with WriteResponse.
  Mutex mu_;
  uint64_t seq_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<uint64_t, std::optional<std::string>> pending_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace

std::unique_ptr<StreamServerCodec> NewStreamServerCodec(
    const CodecOptions& options) {
  return std::make_unique<JsonServerCodec>(options);
}

std::unique_ptr<ServerCodec> NewServerCodec(std::unique_ptr<Conn> conn,
                                            const CodecOptions& options) {
  return netrpc::NewServerCodec(std::move(conn), NewStreamServerCodec(options));
}

void ServeConn(std::unique_ptr<Conn> conn) {
  ServeConn(DefaultServer(), std::move(conn));
}

CodecOptions OptionsFor(const Server& server, CodecOptions options) {
  uint64_t max = server.options().max_message_bytes;
  if (max > 0) options.max_message_bytes = max;
  return options;
}

void ServeConn(Server& server, std::unique_ptr<Conn> conn) {
  server.ServeStream(std::move(conn),
                     NewStreamServerCodec(OptionsFor(server, {})));
}

void Accept(Server& server, Listener& listener, const CodecOptions& options) {
  CodecOptions o = OptionsFor(server, options);
  server.AcceptStream(listener, [o] { return NewStreamServerCodec(o); });
}

}  // namespace netrpc::jsonrpc

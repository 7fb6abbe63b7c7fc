// Copyright netrpc-gateway authors. Licensed under the BSD-style licence of Go.

#include "netrpc/jsonrpc/client_codec.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

#include "netrpc/body.h"
#include "netrpc/jsonrpc/internal/any.h"
#include "netrpc/jsonrpc/internal/decode.h"
#include "netrpc/jsonrpc/internal/encode.h"
#include "netrpc/jsonrpc/internal/stream.h"
#include "netrpc/sync.h"

namespace netrpc::jsonrpc {
namespace {

using internal::DecodeState;
using internal::Reader;

// ClientResponse is Go's clientResponse: {Id uint64 `json:"id"`; Result
// *json.RawMessage `json:"result"`; Error any `json:"error"`}.
struct ClientResponse {
  uint64_t id = 0;
  std::optional<std::string> result;  // nullopt: absent or null
  internal::Any error;
};

// DecodeId decodes the uint64 id. (Not through JsonCodec<uint64_t>: Go's
// text names the type "uint64", where C++ bindings say "uint".)
void DecodeId(Reader& r, DecodeState& st, uint64_t* id) {
  Reader::Kind kind = r.Peek();
  if (kind == Reader::Kind::kNull) {
    r.Skip();
  } else if (kind != Reader::Kind::kNumber) {
    st.TypeError(internal::KindName(kind), "uint64");
    r.Skip();
  } else {
    absl::string_view lit = r.Literal();
    if (!internal::ParseUint(lit, 64, id)) {
      st.TypeError(absl::StrCat("number ", lit), "uint64");
    }
  }
}

// DecodeResponse decodes one response as Go's json.Decoder.Decode into a
// reset clientResponse; its errors shut the client down.
absl::Status DecodeResponse(absl::string_view json, ClientResponse* resp) {
  static constexpr absl::string_view kNames[] = {"id", "result", "error"};
  Reader r(json);
  DecodeState st;
  Reader::Kind kind = r.Peek();
  if (kind == Reader::Kind::kObject) {
    internal::DecodeStruct(r, st, "clientResponse", kNames, [&](size_t i) {
      switch (i) {
        case 0:
          DecodeId(r, st, &resp->id);
          break;
        case 1:
          if (r.Peek() == Reader::Kind::kNull) {
            r.Skip();
            resp->result.reset();
          } else {
            resp->result = std::string(r.Value());
          }
          break;
        default:
          internal::DecodeAny(r, st, &resp->error);
      }
    });
  } else if (kind != Reader::Kind::kNull) {  // null decodes to nothing
    st.TypeError(internal::KindName(kind), "jsonrpc.clientResponse");
  }
  return st.status();
}

class JsonClientCodec final : public StreamClientCodec {
 public:
  explicit JsonClientCodec(const CodecOptions& options)
      : stream_(options.max_message_bytes) {}

  absl::Status WriteRequest(const Request& request, const Body* body,
                            std::string* out) override {
    // Go's clientRequest {Method, Params [1]any, Id uint64}.
    const size_t start = out->size();
    out->append("{\"method\":");
    internal::AppendString(request.service_method, out);
    out->append(",\"params\":[");
    if (body == nullptr) {
      out->append("null");
    } else {
      absl::Status status = body->EncodeJson(out);
      if (!status.ok()) {
        // Nothing is sent; the client fails the call with this error.
        out->resize(start);
        return status;
      }
    }
    absl::StrAppend(out, "],\"id\":", request.seq, "}\n");
    // Responses carry no method: remember it by id, as Go does.
    MutexLock lock(&mu_);
    pending_[request.seq] = request.service_method;
    return absl::OkStatus();
  }

  void Append(absl::string_view data) override { stream_.Append(data); }
  void SetEOF() override { stream_.SetEOF(); }

  absl::Status ReadResponseHeader(Response* response) override {
    absl::string_view value;
    absl::Status status = stream_.Next(&value);
    if (!status.ok()) return status;
    ClientResponse resp;
    status = DecodeResponse(value, &resp);
    if (!status.ok()) return status;
    {
      MutexLock lock(&mu_);
      auto it = pending_.find(resp.id);
      if (it != pending_.end()) {
        response->service_method = std::move(it->second);
        pending_.erase(it);
      } else {
        response->service_method.clear();
      }
    }
    response->seq = resp.id;
    response->error.clear();
    result_ = std::move(resp.result);
    if (resp.error.kind != Reader::Kind::kNull || !result_.has_value()) {
      if (resp.error.kind != Reader::Kind::kString) {
        return absl::InvalidArgumentError(
            absl::StrCat("invalid error ", resp.error.formatted));
      }
      response->error = resp.error.string_value.empty()
                            ? "unspecified error"
                            : std::move(resp.error.string_value);
    }
    return absl::OkStatus();
  }

  absl::Status ReadResponseBody(Body* body) override {
    if (body == nullptr) return absl::OkStatus();
    // Only a response with a result gets here (the client discards the body
    // of an error); "null" stands in for none, which decodes to nothing.
    return body->DecodeJson(result_.has_value() ? *result_ : "null");
  }

 private:
  // Read side (the client's reader thread).
  internal::ValueStream stream_;
  std::optional<std::string> result_;  // of the response just read

  // Shared with WriteRequest.
  Mutex mu_;
  absl::flat_hash_map<uint64_t, std::string> pending_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

std::unique_ptr<StreamClientCodec> NewStreamClientCodec(
    const CodecOptions& options) {
  return std::make_unique<JsonClientCodec>(options);
}

std::unique_ptr<ClientCodec> NewClientCodec(std::unique_ptr<Conn> conn,
                                            const CodecOptions& options) {
  return netrpc::NewClientCodec(std::move(conn), NewStreamClientCodec(options));
}

std::unique_ptr<Client> NewClient(std::unique_ptr<Conn> conn) {
  return NewClientWithCodec(NewClientCodec(std::move(conn)));
}

absl::StatusOr<std::unique_ptr<Client>> Dial(absl::string_view network,
                                             absl::string_view address) {
  if (network != "tcp" && network != "tcp4" && network != "tcp6") {
    return absl::InvalidArgumentError(
        absl::StrCat("dial ", network, ": unknown network ", network));
  }
  absl::StatusOr<std::unique_ptr<Conn>> conn = DialTCP(address);
  if (!conn.ok()) return conn.status();
  return jsonrpc::NewClient(std::move(*conn));
}

}  // namespace netrpc::jsonrpc

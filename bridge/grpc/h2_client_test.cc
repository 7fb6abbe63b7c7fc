// Fault and edge tests of H2Client (the lean HTTP/2 gRPC client) against
// servers the test starts on 127.0.0.1: real gRPC C++ servers (serving
// demo.v1.Arith as FakeArith does, and edge.Edge, whose replies and statuses
// the test chooses) and raw sockets that misbehave. The happy paths shared
// with GenericClient are in unary_client_test.cc.
//
// No test sleeps and hopes: every wait polls for its condition until a
// deadline, and every call's done is counted, to check it runs exactly once.
//
// Locks are netrpc's (std::mutex), not netrpc::Mutex, and the gRPC service is
// the test's own rather than FakeArith (whose last_metadata uses
// netrpc::Mutex): Debian's Abseil is not built for ThreadSanitizer, which
// would report the accesses an netrpc::Mutex guards as races.

#include "bridge/grpc/h2_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/support/byte_buffer.h"
#include "proto/demo/v1/arith.pb.h"
#include "gtest/gtest.h"

#include "bridge/grpc/generic_client.h"
#include "bridge/schema/schema.h"
#include "netrpc/io_internal.h"
#include "netrpc/sync.h"
#include "netrpc/testing/status_matchers.h"

namespace bridge {
namespace {

using google::protobuf::Message;
using google::protobuf::MethodDescriptor;
using ::netrpc::testing::IsOk;
using ::netrpc::testing::StatusIs;
using ::testing::AnyOf;
using ::testing::HasSubstr;

using Reply = absl::StatusOr<std::unique_ptr<Message>>;

// The longest any single wait of these tests may take before it counts as a
// hang (generous for the sanitizers; a passing run never gets near it).
constexpr absl::Duration kHangLimit = absl::Seconds(30);

// ---------------------------------------------------------------------------
// Schemas: demo.v1.Arith, and edge.Edge.

// kHang as Multiply's a makes the call hang until cancelled (as FakeArith's).
constexpr int64_t kHang = -424242;

std::shared_ptr<const Schema> BuildSchema() {
  google::protobuf::FileDescriptorProto arith;
  demo::v1::Args::descriptor()->file()->CopyTo(&arith);
  google::protobuf::FileDescriptorProto edge;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
      R"pb(name: "edge.proto"
           package: "edge"
           syntax: "proto3"
           message_type {
             name: "Size"
             field { name: "n" number: 1 type: TYPE_INT64 label: LABEL_OPTIONAL }
           }
           message_type {
             name: "Blob"
             field {
               name: "data"
               number: 1
               type: TYPE_BYTES
               label: LABEL_OPTIONAL
             }
           }
           message_type {
             name: "Failure"
             field {
               name: "code"
               number: 1
               type: TYPE_INT32
               label: LABEL_OPTIONAL
             }
             field {
               name: "message"
               number: 2
               type: TYPE_BYTES
               label: LABEL_OPTIONAL
             }
           }
           service {
             name: "Edge"
             # Grow answers a Blob of n bytes "x".
             method {
               name: "Grow"
               input_type: ".edge.Size"
               output_type: ".edge.Blob"
             }
             # Echo answers its request.
             method {
               name: "Echo"
               input_type: ".edge.Blob"
               output_type: ".edge.Blob"
             }
             # Fail answers the status it is given, byte for byte.
             method {
               name: "Fail"
               input_type: ".edge.Failure"
               output_type: ".edge.Blob"
             }
           })pb",
      &edge));
  absl::StatusOr<std::shared_ptr<const Schema>> schema =
      Schema::FromFiles({arith, edge}, "h2_client_test");
  EXPECT_THAT(schema, IsOk());
  return *schema;
}

const Schema& TestSchema() {
  static const std::shared_ptr<const Schema>* schema =
      new std::shared_ptr<const Schema>(BuildSchema());
  return **schema;
}

const MethodDescriptor& Method(const std::string& path) {
  return **TestSchema().FindMethod(path);
}

// Arith builds demo.v1.Args{a, b}.
std::unique_ptr<Message> ArithArgs(int64_t a, int64_t b) {
  const MethodDescriptor& multiply = Method("/demo.v1.Arith/Multiply");
  std::unique_ptr<Message> args =
      TestSchema().NewMessage(*multiply.input_type());
  const auto* type = multiply.input_type();
  args->GetReflection()->SetInt64(args.get(), type->FindFieldByName("a"), a);
  args->GetReflection()->SetInt64(args.get(), type->FindFieldByName("b"), b);
  return args;
}

int64_t ProductValue(const Message& product) {
  return product.GetReflection()->GetInt64(
      product, product.GetDescriptor()->FindFieldByName("value"));
}

std::unique_ptr<Message> EdgeSize(int64_t n) {
  const MethodDescriptor& grow = Method("/edge.Edge/Grow");
  std::unique_ptr<Message> size = TestSchema().NewMessage(*grow.input_type());
  size->GetReflection()->SetInt64(
      size.get(), grow.input_type()->FindFieldByName("n"), n);
  return size;
}

std::unique_ptr<Message> EdgeBlob(std::string data) {
  const MethodDescriptor& echo = Method("/edge.Edge/Echo");
  std::unique_ptr<Message> blob = TestSchema().NewMessage(*echo.input_type());
  blob->GetReflection()->SetString(
      blob.get(), echo.input_type()->FindFieldByName("data"), std::move(data));
  return blob;
}

std::unique_ptr<Message> EdgeFailure(int code, std::string message) {
  const MethodDescriptor& fail = Method("/edge.Edge/Fail");
  std::unique_ptr<Message> failure =
      TestSchema().NewMessage(*fail.input_type());
  const auto* type = fail.input_type();
  failure->GetReflection()->SetInt32(failure.get(),
                                     type->FindFieldByName("code"), code);
  failure->GetReflection()->SetString(
      failure.get(), type->FindFieldByName("message"), std::move(message));
  return failure;
}

// ---------------------------------------------------------------------------
// EdgeService serves demo.v1.Arith (as FakeArith does: Multiply with
// a == kHang hangs until cancelled; Divide by 0 is INVALID_ARGUMENT) and
// edge.Edge, through gRPC C++'s callback generic API, so that the test
// chooses every reply's size and status.

class EdgeService final : public grpc::CallbackGenericService {
 public:
  // calls counts the calls that reached the server, by method path.
  int calls(const std::string& path) const {
    netrpc::MutexLock lock(&mu_);
    auto it = calls_.find(path);
    return it == calls_.end() ? 0 : it->second;
  }
  // hanging counts the calls hanging now.
  int hanging() const {
    netrpc::MutexLock lock(&mu_);
    return hanging_;
  }

 private:
  class Reactor final : public grpc::ServerGenericBidiReactor {
   public:
    Reactor(EdgeService* service, grpc::GenericCallbackServerContext* context)
        : service_(service), path_(context->method()) {
      StartRead(&request_);
    }

    void OnReadDone(bool ok) override {
      if (!ok) {
        Finish(grpc::Status(grpc::StatusCode::INTERNAL, "no request"));
        return;
      }
      {
        netrpc::MutexLock lock(&service_->mu_);
        ++service_->calls_[path_];
      }
      std::vector<grpc::Slice> slices;
      std::string bytes;
      if (request_.Dump(&slices).ok()) {
        for (const grpc::Slice& s : slices) {
          bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
        }
      }
      absl::StatusOr<const MethodDescriptor*> method =
          TestSchema().FindMethod(path_);
      if (!method.ok()) {
        Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, path_));
        return;
      }
      std::unique_ptr<Message> in =
          TestSchema().NewMessage(*(*method)->input_type());
      if (!in->ParseFromString(bytes)) {
        Finish(grpc::Status(grpc::StatusCode::INTERNAL, "bad request"));
        return;
      }
      const auto* type = in->GetDescriptor();
      const auto* reflection = in->GetReflection();
      auto field = [&](const char* name) {
        return reflection->GetInt64(*in, type->FindFieldByName(name));
      };
      std::unique_ptr<Message> out =
          TestSchema().NewMessage(*(*method)->output_type());
      const auto* out_type = out->GetDescriptor();
      const auto* out_reflection = out->GetReflection();
      const std::string& name = (*method)->name();
      if (name == "Fail") {
        Finish(grpc::Status(
            static_cast<grpc::StatusCode>(
                reflection->GetInt32(*in, type->FindFieldByName("code"))),
            reflection->GetString(*in, type->FindFieldByName("message"))));
        return;
      }
      if (name == "Multiply" && field("a") == kHang) {
        bool cancelled;
        {
          netrpc::MutexLock lock(&mu_);
          cancelled = cancelled_;
          hang_ = !cancelled;
        }
        if (cancelled) {
          Finish(grpc::Status::CANCELLED);
        } else {
          netrpc::MutexLock lock(&service_->mu_);
          ++service_->hanging_;
        }
        return;
      }
      if (name == "Multiply") {
        out_reflection->SetInt64(out.get(), out_type->FindFieldByName("value"),
                                 field("a") * field("b"));
      } else if (name == "Divide") {
        if (field("b") == 0) {
          Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                              "divide by zero"));
          return;
        }
        out_reflection->SetInt64(out.get(), out_type->FindFieldByName("quo"),
                                 field("a") / field("b"));
        out_reflection->SetInt64(out.get(), out_type->FindFieldByName("rem"),
                                 field("a") % field("b"));
      } else if (name == "Grow") {
        out_reflection->SetString(
            out.get(), out_type->FindFieldByName("data"),
            std::string(static_cast<size_t>(field("n")), 'x'));
      } else {  // Echo
        out->CopyFrom(*in);
      }
      std::string serialized = out->SerializeAsString();
      grpc::Slice slice(serialized);
      response_ = grpc::ByteBuffer(&slice, 1);
      StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
    }

    void OnCancel() override {
      bool hang;
      {
        netrpc::MutexLock lock(&mu_);
        cancelled_ = true;
        hang = hang_;
        hang_ = false;
      }
      if (hang) {
        {
          netrpc::MutexLock lock(&service_->mu_);
          --service_->hanging_;
        }
        Finish(grpc::Status::CANCELLED);
      }
    }

    void OnDone() override { delete this; }

   private:
    EdgeService* const service_;
    const std::string path_;
    grpc::ByteBuffer request_;
    grpc::ByteBuffer response_;
    netrpc::Mutex mu_;
    bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
    bool hang_ ABSL_GUARDED_BY(mu_) = false;
  };

  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override {
    return new Reactor(this, context);
  }

  mutable netrpc::Mutex mu_;
  std::map<std::string, int> calls_ ABSL_GUARDED_BY(mu_);
  int hanging_ ABSL_GUARDED_BY(mu_) = 0;
};

// StartServer starts a gRPC server of service on address ("127.0.0.1:0", or
// a fixed port); *port is the port it listens on.
std::unique_ptr<grpc::Server> StartServer(
    const std::string& address, EdgeService* service, int* port,
    const std::vector<std::pair<std::string, int>>& int_args = {}) {
  grpc::ServerBuilder builder;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), port);
  builder.RegisterCallbackGenericService(service);
  for (const auto& [name, value] : int_args) {
    builder.AddChannelArgument(name, value);
  }
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || *port == 0) return nullptr;
  return server;
}

// ---------------------------------------------------------------------------
// Raw sockets.

// ReservedPort holds a port of 127.0.0.1: bound (SO_REUSEPORT, as gRPC's
// listeners are) but not listening, so connections to it are refused until
// a server listens on it, and no other process can take it in between.
class ReservedPort {
 public:
  ReservedPort() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    setsockopt(fd_, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port_ = ntohs(addr.sin_port);
    }
  }
  ~ReservedPort() { close(fd_); }
  ReservedPort(const ReservedPort&) = delete;
  ReservedPort& operator=(const ReservedPort&) = delete;

  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

bool WaitReadable(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, timeout_ms) > 0;
}

void WriteAll(int fd, absl::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

// RawServer listens on 127.0.0.1 and runs handler on each connection it
// accepts, in a thread of its own, until the server is destroyed (handlers
// poll `stop`).
class RawServer {
 public:
  using Handler = std::function<void(int fd, const std::atomic<bool>& stop)>;

  explicit RawServer(Handler handler) : handler_(std::move(handler)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        listen(fd_, 128) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ADD_FAILURE() << "RawServer: " << std::strerror(errno);
      return;
    }
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { Accept(); });
  }

  ~RawServer() {
    stop_ = true;
    if (acceptor_.joinable()) acceptor_.join();
    netrpc::MutexLock lock(&mu_);
    for (std::thread& t : handlers_) t.join();
    close(fd_);
  }

  int port() const { return port_; }
  std::string target() const { return absl::StrCat("127.0.0.1:", port_); }
  int accepted() const { return accepted_.load(); }

 private:
  void Accept() {
    while (!stop_) {
      if (!WaitReadable(fd_, 20)) continue;
      int conn = accept(fd_, nullptr, nullptr);
      if (conn < 0) continue;
      ++accepted_;
      netrpc::MutexLock lock(&mu_);
      handlers_.emplace_back([this, conn] {
        handler_(conn, stop_);
        close(conn);
      });
    }
  }

  const Handler handler_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  netrpc::Mutex mu_;
  std::vector<std::thread> handlers_ ABSL_GUARDED_BY(mu_);
};

// DrainUntilClosed reads and drops what the peer sends until it closes or
// the server stops.
void DrainUntilClosed(int fd, const std::atomic<bool>& stop) {
  char buf[4096];
  while (!stop) {
    if (!WaitReadable(fd, 20)) continue;
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n == 0 || (n < 0 && errno != EINTR)) return;
  }
}

// ---------------------------------------------------------------------------
// Calls.

// Pending is one call's outcome, shared with its done, so that a test that
// gives up waiting leaves nothing dangling.
struct Pending {
  absl::Time started = absl::Now();
  netrpc::Notification done;
  mutable netrpc::Mutex mu;
  int dones ABSL_GUARDED_BY(mu) = 0;
  absl::Time ended ABSL_GUARDED_BY(mu);
  Reply reply ABSL_GUARDED_BY(mu) = absl::UnknownError("test: no reply yet");

  int done_count() const {
    netrpc::MutexLock lock(&mu);
    return dones;
  }
  absl::Time end_time() const {
    netrpc::MutexLock lock(&mu);
    return ended;
  }
};

std::shared_ptr<Pending> Start(const UnaryClient& client,
                               const MethodDescriptor& method,
                               const Message& request,
                               CallOptions options = {}) {
  auto pending = std::make_shared<Pending>();
  client.Call(method, request, TestSchema().NewMessage(*method.output_type()),
              std::move(options), [pending](Reply reply) {
                netrpc::MutexLock lock(&pending->mu);
                if (++pending->dones == 1) {
                  pending->ended = absl::Now();
                  pending->reply = std::move(reply);
                  pending->done.Notify();
                }
              });
  return pending;
}

// Wait returns the call's reply (once: it moves it out), or an error of the
// test's own if none came within timeout.
Reply Wait(const std::shared_ptr<Pending>& pending,
           absl::Duration timeout = kHangLimit) {
  if (!pending->done.WaitForNotificationWithTimeout(timeout)) {
    return absl::InternalError(
        absl::StrCat("test: the call did not end within ",
                     absl::FormatDuration(timeout)));
  }
  netrpc::MutexLock lock(&pending->mu);
  return std::move(pending->reply);
}

Reply CallAndWait(const UnaryClient& client, const MethodDescriptor& method,
                  const Message& request, CallOptions options = {}) {
  return Wait(Start(client, method, request, std::move(options)));
}

std::unique_ptr<H2Client> NewH2(const std::string& target,
                                uint64_t max_message_bytes = 4 << 20) {
  H2ClientOptions options;
  options.target = target;
  options.max_message_bytes = max_message_bytes;
  absl::StatusOr<std::unique_ptr<H2Client>> client =
      H2Client::Create(std::move(options));
  EXPECT_THAT(client, IsOk());
  return client.ok() ? std::move(*client) : nullptr;
}

std::unique_ptr<GenericClient> NewGrpc(const std::string& target) {
  return std::make_unique<GenericClient>(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
}

// IoThreads is the number of netrpc I/O threads, so of connections (and
// back-offs) per H2Client. Calls from a non-I/O thread go round robin.
size_t IoThreads() { return netrpc::internal::IoPool::Default().size(); }

// PollUntil runs check until it returns true or timeout passes.
bool PollUntil(const std::function<bool()>& check,
               absl::Duration timeout = kHangLimit) {
  absl::Time end = absl::Now() + timeout;
  while (absl::Now() < end) {
    if (check()) return true;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return check();
}

const MethodDescriptor& Multiply() {
  return Method("/demo.v1.Arith/Multiply");
}

// ===========================================================================
// 1. A server that does not speak HTTP/2.

// An HTTP/1.1 server answering the client's preface with a 400 and closing:
// UNAVAILABLE promptly (gRPC C++ too), and the next call is not stuck
// behind the first.
TEST(H2ClientFaultTest, GarbageThenCloseIsUnavailable) {
  RawServer server([](int fd, const std::atomic<bool>& stop) {
    // Read the preface first, so that the close is a FIN (closing with
    // unread bytes would send a RST, tested below).
    char buf[4096];
    if (WaitReadable(fd, 2000)) (void)recv(fd, buf, sizeof(buf), 0);
    WriteAll(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    shutdown(fd, SHUT_WR);
    DrainUntilClosed(fd, stop);
  });
  std::unique_ptr<H2Client> client = NewH2(server.target());
  for (int i = 0; i < 2; ++i) {
    absl::Time start = absl::Now();
    std::shared_ptr<Pending> call = Start(*client, Multiply(), *ArithArgs(6, 7));
    EXPECT_THAT(Wait(call), StatusIs(absl::StatusCode::kUnavailable)) << i;
    EXPECT_LT(absl::Now() - start, absl::Seconds(2)) << i;
    EXPECT_EQ(call->done_count(), 1);
  }
  EXPECT_GE(server.accepted(), 1);
}

// The same, but the server closes at once, with the client's bytes unread:
// the kernel resets the connection.
TEST(H2ClientFaultTest, GarbageThenResetIsUnavailable) {
  RawServer server([](int fd, const std::atomic<bool>&) {
    WriteAll(fd, "HTTP/1.1 400 Bad Request\r\n\r\n");
    linger l{1, 0};  // close with RST
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
  });
  std::unique_ptr<H2Client> client = NewH2(server.target());
  for (int i = 0; i < 3; ++i) {
    std::shared_ptr<Pending> call = Start(*client, Multiply(), *ArithArgs(6, 7));
    EXPECT_THAT(Wait(call), StatusIs(absl::StatusCode::kUnavailable)) << i;
  }
}

// An HTTP/1.1 server that answers garbage but keeps the connection open: the
// client's HTTP/2 session is over (nghttp2 answered with GOAWAY
// PROTOCOL_ERROR), so the call must fail then, not wait for the server to
// close or for the deadline. gRPC C++ fails it with UNAVAILABLE at once.
TEST(H2ClientFaultTest, GarbageOnOpenConnectionFailsWithoutWaitingForClose) {
  RawServer server([](int fd, const std::atomic<bool>& stop) {
    char buf[4096];
    if (WaitReadable(fd, 2000)) (void)recv(fd, buf, sizeof(buf), 0);
    WriteAll(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    DrainUntilClosed(fd, stop);
  });
  for (bool grpc_core : {true, false}) {
    SCOPED_TRACE(grpc_core ? "GenericClient" : "H2Client");
    std::unique_ptr<UnaryClient> client;
    if (grpc_core) {
      client = NewGrpc(server.target());
    } else {
      client = NewH2(server.target());
    }
    CallOptions options;
    options.deadline = absl::Now() + absl::Seconds(3);
    absl::Time start = absl::Now();
    EXPECT_THAT(CallAndWait(*client, Multiply(), *ArithArgs(6, 7), options),
                StatusIs(absl::StatusCode::kUnavailable));
    EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  }
}

// ===========================================================================
// 2. A server that accepts and never answers.

TEST(H2ClientFaultTest, BlackHoleEndsEveryCallAtItsDeadline) {
  RawServer server([](int fd, const std::atomic<bool>& stop) {
    DrainUntilClosed(fd, stop);
  });
  std::unique_ptr<H2Client> client = NewH2(server.target());
  constexpr int kCalls = 50;
  std::vector<std::shared_ptr<Pending>> calls;
  std::vector<absl::Time> deadlines;
  for (int i = 0; i < kCalls; ++i) {
    CallOptions options;
    options.deadline = absl::Now() + absl::Milliseconds(200);
    deadlines.push_back(options.deadline);
    calls.push_back(Start(*client, Multiply(), *ArithArgs(i, 2), options));
  }
  for (int i = 0; i < kCalls; ++i) {
    EXPECT_THAT(Wait(calls[i]), StatusIs(absl::StatusCode::kDeadlineExceeded))
        << i;
    absl::Time ended = calls[i]->end_time();
    // Never before the deadline; soon after it.
    EXPECT_GE(ended, deadlines[i]) << i;
    EXPECT_LT(ended - deadlines[i], absl::Seconds(1)) << i;
  }
  // A late second done would land here.
  absl::SleepFor(absl::Milliseconds(50));
  for (int i = 0; i < kCalls; ++i) EXPECT_EQ(calls[i]->done_count(), 1) << i;
}

// HangingListener is a port whose connects never complete: its listener's
// accept queue is full (never accepted), so the kernel drops the SYNs.
class HangingListener {
 public:
  HangingListener() {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) !=
            0 ||
        listen(listener_, 0) != 0 ||
        getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) !=
            0) {
      return;
    }
    port_ = ntohs(addr.sin_port);
    // Fill the accept queue until a connect hangs.
    for (int i = 0; i < 8 && !hanging_; ++i) {
      int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
      fillers_.push_back(fd);
      if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
        continue;
      }
      pollfd p{fd, POLLOUT, 0};
      hanging_ = errno == EINPROGRESS && poll(&p, 1, 100) == 0;
    }
  }
  ~HangingListener() {
    for (int fd : fillers_) close(fd);
    close(listener_);
  }

  // hanging is false where the kernel completes connects beyond the backlog.
  bool hanging() const { return hanging_; }
  std::string target() const { return absl::StrCat("127.0.0.1:", port_); }

 private:
  int listener_ = -1;
  int port_ = 0;
  std::vector<int> fillers_;
  bool hanging_ = false;
};

// A connect that never completes: the deadline still ends the call.
TEST(H2ClientFaultTest, DeadlineEndsACallStillConnecting) {
  HangingListener upstream;
  if (!upstream.hanging()) {
    GTEST_SKIP() << "this kernel completes connects beyond the backlog";
  }
  std::unique_ptr<H2Client> client = NewH2(upstream.target());
  // One call per I/O thread, so that every connection is stuck.
  std::vector<std::shared_ptr<Pending>> calls;
  for (size_t i = 0; i < IoThreads(); ++i) {
    CallOptions options;
    options.deadline = absl::Now() + absl::Milliseconds(200);
    calls.push_back(Start(*client, Multiply(), *ArithArgs(1, 2), options));
  }
  for (auto& call : calls) {
    EXPECT_THAT(Wait(call, absl::Seconds(5)),
                StatusIs(absl::StatusCode::kDeadlineExceeded));
    EXPECT_LT(call->end_time() - call->started, absl::Seconds(1));
  }
  // The client goes with its connects still pending.
}

// Without a deadline, connect_timeout ends the attempt: the call fails as
// unreachable (not at the kernel's two minutes of SYN retries), the client
// reports itself unhealthy, and the back-off then fails calls at once.
TEST(H2ClientFaultTest, ConnectTimeoutEndsAHangingConnect) {
  HangingListener upstream;
  if (!upstream.hanging()) {
    GTEST_SKIP() << "this kernel completes connects beyond the backlog";
  }
  H2ClientOptions options;
  options.target = upstream.target();
  options.connect_timeout = absl::Milliseconds(300);
  absl::StatusOr<std::unique_ptr<H2Client>> client =
      H2Client::Create(std::move(options));
  ASSERT_THAT(client, IsOk());
  EXPECT_TRUE((*client)->healthy());
  const std::string want = absl::StrCat(
      "failed to connect to ", upstream.target(), ": no answer within 300ms");
  std::vector<std::shared_ptr<Pending>> calls;
  for (size_t i = 0; i < IoThreads(); ++i) {
    calls.push_back(Start(**client, Multiply(), *ArithArgs(1, 2)));
  }
  for (auto& call : calls) {
    EXPECT_THAT(Wait(call, absl::Seconds(20)),
                StatusIs(absl::StatusCode::kUnavailable, want));
    EXPECT_GE(call->end_time() - call->started, absl::Milliseconds(250));
    EXPECT_LT(call->end_time() - call->started, absl::Seconds(10));
  }
  EXPECT_FALSE((*client)->healthy());
  // In the back-off, a call fails at once with the same reason.
  std::shared_ptr<Pending> again =
      Start(**client, Multiply(), *ArithArgs(1, 2));
  EXPECT_THAT(Wait(again, absl::Seconds(5)),
              StatusIs(absl::StatusCode::kUnavailable,
                       HasSubstr("no answer within 300ms")));
  EXPECT_LT(again->end_time() - again->started, absl::Milliseconds(250));
}

// A deadline already past never leaves the client.
TEST(H2ClientFaultTest, DeadlineInThePastFailsWithoutSending) {
  EdgeService arith;
  int port = 0;
  std::unique_ptr<grpc::Server> server =
      StartServer("127.0.0.1:0", &arith, &port);
  ASSERT_NE(server, nullptr);
  std::unique_ptr<H2Client> client =
      NewH2(absl::StrCat("127.0.0.1:", port));
  CallOptions options;
  options.deadline = absl::Now() - absl::Seconds(1);
  EXPECT_THAT(CallAndWait(*client, Multiply(), *ArithArgs(2, 3), options),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
  // The next call (same I/O thread's connection or another) reaches it, and
  // the late one never did.
  for (size_t i = 0; i < IoThreads(); ++i) {
    Reply reply = CallAndWait(*client, Multiply(), *ArithArgs(2, 3));
    ASSERT_THAT(reply, IsOk());
    EXPECT_EQ(ProductValue(**reply), 6);
  }
  EXPECT_EQ(arith.calls("/demo.v1.Arith/Multiply"),
            static_cast<int>(IoThreads()));
  server->Shutdown();
}

// ===========================================================================
// 3. Upstream down, back-off, recovery.

TEST(H2ClientFaultTest, UpstreamDownBacksOffThenRecovers) {
  ReservedPort reserved;
  ASSERT_NE(reserved.port(), 0);
  const std::string target = absl::StrCat("127.0.0.1:", reserved.port());
  std::unique_ptr<H2Client> client = NewH2(target);
  EXPECT_TRUE(client->healthy());
  const size_t threads = IoThreads();

  // Calls from this thread go round robin over the I/O threads: the first
  // `threads` each try to connect (refused), the next `threads` fall in each
  // one's back-off. All fail fast, naming the address.
  const absl::Time first = absl::Now();
  for (size_t i = 0; i < 2 * threads; ++i) {
    absl::Time start = absl::Now();
    EXPECT_THAT(CallAndWait(*client, Multiply(), *ArithArgs(2, 3)),
                StatusIs(absl::StatusCode::kUnavailable, HasSubstr(target)))
        << i;
    EXPECT_LT(absl::Now() - start, absl::Milliseconds(100)) << i;
  }
  EXPECT_FALSE(client->healthy());

  // The upstream comes up on that port.
  EdgeService arith;
  int port = 0;
  std::unique_ptr<grpc::Server> server =
      StartServer(target, &arith, &port);
  ASSERT_NE(server, nullptr);
  ASSERT_EQ(port, reserved.port());

  // Within the back-off (1 s after each thread's failed connect, so after
  // `first + 1s` at the earliest), calls still fail at once, without trying.
  for (size_t i = 0; i < threads; ++i) {
    absl::Time start = absl::Now();
    if (start > first + absl::Milliseconds(500)) break;  // too slow a machine
    EXPECT_THAT(
        CallAndWait(*client, Multiply(), *ArithArgs(2, 3)),
        StatusIs(absl::StatusCode::kUnavailable, HasSubstr("refused")))
        << i;
    EXPECT_LT(absl::Now() - start, absl::Milliseconds(100)) << i;
  }

  // Once the back-off has passed, calls succeed again.
  absl::Time recovered;
  ASSERT_TRUE(PollUntil([&] {
    Reply reply = CallAndWait(*client, Multiply(), *ArithArgs(2, 3));
    if (!reply.ok()) {
      EXPECT_THAT(reply, StatusIs(absl::StatusCode::kUnavailable));
      return false;
    }
    EXPECT_EQ(ProductValue(**reply), 6);
    recovered = absl::Now();
    return true;
  }));
  EXPECT_GE(recovered, first + absl::Seconds(1));
  // Every I/O thread's endpoint reconnects in turn; then the client is
  // healthy, and every call succeeds.
  ASSERT_TRUE(PollUntil([&] {
    (void)CallAndWait(*client, Multiply(), *ArithArgs(2, 3));
    return client->healthy();
  }));
  for (size_t i = 0; i < 2 * threads; ++i) {
    Reply reply = CallAndWait(*client, Multiply(), *ArithArgs(4, 5));
    ASSERT_THAT(reply, IsOk()) << i;
    EXPECT_EQ(ProductValue(**reply), 20);
  }
  server->Shutdown();
}

// ===========================================================================
// 4. The upstream restarts while a call is in flight.
//
// gRPC C++'s server, shut down with a deadline, first sends GOAWAY (so the
// client opens a new connection for new calls), then at the deadline
// cancels the call still running: the client sees RST_STREAM CANCEL, so the
// call ends CANCELLED (gRPC C++'s client reports the same), unless the
// connection's close overtakes it (UNAVAILABLE).
TEST(H2ClientFaultTest, ServerRestartEndsInFlightCallOnceAndReconnects) {
  ReservedPort reserved;
  ASSERT_NE(reserved.port(), 0);
  const std::string target = absl::StrCat("127.0.0.1:", reserved.port());
  EdgeService arith1;
  int port = 0;
  std::unique_ptr<grpc::Server> server1 =
      StartServer(target, &arith1, &port);
  ASSERT_NE(server1, nullptr);
  std::unique_ptr<H2Client> client = NewH2(target);

  // Connect every I/O thread's endpoint, then hang one call.
  for (size_t i = 0; i < IoThreads(); ++i) {
    ASSERT_THAT(CallAndWait(*client, Multiply(), *ArithArgs(2, 3)), IsOk());
  }
  CallOptions options;
  options.deadline = absl::Now() + absl::Seconds(8);
  std::shared_ptr<Pending> hung =
      Start(*client, Multiply(), *ArithArgs(kHang, 1), options);
  ASSERT_TRUE(PollUntil([&] { return arith1.hanging() == 1; }));

  server1->Shutdown(std::chrono::system_clock::now() +
                    std::chrono::milliseconds(100));
  EdgeService arith2;
  std::unique_ptr<grpc::Server> server2 =
      StartServer(target, &arith2, &port);
  ASSERT_NE(server2, nullptr);

  Reply reply = Wait(hung);
  EXPECT_THAT(reply, AnyOf(StatusIs(absl::StatusCode::kCancelled),
                           StatusIs(absl::StatusCode::kUnavailable)));
  EXPECT_LT(hung->end_time() - hung->started, absl::Seconds(5));

  // New calls go to new connections at once: a GOAWAY is no failed connect,
  // so there is no back-off to wait out.
  absl::Time start = absl::Now();
  for (size_t i = 0; i < 2 * IoThreads(); ++i) {
    Reply r = CallAndWait(*client, Multiply(), *ArithArgs(3, 4));
    ASSERT_THAT(r, IsOk()) << i;
    EXPECT_EQ(ProductValue(**r), 12);
  }
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
  EXPECT_TRUE(client->healthy());
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_EQ(hung->done_count(), 1);
  server2->Shutdown();
  server1.reset();
}

// A server that retires connections by age (GOAWAY, then a grace period)
// while calls keep coming: no call fails. Calls the server never started are
// retried on a new connection; the others finish on the old one.
TEST(H2ClientFaultTest, GoawayByConnectionAgeLosesNoCall) {
  EdgeService arith;
  int port = 0;
  std::unique_ptr<grpc::Server> server = StartServer(
      "127.0.0.1:0", &arith, &port,
      {{GRPC_ARG_MAX_CONNECTION_AGE_MS, 100},
       {GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, 5000}});
  ASSERT_NE(server, nullptr);
  std::unique_ptr<H2Client> client = NewH2(absl::StrCat("127.0.0.1:", port));
  constexpr int kThreads = 4;
  std::atomic<int> failures{0}, calls{0};
  std::vector<std::thread> threads;
  const absl::Time end = absl::Now() + absl::Milliseconds(800);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      int i = 0;
      while (absl::Now() < end) {
        // A few calls at once, so that some are in flight at each GOAWAY.
        std::vector<std::shared_ptr<Pending>> batch;
        for (int j = 0; j < 4; ++j, ++i) {
          batch.push_back(Start(*client, Multiply(), *ArithArgs(t, i)));
        }
        for (int j = 0; j < 4; ++j) {
          Reply reply = Wait(batch[j]);
          ++calls;
          if (!reply.ok() ||
              ProductValue(**reply) != int64_t{t} * (i - 4 + j)) {
            ++failures;
            ADD_FAILURE() << reply.status();
          }
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0) << "of " << calls.load();
  EXPECT_GT(calls.load(), 0);
  server->Shutdown();
}

// ===========================================================================
// 5. max_message_bytes.

class H2ClientEdgeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int port = 0;
    server_ = StartServer("127.0.0.1:0", &edge_, &port);
    ASSERT_NE(server_, nullptr);
    target_ = absl::StrCat("127.0.0.1:", port);
  }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  EdgeService edge_;
  std::unique_ptr<grpc::Server> server_;
  std::string target_;
};

// A limit of 2 bytes: Size{n: 1} (2 bytes) may leave, its reply Blob{"x"} (3
// bytes) may not arrive; Args{6, 7} (4 bytes) may not leave.
TEST_F(H2ClientEdgeTest, TinyMessageLimit) {
  std::unique_ptr<H2Client> client = NewH2(target_, /*max_message_bytes=*/2);
  const MethodDescriptor& grow = Method("/edge.Edge/Grow");
  const MethodDescriptor& echo = Method("/edge.Edge/Echo");

  // The reply over the limit.
  EXPECT_THAT(CallAndWait(*client, grow, *EdgeSize(1)),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("/edge.Edge/Grow")));
  EXPECT_EQ(edge_.calls("/edge.Edge/Grow"), 1);

  // The request over the limit fails before Call returns, unsent.
  bool called = false;
  client->Call(Multiply(), *ArithArgs(6, 7),
               TestSchema().NewMessage(*Multiply().output_type()), {},
               [&](Reply r) {
                 EXPECT_THAT(r, StatusIs(absl::StatusCode::kResourceExhausted,
                                         HasSubstr("over the limit of 2")));
                 called = true;
               });
  EXPECT_TRUE(called);
  called = false;
  client->Call(echo, *EdgeBlob("abc"),
               TestSchema().NewMessage(*echo.output_type()), {}, [&](Reply r) {
                 EXPECT_THAT(r,
                             StatusIs(absl::StatusCode::kResourceExhausted));
                 called = true;
               });
  EXPECT_TRUE(called);
  EXPECT_EQ(edge_.calls("/edge.Edge/Echo"), 0);

  // The same client still serves calls within the limit, on every I/O
  // thread's connection (including the one whose stream was reset).
  for (size_t i = 0; i < 2 * IoThreads(); ++i) {
    Reply reply = CallAndWait(*client, grow, *EdgeSize(0));
    ASSERT_THAT(reply, IsOk()) << i;
    EXPECT_EQ((*reply)->ByteSizeLong(), 0u);
    Reply empty = CallAndWait(*client, Multiply(), *ArithArgs(0, 0));
    ASSERT_THAT(empty, IsOk()) << i;
    EXPECT_EQ(ProductValue(**empty), 0);
  }
  // And a client of the normal limit on the same server gets Multiply(6, 7).
  std::unique_ptr<H2Client> normal = NewH2(target_);
  Reply reply = CallAndWait(*normal, Multiply(), *ArithArgs(6, 7));
  ASSERT_THAT(reply, IsOk());
  EXPECT_EQ(ProductValue(**reply), 42);
}

// The limit is on the message, not its 5-byte gRPC frame: a message of
// exactly the limit passes, one byte more fails, for requests and replies.
TEST_F(H2ClientEdgeTest, MessageLimitIsExact) {
  constexpr uint64_t kLimit = 1000;
  std::unique_ptr<H2Client> client = NewH2(target_, kLimit);
  const MethodDescriptor& grow = Method("/edge.Edge/Grow");
  const MethodDescriptor& echo = Method("/edge.Edge/Echo");
  // Blob{data: n bytes} is 1 (tag) + 2 (length, n < 16384) + n bytes.
  const int64_t fits = kLimit - 3;
  Reply reply = CallAndWait(*client, grow, *EdgeSize(fits));
  ASSERT_THAT(reply, IsOk());
  EXPECT_EQ((*reply)->ByteSizeLong(), kLimit);
  EXPECT_THAT(CallAndWait(*client, grow, *EdgeSize(fits + 1)),
              StatusIs(absl::StatusCode::kResourceExhausted));
  reply = CallAndWait(*client, echo, *EdgeBlob(std::string(fits, 'e')));
  ASSERT_THAT(reply, IsOk());
  EXPECT_EQ((*reply)->ByteSizeLong(), kLimit);
  EXPECT_THAT(CallAndWait(*client, echo, *EdgeBlob(std::string(fits + 1, 'e'))),
              StatusIs(absl::StatusCode::kResourceExhausted));
}

// The default limit is gRPC's (4 MiB): both clients take a reply of exactly
// 4 MiB and refuse one byte more; a refused reply of many DATA frames leaves
// the connection fit for the next call.
TEST_F(H2ClientEdgeTest, DefaultLimitMatchesGrpcCore) {
  const MethodDescriptor& grow = Method("/edge.Edge/Grow");
  // Blob{data: n bytes} with 2^21 <= n < 2^28 is 1 + 4 + n bytes.
  const int64_t fits = (4 << 20) - 5;
  std::unique_ptr<UnaryClient> clients[] = {NewGrpc(target_), NewH2(target_)};
  for (auto& client : clients) {
    Reply reply = CallAndWait(*client, grow, *EdgeSize(fits));
    ASSERT_THAT(reply, IsOk());
    EXPECT_EQ((*reply)->ByteSizeLong(), 4u << 20);
    EXPECT_THAT(CallAndWait(*client, grow, *EdgeSize(fits + 1)),
                StatusIs(absl::StatusCode::kResourceExhausted));
    EXPECT_THAT(CallAndWait(*client, grow, *EdgeSize(3 << 20)), IsOk());
  }
  // H2Client, one connection per I/O thread: each refuses a big reply, then
  // answers small calls.
  std::unique_ptr<H2Client> h2 = NewH2(target_, 1 << 20);
  std::vector<std::shared_ptr<Pending>> big;
  for (size_t i = 0; i < IoThreads(); ++i) {
    big.push_back(Start(*h2, grow, *EdgeSize(3 << 20)));
  }
  for (auto& call : big) {
    EXPECT_THAT(Wait(call), StatusIs(absl::StatusCode::kResourceExhausted));
  }
  for (size_t i = 0; i < 2 * IoThreads(); ++i) {
    EXPECT_THAT(CallAndWait(*h2, grow, *EdgeSize(100)), IsOk());
  }
}

// ===========================================================================
// 7. Status messages arrive byte for byte, as gRPC C++ gives them.

TEST_F(H2ClientEdgeTest, StatusMessagesArriveByteForByte) {
  const MethodDescriptor& fail = Method("/edge.Edge/Fail");
  const std::vector<std::string> messages = {
      "100% \xc3\xbc" "n\xc3\xaf" "code\n",  // "100% ünïcode\n"
      "%41 is not A, %%, %4",
      "tab\there, CR\r, NUL-free control \x01\x7f",
      "\xff\xfe" " not UTF-8",
      "",
      std::string(3000, 'm'),
      "  leading and trailing spaces  ",
  };
  std::unique_ptr<UnaryClient> grpc_core = NewGrpc(target_);
  std::unique_ptr<UnaryClient> h2 = NewH2(target_);
  for (const std::string& message : messages) {
    for (int code : {2, 3, 5, 9, 13, 16}) {
      SCOPED_TRACE(absl::StrCat("code ", code, " message \"",
                                absl::CEscape(message), "\""));
      Reply want = CallAndWait(*grpc_core, fail, *EdgeFailure(code, message));
      Reply got = CallAndWait(*h2, fail, *EdgeFailure(code, message));
      ASSERT_FALSE(want.ok());
      EXPECT_EQ(static_cast<int>(want.status().code()), code);
      EXPECT_EQ(want.status().message(), message);
      ASSERT_FALSE(got.ok());
      EXPECT_EQ(got.status().code(), want.status().code());
      EXPECT_EQ(got.status().message(), want.status().message());
    }
  }
}

// ===========================================================================
// 6. Concurrency, chained calls, the client going away.

TEST_F(H2ClientEdgeTest, ManyThreadsManyCalls) {
  std::unique_ptr<H2Client> client = NewH2(target_);
  constexpr int kThreads = 8;
  constexpr int kCalls = 200;
  std::atomic<int> left{kThreads * kCalls};
  netrpc::Notification all_done;
  std::atomic<int> wrong{0};
  std::vector<std::atomic<int>> dones(kThreads * kCalls);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCalls; ++i) {
        const int64_t a = t * 1000 + i;
        const int index = t * kCalls + i;
        client->Call(Multiply(), *ArithArgs(a, 3),
                     TestSchema().NewMessage(*Multiply().output_type()), {},
                     [&, a, index](Reply r) {
                       if (!r.ok() || ProductValue(**r) != a * 3) ++wrong;
                       if (++dones[index] == 1 && --left == 0) {
                         all_done.Notify();
                       }
                     });
      }
    });
  }
  for (std::thread& t : threads) t.join();
  ASSERT_TRUE(all_done.WaitForNotificationWithTimeout(kHangLimit));
  EXPECT_EQ(wrong.load(), 0);
  absl::SleepFor(absl::Milliseconds(20));
  for (int i = 0; i < kThreads * kCalls; ++i) {
    EXPECT_EQ(dones[i].load(), 1) << i;
  }
}

// Each call starts the next from its done (on an I/O thread, so through
// that thread's connection directly, inside the completion of a read).
TEST_F(H2ClientEdgeTest, ChainedCallsFromDone) {
  std::unique_ptr<H2Client> client = NewH2(target_);
  struct Chain {
    const H2Client* client;
    int left = 1000;
    int done = 0;
    std::atomic<int> wrong{0};
    netrpc::Notification finished;
    void Next(int64_t i) {
      client->Call(Multiply(), *ArithArgs(i, i + 1),
                   TestSchema().NewMessage(*Multiply().output_type()), {},
                   [this, i](Reply r) {
                     if (!r.ok() || ProductValue(**r) != i * (i + 1)) ++wrong;
                     ++done;
                     if (--left == 0) {
                       finished.Notify();
                     } else {
                       Next(i + 1);
                     }
                   });
    }
  };
  auto chain = std::make_shared<Chain>();
  chain->client = client.get();
  chain->Next(0);
  ASSERT_TRUE(chain->finished.WaitForNotificationWithTimeout(kHangLimit));
  EXPECT_EQ(chain->wrong.load(), 0);
  EXPECT_EQ(chain->done, 1000);
}

// The same chain while the upstream is down: every done runs inside Call
// (the back-off), so the chain recurses; it must still end, once each.
TEST(H2ClientFaultTest, ChainedCallsDuringBackoff) {
  ReservedPort reserved;
  std::unique_ptr<H2Client> client =
      NewH2(absl::StrCat("127.0.0.1:", reserved.port()));
  struct Chain {
    const H2Client* client;
    int left = 1000;
    std::atomic<int> unavailable{0};
    netrpc::Notification finished;
    void Next() {
      client->Call(Multiply(), *ArithArgs(1, 1),
                   TestSchema().NewMessage(*Multiply().output_type()), {},
                   [this](Reply r) {
                     if (r.status().code() == absl::StatusCode::kUnavailable) {
                       ++unavailable;
                     }
                     if (--left == 0) {
                       finished.Notify();
                     } else {
                       Next();
                     }
                   });
    }
  };
  auto chain = std::make_shared<Chain>();
  chain->client = client.get();
  chain->Next();
  ASSERT_TRUE(chain->finished.WaitForNotificationWithTimeout(kHangLimit));
  EXPECT_EQ(chain->unavailable.load(), 1000);
}

// Destroying the client does not end its calls: each still ends once, with
// its own outcome (answers for the quick ones, the deadline for the hung).
TEST_F(H2ClientEdgeTest, ClientDestroyedWithCallsInFlight) {
  std::vector<std::shared_ptr<Pending>> quick, hung;
  {
    std::unique_ptr<H2Client> client = NewH2(target_);
    for (int i = 0; i < 20; ++i) {
      CallOptions options;
      options.deadline = absl::Now() + absl::Milliseconds(300);
      hung.push_back(Start(*client, Multiply(),
                           *ArithArgs(kHang, 1), options));
      quick.push_back(Start(*client, Multiply(), *ArithArgs(i, 7)));
    }
  }
  for (int i = 0; i < 20; ++i) {
    Reply reply = Wait(quick[i]);
    ASSERT_THAT(reply, IsOk()) << i;
    EXPECT_EQ(ProductValue(**reply), i * 7);
    EXPECT_THAT(Wait(hung[i]), StatusIs(absl::StatusCode::kDeadlineExceeded))
        << i;
  }
  absl::SleepFor(absl::Milliseconds(20));
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(quick[i]->done_count(), 1);
    EXPECT_EQ(hung[i]->done_count(), 1);
  }
}

// The client destroyed from a done, on an I/O thread, with calls still in
// flight on that and other threads.
TEST_F(H2ClientEdgeTest, ClientDestroyedFromDone) {
  auto client = std::make_shared<std::unique_ptr<H2Client>>(NewH2(target_));
  auto mu = std::make_shared<netrpc::Mutex>();
  std::vector<std::shared_ptr<Pending>> hung;
  for (size_t i = 0; i < 2 * IoThreads(); ++i) {
    CallOptions options;
    options.deadline = absl::Now() + absl::Milliseconds(300);
    hung.push_back(Start(**client, Multiply(), *ArithArgs(kHang, 1),
                         options));
  }
  netrpc::Notification destroyed;
  (*client)->Call(Multiply(), *ArithArgs(2, 2),
                  TestSchema().NewMessage(*Multiply().output_type()), {},
                  [client, mu, &destroyed](Reply r) {
                    EXPECT_THAT(r, IsOk());
                    netrpc::MutexLock lock(mu.get());
                    client->reset();
                    destroyed.Notify();
                  });
  ASSERT_TRUE(destroyed.WaitForNotificationWithTimeout(kHangLimit));
  for (auto& call : hung) {
    EXPECT_THAT(Wait(call), StatusIs(absl::StatusCode::kDeadlineExceeded));
  }
}

// Destroyed while its connects are refused or in back-off, and while it
// talks to a black hole: nothing hangs, nothing leaks.
TEST(H2ClientFaultTest, ClientDestroyedWhileUpstreamMisbehaves) {
  ReservedPort reserved;
  RawServer hole([](int fd, const std::atomic<bool>& stop) {
    DrainUntilClosed(fd, stop);
  });
  std::vector<std::shared_ptr<Pending>> calls;
  for (const std::string& target :
       {absl::StrCat("127.0.0.1:", reserved.port()), hole.target()}) {
    std::unique_ptr<H2Client> client = NewH2(target);
    for (int i = 0; i < 10; ++i) {
      CallOptions options;
      options.deadline = absl::Now() + absl::Milliseconds(200);
      calls.push_back(Start(*client, Multiply(), *ArithArgs(i, i), options));
    }
  }
  for (auto& call : calls) {
    EXPECT_THAT(Wait(call),
                AnyOf(StatusIs(absl::StatusCode::kUnavailable),
                      StatusIs(absl::StatusCode::kDeadlineExceeded)));
  }
  absl::SleepFor(absl::Milliseconds(20));
  for (auto& call : calls) EXPECT_EQ(call->done_count(), 1);
}

// ===========================================================================
// 8. Targets.

TEST(H2ClientTargetTest, CreateAcceptsAndRejects) {
  for (const char* target :
       {"127.0.0.1:1", "dns:///localhost:1", "ipv6:[::1]:1", "ipv4:127.0.0.1:1",
        "localhost:50051", "[::1]:443", "example.com:65535"}) {
    H2ClientOptions options;
    options.target = target;
    EXPECT_THAT(H2Client::Create(options), IsOk()) << target;
    EXPECT_TRUE(H2Client::SupportsTarget(target)) << target;
  }
  for (const char* target :
       {"unix:///x", "unix:/x", "ipv4:1.2.3.4:1,5.6.7.8:2", "host", "host:",
        "host:99999", "host:65536", "host:-1", "host:http", "[::1:5", "::1:5",
        ":80", "", "dns://8.8.8.8/host:1", "xds:///svc"}) {
    H2ClientOptions options;
    options.target = target;
    EXPECT_THAT(H2Client::Create(options),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << target;
    EXPECT_FALSE(H2Client::SupportsTarget(target)) << target;
  }
}

TEST(H2ClientTargetTest, CallsByNameAndByIpv6) {
  EdgeService arith;
  int port = 0;
  std::unique_ptr<grpc::Server> server =
      StartServer("127.0.0.1:0", &arith, &port);
  ASSERT_NE(server, nullptr);
  for (const std::string& target :
       {absl::StrCat("localhost:", port), absl::StrCat("dns:///localhost:", port),
        absl::StrCat("ipv4:127.0.0.1:", port)}) {
    SCOPED_TRACE(target);
    std::unique_ptr<H2Client> client = NewH2(target);
    for (size_t i = 0; i < IoThreads(); ++i) {
      Reply reply = CallAndWait(*client, Multiply(), *ArithArgs(6, 7));
      ASSERT_THAT(reply, IsOk());
      EXPECT_EQ(ProductValue(**reply), 42);
    }
  }
  // A name that does not resolve: UNAVAILABLE, naming it.
  {
    std::unique_ptr<H2Client> client = NewH2("no-such-host.invalid:80");
    EXPECT_THAT(CallAndWait(*client, Multiply(), *ArithArgs(6, 7)),
                StatusIs(absl::StatusCode::kUnavailable,
                         HasSubstr("no-such-host.invalid:80")));
  }
  server->Shutdown();

  EdgeService arith6;
  int port6 = 0;
  std::unique_ptr<grpc::Server> server6 =
      StartServer("[::1]:0", &arith6, &port6);
  if (server6 == nullptr) GTEST_SKIP() << "no IPv6 loopback";
  for (const std::string& target :
       {absl::StrCat("[::1]:", port6), absl::StrCat("ipv6:[::1]:", port6)}) {
    SCOPED_TRACE(target);
    std::unique_ptr<H2Client> client = NewH2(target);
    Reply reply = CallAndWait(*client, Multiply(), *ArithArgs(6, 7));
    ASSERT_THAT(reply, IsOk());
    EXPECT_EQ(ProductValue(**reply), 42);
  }
  server6->Shutdown();
}

}  // namespace
}  // namespace bridge

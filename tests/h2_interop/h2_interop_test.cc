// The bridge's two gRPC clients against a real grpc-go server (Debian's
// grpc-go 1.33, go/grpcserver.go): H2Client (the lean HTTP/2 client on
// nghttp2) and GenericClient (gRPC C++'s channel) must interoperate with it
// and answer alike. grpc-go differs from gRPC C++ servers in what a client
// sees on the wire: its SETTINGS, HPACK with Huffman and a dynamic table,
// trailers-only responses for errors, grpc-message percent-encoding,
// GracefulStop's two GOAWAYs. Messages are DynamicMessages of a Schema loaded
// from protoc's descriptor sets, as the gateway loads it.
//
// The last case is the full path: a Go net/rpc client (go/rpcclient.go) ->
// the bridge in this process (netrpc::Server with NetRpcServices over the
// client under test) -> the grpc-go server.

#include <signal.h>

#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "gtest/gtest.h"

#include "bridge/grpc/generic_client.h"
#include "bridge/grpc/h2_client.h"
#include "bridge/mapping.h"
#include "bridge/netrpc_to_grpc.h"
#include "bridge/schema/descriptor_set_source.h"
#include "bridge/schema/schema.h"
#include "netrpc/listener.h"
#include "netrpc/server.h"
#include "netrpc/testing/readiness.h"
#include "netrpc/testing/runfiles.h"
#include "netrpc/testing/status_matchers.h"
#include "netrpc/testing/subprocess.h"
#include "proto/config/v1/bridge.pb.h"

namespace tests {
namespace {

using google::protobuf::Message;
using google::protobuf::MethodDescriptor;
using ::netrpc::testing::IsOk;
using ::netrpc::testing::StatusIs;
using ::netrpc::testing::Stream;
using ::netrpc::testing::Subprocess;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

using Reply = absl::StatusOr<std::unique_ptr<Message>>;

// Every wait of the test is bounded by one of these.
constexpr absl::Duration kStartTimeout = absl::Seconds(20);
constexpr absl::Duration kCallTimeout = absl::Seconds(20);
// gRPC's (and H2Client's, h2_client.h) reconnect back-off: 1s, x1.6 per
// failed connect. The GracefulStop case sees at most two failed connects per
// connection before the server is back, so the next try comes within
// 1.6s (plus gRPC C++'s 20% jitter); the rest is slack for a loaded machine.
constexpr absl::Duration kReconnectBudget = absl::Milliseconds(1920 + 3000);
// The default limit on a received message, of both clients.
constexpr int64_t kMaxMessageBytes = 4 << 20;

// GoGrpcServer is one running go/grpcserver process.
class GoGrpcServer {
 public:
  // Start runs the server on address and waits until it listens.
  // flags are more of grpcserver's flags.
  static absl::StatusOr<std::unique_ptr<GoGrpcServer>> Start(
      const std::string& address = "127.0.0.1:0",
      std::vector<std::string> flags = {}) {
    absl::StatusOr<std::string> path =
        netrpc::testing::Runfile("tests/h2_interop/grpcserver");
    if (!path.ok()) return path.status();
    netrpc::testing::SubprocessOptions options;
    options.argv = {*path, "-addr", address};
    options.argv.insert(options.argv.end(), flags.begin(), flags.end());
    absl::StatusOr<std::unique_ptr<Subprocess>> process =
        Subprocess::Start(std::move(options));
    if (!process.ok()) return process.status();
    absl::StatusOr<netrpc::testing::HostPort> addr =
        netrpc::testing::WaitForListenAddress(**process, "listening grpc ",
                                              kStartTimeout);
    if (!addr.ok()) return addr.status();
    return std::unique_ptr<GoGrpcServer>(
        new GoGrpcServer(*std::move(process), addr->ToString()));
  }

  // address is "127.0.0.1:PORT".
  const std::string& address() const { return address_; }
  Subprocess& process() { return *process_; }

  // WaitForLine waits for a stdout line starting with prefix.
  absl::Status WaitForLine(std::string prefix,
                           absl::Duration timeout = kCallTimeout) {
    return process_
        ->WaitForLine(Stream::kStdout,
                      netrpc::testing::LineStartsWith(std::move(prefix)),
                      timeout)
        .status();
  }

 private:
  GoGrpcServer(std::unique_ptr<Subprocess> process, std::string address)
      : process_(std::move(process)), address_(std::move(address)) {}

  std::unique_ptr<Subprocess> process_;
  std::string address_;
};

// LoadSchema links demo.v1 (Arith) and h2interop.v1 (Probe) from protoc's
// descriptor sets.
absl::StatusOr<std::shared_ptr<const bridge::Schema>> LoadSchema() {
  std::vector<std::unique_ptr<bridge::DescriptorSetSource>> owned;
  std::vector<bridge::SchemaSource*> sources;
  for (absl::string_view path : {"proto/demo/v1/arith_proto.pb",
                                 "tests/h2_interop/probe_proto.pb"}) {
    absl::StatusOr<std::string> file = netrpc::testing::Runfile(path);
    if (!file.ok()) return file.status();
    owned.push_back(std::make_unique<bridge::DescriptorSetSource>(*file));
    sources.push_back(owned.back().get());
  }
  return bridge::Schema::Build(sources);
}

// VarintSize is the encoded size of v.
int64_t VarintSize(uint64_t v) {
  int64_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

// BigDataFor is the length of BigReply.data that makes the serialized
// BigReply exactly `serialized` bytes (tag 1 byte, length varint, data).
int64_t BigDataFor(int64_t serialized) {
  for (int64_t data = serialized - 2; data > 0; --data) {
    if (1 + VarintSize(data) + data == serialized) return data;
  }
  return -1;
}

// TrickyMessage is a status message for code: non-ASCII, '%' (alone, before
// hex digits and before non-hex), newlines, a tab, DEL: everything
// grpc-message must percent-encode, and text that looks encoded already.
std::string TrickyMessage(int code) {
  return absl::StrCat("code ", code,
                      ": ünïcode ✓ 日本 100% sure, %41 is not A, %zz, %\n"
                      "second line\r\n\tthird\x7f end");
}

enum class Kind { kGrpcCore, kH2 };

std::string KindName(Kind kind) {
  return kind == Kind::kGrpcCore ? "GrpcCore" : "H2";
}

// NewClient returns the client of kind calling target.
std::unique_ptr<bridge::UnaryClient> NewClient(
    Kind kind, const std::string& target,
    bridge::GenericClientOptions options = {}) {
  if (kind == Kind::kGrpcCore) {
    return std::make_unique<bridge::GenericClient>(
        grpc::CreateChannel(target, grpc::InsecureChannelCredentials()),
        std::move(options));
  }
  bridge::H2ClientOptions h2;
  h2.target = target;
  h2.call = std::move(options);
  absl::StatusOr<std::unique_ptr<bridge::H2Client>> client =
      bridge::H2Client::Create(std::move(h2));
  EXPECT_THAT(client, IsOk());
  if (!client.ok()) return nullptr;
  return *std::move(client);
}

// Interop holds the schema and the running Go server, and makes calls.
class Interop {
 public:
  void Start() {
    absl::StatusOr<std::shared_ptr<const bridge::Schema>> schema =
        LoadSchema();
    ASSERT_THAT(schema, IsOk());
    schema_ = *std::move(schema);
    absl::StatusOr<std::unique_ptr<GoGrpcServer>> server =
        GoGrpcServer::Start();
    ASSERT_THAT(server, IsOk());
    server_ = *std::move(server);
  }

  const MethodDescriptor& Method(absl::string_view path) {
    absl::StatusOr<const MethodDescriptor*> method = schema_->FindMethod(path);
    EXPECT_THAT(method, IsOk());
    return **method;
  }

  // Request parses text as method's input message.
  std::unique_ptr<Message> Request(const MethodDescriptor& method,
                                   absl::string_view text) {
    std::unique_ptr<Message> request =
        schema_->NewMessage(*method.input_type());
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
        std::string(text), request.get()))
        << text;
    return request;
  }

  // Start starts a call; done gets its reply.
  void StartCall(const bridge::UnaryClient& client, absl::string_view path,
                 absl::string_view request, bridge::CallOptions options,
                 bridge::UnaryClient::Done done) {
    const MethodDescriptor& method = Method(path);
    if (options.deadline == absl::InfiniteFuture()) {
      options.deadline = absl::Now() + kCallTimeout;
    }
    client.Call(method, *Request(method, request),
                schema_->NewMessage(*method.output_type()), std::move(options),
                std::move(done));
  }

  // Call calls and waits. Every call has a deadline (kCallTimeout unless
  // options give one), so a lost reply fails the test instead of hanging it.
  Reply Call(const bridge::UnaryClient& client, absl::string_view path,
             absl::string_view request, bridge::CallOptions options = {}) {
    absl::Notification done;
    Reply reply;
    StartCall(client, path, request, std::move(options), [&](Reply r) {
      reply = std::move(r);
      done.Notify();
    });
    done.WaitForNotification();
    return reply;
  }

  std::shared_ptr<const bridge::Schema> schema_;
  std::unique_ptr<GoGrpcServer> server_;
};

// Text is a reply's text format, or its status.
std::string Text(const Reply& reply) {
  if (!reply.ok()) return reply.status().ToString();
  return (*reply)->ShortDebugString();
}

class H2InteropTest : public ::testing::TestWithParam<Kind>,
                      protected Interop {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(Interop::Start()); }

  std::unique_ptr<bridge::UnaryClient> NewClient(
      bridge::GenericClientOptions options = {}) {
    return tests::NewClient(GetParam(), server_->address(),
                            std::move(options));
  }
};

INSTANTIATE_TEST_SUITE_P(Clients, H2InteropTest,
                         ::testing::Values(Kind::kGrpcCore, Kind::kH2),
                         [](const ::testing::TestParamInfo<Kind>& info) {
                           return KindName(info.param);
                         });

TEST_P(H2InteropTest, ArithAnswers) {
  std::unique_ptr<bridge::UnaryClient> client = NewClient();
  EXPECT_EQ(Text(Call(*client, "/demo.v1.Arith/Multiply", "a: 6 b: -7")),
            "value: -42");
  EXPECT_EQ(Text(Call(*client, "/demo.v1.Arith/Divide", "a: 17 b: 5")),
            "quo: 3 rem: 2");
  // An empty reply message (all fields zero) is a 0-byte gRPC message.
  EXPECT_EQ(Text(Call(*client, "/demo.v1.Arith/Multiply", "a: 0 b: 5")), "");
  // grpc-go answers a plain Go error as UNKNOWN with its text, in a
  // trailers-only response.
  EXPECT_THAT(Call(*client, "/demo.v1.Arith/Divide", "a: 1 b: 0"),
              StatusIs(absl::StatusCode::kUnknown, "divide by zero"));
}

TEST_P(H2InteropTest, EveryStatusCodeWithItsExactMessage) {
  std::unique_ptr<bridge::UnaryClient> client = NewClient();
  for (int code = 1; code <= 16; ++code) {
    std::string message = TrickyMessage(code);
    Reply reply =
        Call(*client, "/h2interop.v1.Probe/Fail",
             absl::StrCat("code: ", code, " message: \"",
                          absl::CEscape(message), "\""));
    EXPECT_THAT(reply, StatusIs(static_cast<absl::StatusCode>(code), message))
        << "code " << code << ": " << Text(reply);
  }
  // Code 0 is an answer.
  EXPECT_EQ(Text(Call(*client, "/h2interop.v1.Probe/Fail",
                      "code: 0 message: \"fine\"")),
            "note: \"fine\"");
}

TEST_P(H2InteropTest, EmptyAndPlainMessages) {
  std::unique_ptr<bridge::UnaryClient> client = NewClient();
  EXPECT_THAT(Call(*client, "/h2interop.v1.Probe/Fail", "code: 5"),
              StatusIs(absl::StatusCode::kNotFound, ""));
  EXPECT_THAT(Call(*client, "/h2interop.v1.Probe/Fail",
                   "code: 5 message: \"plain ascii, no escapes\""),
              StatusIs(absl::StatusCode::kNotFound, "plain ascii, no escapes"));
  // A long message: Huffman-coded by grpc-go's HPACK encoder.
  std::string long_message(3000, 'e');
  EXPECT_THAT(Call(*client, "/h2interop.v1.Probe/Fail",
                   absl::StrCat("code: 9 message: \"", long_message, "\"")),
              StatusIs(absl::StatusCode::kFailedPrecondition, long_message));
}

// grpc-go percent-encodes only bytes outside ' '..'~' (and '%'), so spaces
// at either end of a message reach the wire as they are. RFC 9113 forbids
// such a field value, but gRPC C++ keeps it: the message must arrive intact.
TEST_P(H2InteropTest, MessageWithLeadingAndTrailingSpaces) {
  std::unique_ptr<bridge::UnaryClient> client = NewClient();
  for (const char* message : {"  spaced out  ", "trailing ", " leading"}) {
    EXPECT_THAT(Call(*client, "/h2interop.v1.Probe/Fail",
                     absl::StrCat("code: 3 message: \"", message, "\"")),
                StatusIs(absl::StatusCode::kInvalidArgument, message))
        << "\"" << message << "\"";
  }
}

// Many calls whose grpc-message values differ fill and evict grpc-go's HPACK
// dynamic table (4 KiB): the decoder must stay in step with it.
TEST_P(H2InteropTest, ManyDistinctErrorsKeepHpackInStep) {
  std::unique_ptr<bridge::UnaryClient> client = NewClient();
  for (int i = 0; i < 300; ++i) {
    // (No space at either end: see MessageWithLeadingAndTrailingSpaces.)
    std::string message = absl::StrCat(
        "error ", i, ":", std::string(i * 7 % 900, 'a' + i % 26), "!");
    ASSERT_THAT(Call(*client, "/h2interop.v1.Probe/Fail",
                     absl::StrCat("code: ", 1 + i % 16, " message: \"",
                                  message, "\"")),
                StatusIs(static_cast<absl::StatusCode>(1 + i % 16), message))
        << i;
  }
  EXPECT_EQ(Text(Call(*client, "/demo.v1.Arith/Multiply", "a: 3 b: 3")),
            "value: 9");
}

TEST_P(H2InteropTest, MethodsTheServerLacksAreUnimplemented) {
  std::unique_ptr<bridge::UnaryClient> client = NewClient();
  EXPECT_THAT(Call(*client, "/h2interop.v1.Probe/Missing", ""),
              StatusIs(absl::StatusCode::kUnimplemented,
                       "unknown method Missing for service "
                       "h2interop.v1.Probe"));
  EXPECT_THAT(Call(*client, "/h2interop.v1.Absent/Nothing", ""),
              StatusIs(absl::StatusCode::kUnimplemented,
                       "unknown service h2interop.v1.Absent"));
}

TEST_P(H2InteropTest, DeadlineExceededAndTheServerIsTold) {
  std::unique_ptr<bridge::UnaryClient> client = NewClient();
  bridge::CallOptions options;
  options.deadline = absl::Now() + absl::Milliseconds(300);
  absl::Time start = absl::Now();
  EXPECT_THAT(Call(*client, "/h2interop.v1.Probe/Sleep",
                   "millis: 30000 tag: \"slow\"", options),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
  // The server's context ended (by RST_STREAM or by grpc-timeout), so the
  // handler gave up rather than sleeping on.
  EXPECT_THAT(server_->WaitForLine("sleep slow ended: context "), IsOk());
  // The connection goes on.
  EXPECT_EQ(Text(Call(*client, "/h2interop.v1.Probe/Sleep",
                      "millis: 1 tag: \"quick\"")),
            "slept_millis: 1");
}

TEST_P(H2InteropTest, GrpcTimeoutReachesTheServer) {
  std::unique_ptr<bridge::UnaryClient> client = NewClient();
  bridge::CallOptions options;
  options.deadline = absl::Now() + absl::Seconds(15);
  Reply reply = Call(*client, "/h2interop.v1.Probe/Echo", "", options);
  ASSERT_THAT(reply, IsOk());
  const auto* field =
      (*reply)->GetDescriptor()->FindFieldByName("deadline_millis");
  int64_t left = (*reply)->GetReflection()->GetInt64(**reply, field);
  EXPECT_GT(left, 5000);
  // gRPC C++ rounds grpc-timeout up to a coarser unit (15099 ms was seen);
  // H2Client sends whole milliseconds, rounded up.
  EXPECT_LE(left, GetParam() == Kind::kGrpcCore ? 16000 : 15000);
}

TEST_P(H2InteropTest, BigRepliesAtAndOverTheLimit) {
  std::unique_ptr<bridge::UnaryClient> client = NewClient();
  for (int64_t size : {int64_t{100} << 10, int64_t{1} << 20,
                       kMaxMessageBytes - 1, kMaxMessageBytes}) {
    int64_t data = BigDataFor(size);
    ASSERT_GT(data, 0);
    Reply reply = Call(*client, "/h2interop.v1.Probe/Big",
                       absl::StrCat("data_bytes: ", data));
    ASSERT_THAT(reply, IsOk()) << size;
    EXPECT_EQ(static_cast<int64_t>((*reply)->ByteSizeLong()), size);
    const auto* field = (*reply)->GetDescriptor()->FindFieldByName("data");
    std::string bytes = (*reply)->GetReflection()->GetString(**reply, field);
    ASSERT_EQ(static_cast<int64_t>(bytes.size()), data);
    bool same = true;
    for (int64_t i = 0; i < data && same; ++i) {
      same = bytes[i] == static_cast<char>(i * 7);
    }
    EXPECT_TRUE(same) << "data differs, reply of " << size << " bytes";
  }
  for (int64_t size : {kMaxMessageBytes + 1, kMaxMessageBytes * 2}) {
    EXPECT_THAT(Call(*client, "/h2interop.v1.Probe/Big",
                     absl::StrCat("data_bytes: ", BigDataFor(size))),
                StatusIs(absl::StatusCode::kResourceExhausted))
        << size;
  }
  // And the client goes on.
  EXPECT_EQ(Text(Call(*client, "/demo.v1.Arith/Multiply", "a: 4 b: 5")),
            "value: 20");
}

// A request far larger than grpc-go's initial flow-control windows (64 KiB)
// goes out as the server opens them.
TEST_P(H2InteropTest, BigRequestsFollowTheServersFlowControl) {
  std::unique_ptr<bridge::UnaryClient> client = NewClient();
  const MethodDescriptor& big = Method("/h2interop.v1.Probe/Big");
  for (int64_t size : {int64_t{70} << 10, int64_t{3} << 20}) {
    std::unique_ptr<Message> request = schema_->NewMessage(*big.input_type());
    request->GetReflection()->SetString(
        request.get(), big.input_type()->FindFieldByName("payload"),
        std::string(size, 'p'));
    absl::Notification done;
    Reply reply;
    bridge::CallOptions options;
    options.deadline = absl::Now() + kCallTimeout;
    client->Call(big, *request, schema_->NewMessage(*big.output_type()),
                 options, [&](Reply r) {
                   reply = std::move(r);
                   done.Notify();
                 });
    done.WaitForNotification();
    EXPECT_EQ(Text(reply), absl::StrCat("payload_bytes: ", size));
  }
  // Over the limit: H2Client refuses to send it, gRPC C++ sends it and
  // grpc-go refuses it (its default receive limit is 4 MiB too).
  std::unique_ptr<Message> request = schema_->NewMessage(*big.input_type());
  request->GetReflection()->SetString(
      request.get(), big.input_type()->FindFieldByName("payload"),
      std::string(kMaxMessageBytes, 'p'));
  absl::Notification done;
  Reply reply;
  bridge::CallOptions options;
  options.deadline = absl::Now() + kCallTimeout;
  client->Call(big, *request, schema_->NewMessage(*big.output_type()),
               options, [&](Reply r) {
                 reply = std::move(r);
                 done.Notify();
               });
  done.WaitForNotification();
  EXPECT_THAT(reply, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(Text(Call(*client, "/demo.v1.Arith/Multiply", "a: 4 b: 5")),
            "value: 20");
}

TEST_P(H2InteropTest, StaticAndPerCallMetadataReachTheServer) {
  bridge::GenericClientOptions client_options;
  std::string huffman_friendly(300, 'e');
  std::string huffman_hostile = "~{}|^`\\~{}|^`\\~{}|^`\\";
  client_options.metadata = {{"x-static", "s"},
                             {"x-dup", "first"},
                             {"x-long", huffman_friendly}};
  std::unique_ptr<bridge::UnaryClient> client = NewClient(client_options);
  for (int i = 0; i < 3; ++i) {  // again, from HPACK's dynamic table
    bridge::CallOptions options;
    options.metadata = {{"x-call", absl::StrCat("c", i)},
                        {"x-dup", "second"},
                        {"x-odd", huffman_hostile},
                        {"x-raw-bin", std::string("\x00\xff\x01 ", 4)}};
    Reply reply = Call(*client, "/h2interop.v1.Probe/Echo", "", options);
    ASSERT_THAT(reply, IsOk());
    const auto* field = (*reply)->GetDescriptor()->FindFieldByName("entries");
    std::vector<std::string> entries;
    for (int j = 0; j < (*reply)->GetReflection()->FieldSize(**reply, field);
         ++j) {
      entries.push_back(
          (*reply)->GetReflection()->GetRepeatedString(**reply, field, j));
    }
    EXPECT_THAT(entries,
                ElementsAre(absl::StrCat("x-call=c", i), "x-dup=first",
                            "x-dup=second", "x-long=" + huffman_friendly,
                            "x-odd=" + huffman_hostile, "x-raw-bin=00ff0120",
                            "x-static=s"));
  }
}

// 64 calls at once, each held by the server until all 64 are in it: they
// can only succeed if both ends really run them concurrently.
TEST_P(H2InteropTest, SixtyFourConcurrentCalls) {
  std::unique_ptr<bridge::UnaryClient> client = NewClient();
  constexpr int kCalls = 64;
  absl::BlockingCounter pending(kCalls);
  absl::Mutex mu;
  std::vector<std::string> replies(kCalls);
  for (int i = 0; i < kCalls; ++i) {
    StartCall(*client, "/h2interop.v1.Probe/Rendezvous",
              absl::StrCat("group: \"", KindName(GetParam()),
                           "\" count: ", kCalls),
              {}, [&, i](Reply r) {
                absl::MutexLock lock(&mu);
                replies[i] = Text(r);
                r = absl::CancelledError();  // frees the message first
                pending.DecrementCount();
              });
  }
  pending.Wait();
  absl::MutexLock lock(&mu);
  for (int i = 0; i < kCalls; ++i) {
    EXPECT_EQ(replies[i], absl::StrCat("arrived: ", kCalls)) << i;
  }
}

// A server that takes at most 4 streams at a time (SETTINGS_MAX_CONCURRENT_
// STREAMS, and grpc-go refuses streams beyond it with RST_STREAM
// REFUSED_STREAM, including those sent before its SETTINGS arrived): 64
// calls at once still all succeed.
TEST_P(H2InteropTest, ServerLimitsConcurrentStreams) {
  absl::StatusOr<std::unique_ptr<GoGrpcServer>> limited =
      GoGrpcServer::Start("127.0.0.1:0", {"-max_streams", "4"});
  ASSERT_THAT(limited, IsOk());
  std::unique_ptr<bridge::UnaryClient> client =
      tests::NewClient(GetParam(), (*limited)->address());
  constexpr int kCalls = 64;
  absl::BlockingCounter pending(kCalls);
  absl::Mutex mu;
  std::vector<std::string> replies(kCalls);
  for (int i = 0; i < kCalls; ++i) {
    StartCall(*client, "/h2interop.v1.Probe/Sleep",
              absl::StrCat("millis: 20 tag: \"limited-", i, "\""), {},
              [&, i](Reply r) {
                absl::MutexLock lock(&mu);
                replies[i] = r.ok() ? "OK" : r.status().ToString();
                r = absl::CancelledError();  // frees the message first
                pending.DecrementCount();
              });
  }
  pending.Wait();
  absl::MutexLock lock(&mu);
  for (int i = 0; i < kCalls; ++i) EXPECT_EQ(replies[i], "OK") << i;
}

// GracefulStop: the call in flight finishes OK; calls after the server is
// gone are UNAVAILABLE; the server restarted on the same port is used again
// within the reconnect back-off.
TEST_P(H2InteropTest, GracefulStopFinishesTheCallInFlight) {
  std::unique_ptr<bridge::UnaryClient> client = NewClient();
  ASSERT_EQ(Text(Call(*client, "/demo.v1.Arith/Multiply", "a: 2 b: 3")),
            "value: 6");

  absl::Notification in_flight_done;
  Reply in_flight;
  StartCall(*client, "/h2interop.v1.Probe/Sleep",
            "millis: 1500 tag: \"in-flight\"", {}, [&](Reply r) {
              in_flight = std::move(r);
              in_flight_done.Notify();
            });
  ASSERT_THAT(server_->WaitForLine("sleeping in-flight"), IsOk());
  ASSERT_THAT(server_->process().Signal(SIGTERM), IsOk());
  ASSERT_THAT(server_->WaitForLine("stopping"), IsOk());
  ASSERT_TRUE(in_flight_done.WaitForNotificationWithTimeout(kCallTimeout));
  ASSERT_THAT(in_flight, IsOk());
  const auto* slept =
      (*in_flight)->GetDescriptor()->FindFieldByName("slept_millis");
  EXPECT_GE((*in_flight)->GetReflection()->GetInt64(**in_flight, slept),
            1500);
  absl::StatusOr<netrpc::testing::ExitStatus> exit =
      server_->process().Wait(kCallTimeout);
  ASSERT_THAT(exit, IsOk());
  EXPECT_TRUE(exit->Success()) << exit->ToString();
  EXPECT_THAT(server_->process().Output(Stream::kStdout),
              HasSubstr("\nstopped\n"));

  // The server is gone: its listener closed before its GOAWAY was sent, and
  // the GOAWAY arrived before the reply above.
  for (int i = 0; i < 3; ++i) {
    EXPECT_THAT(Call(*client, "/demo.v1.Arith/Multiply", "a: 2 b: 3"),
                StatusIs(absl::StatusCode::kUnavailable))
        << i;
  }

  std::string address = server_->address();
  server_.reset();
  absl::StatusOr<std::unique_ptr<GoGrpcServer>> restarted =
      GoGrpcServer::Start(address);
  ASSERT_THAT(restarted, IsOk());
  server_ = *std::move(restarted);
  absl::Time back = absl::Now();
  Reply reply;
  int tries = 0;
  do {
    if (tries++ > 0) absl::SleepFor(absl::Milliseconds(20));  // poll
    reply = Call(*client, "/demo.v1.Arith/Multiply", "a: 2 b: 3");
  } while (!reply.ok() && absl::Now() - back < kReconnectBudget + absl::Seconds(5));
  ASSERT_THAT(reply, IsOk());
  EXPECT_EQ(Text(reply), "value: 6");
  EXPECT_LE(absl::Now() - back, kReconnectBudget)
      << "the restarted server was first reached after " << tries << " tries";
  // Once back, every endpoint of the client reaches it (H2Client keeps one
  // connection per I/O thread, each with its own back-off).
  absl::Time all_back = absl::Now();
  for (int ok = 0; ok < 16;) {
    reply = Call(*client, "/demo.v1.Arith/Multiply", "a: 2 b: 3");
    if (reply.ok()) {
      ++ok;
      continue;
    }
    ASSERT_THAT(reply, StatusIs(absl::StatusCode::kUnavailable));
    ASSERT_LE(absl::Now() - all_back, kReconnectBudget);
    absl::SleepFor(absl::Milliseconds(20));  // poll
  }
}

// Both clients, side by side, give the same code and message for every
// answer of the upstream.
TEST(H2InteropCompareTest, BothClientsAnswerAlike) {
  Interop interop;
  ASSERT_NO_FATAL_FAILURE(interop.Start());
  std::unique_ptr<bridge::UnaryClient> core =
      NewClient(Kind::kGrpcCore, interop.server_->address());
  std::unique_ptr<bridge::UnaryClient> h2 =
      NewClient(Kind::kH2, interop.server_->address());
  std::vector<std::pair<std::string, std::string>> calls = {
      {"/demo.v1.Arith/Multiply", "a: 6 b: 7"},
      {"/demo.v1.Arith/Divide", "a: 17 b: 5"},
      {"/demo.v1.Arith/Divide", "a: 1 b: 0"},
      {"/h2interop.v1.Probe/Missing", ""},
      {"/h2interop.v1.Absent/Nothing", ""},
      {"/h2interop.v1.Probe/Fail", "code: 0 message: \"fine\""},
      {"/h2interop.v1.Probe/Fail", "code: 3 message: \" spaces \""},
      {"/h2interop.v1.Probe/Fail", "code: 5"},
  };
  for (int code = 1; code <= 16; ++code) {
    calls.emplace_back("/h2interop.v1.Probe/Fail",
                       absl::StrCat("code: ", code, " message: \"",
                                    absl::CEscape(TrickyMessage(code)), "\""));
  }
  for (const auto& [path, request] : calls) {
    Reply a = interop.Call(*core, path, request);
    Reply b = interop.Call(*h2, path, request);
    EXPECT_EQ(Text(a), Text(b)) << path << " " << request;
  }
  // Errors the clients make themselves (deadline, size limit) have their
  // own words; the codes agree.
  std::string over = absl::StrCat("data_bytes: ", kMaxMessageBytes);
  EXPECT_EQ(interop.Call(*core, "/h2interop.v1.Probe/Big", over).status().code(),
            interop.Call(*h2, "/h2interop.v1.Probe/Big", over).status().code());
  bridge::CallOptions options;
  options.deadline = absl::Now() + absl::Milliseconds(200);
  bridge::CallOptions options2 = options;
  EXPECT_EQ(interop
                .Call(*core, "/h2interop.v1.Probe/Sleep", "millis: 30000",
                      options)
                .status()
                .code(),
            interop
                .Call(*h2, "/h2interop.v1.Probe/Sleep", "millis: 30000",
                      options2)
                .status()
                .code());
}

// The full path: Go's net/rpc client -> the bridge (this process) -> grpc-go.
class FullPathTest : public H2InteropTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(H2InteropTest::SetUp());
    upstream_ = NewClient();
    ASSERT_NE(upstream_, nullptr);
    for (const char* text : {
             R"pb(package: "demo.v1"
                  services { name: "Arith" }
                  unwrap_messages: "demo.v1.Product")pb",
             R"pb(package: "h2interop.v1"
                  services {
                    name: "Probe"
                    methods { name: "Fail" }
                  })pb",
         }) {
      netrpc::config::v1::Bridge config;
      ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &config));
      absl::StatusOr<std::shared_ptr<const bridge::Mapping>> mapping =
          bridge::Mapping::Build(config, schema_);
      ASSERT_THAT(mapping, IsOk());
      for (const netrpc::ServiceDesc& s :
           bridge::NetRpcServices(*mapping, upstream_.get())) {
        ASSERT_THAT(server_rpc_.RegisterName(s.type_name(), s), IsOk());
      }
    }
    absl::StatusOr<std::unique_ptr<netrpc::Listener>> tcp =
        netrpc::Listen("tcp", "127.0.0.1:0");
    ASSERT_THAT(tcp, IsOk());
    tcp_ = *std::move(tcp);
    accept_ = std::thread([this] { server_rpc_.Accept(*tcp_); });
  }

  void TearDown() override {
    if (tcp_) tcp_->Close();
    if (accept_.joinable()) accept_.join();
  }

  // Declared before server_rpc_: connections still closing use it.
  std::unique_ptr<bridge::UnaryClient> upstream_;
  netrpc::Server server_rpc_;
  std::unique_ptr<netrpc::Listener> tcp_;
  std::thread accept_;
};

INSTANTIATE_TEST_SUITE_P(Clients, FullPathTest,
                         ::testing::Values(Kind::kGrpcCore, Kind::kH2),
                         [](const ::testing::TestParamInfo<Kind>& info) {
                           return KindName(info.param);
                         });

TEST_P(FullPathTest, GoNetRpcClientThroughTheBridgeToGrpcGo) {
  absl::StatusOr<std::string> path =
      netrpc::testing::Runfile("tests/h2_interop/rpcclient");
  ASSERT_THAT(path, IsOk());
  netrpc::testing::SubprocessOptions options;
  options.argv = {*path, tcp_->Addr()};
  absl::StatusOr<netrpc::testing::RunResult> run =
      netrpc::testing::RunCommand(options, absl::Seconds(30));
  ASSERT_THAT(run, IsOk());
  EXPECT_THAT(run->ToStatus(), IsOk()) << run->out;
  for (const char* check :
       {"multiply", "divide", "divide by zero", "fail NotFound",
        "fail InvalidArgument", "fail PermissionDenied",
        "fail FailedPrecondition", "fail Internal", "fail Unknown",
        "fail Unknown with a trailing space",
        "connection still good after errors"}) {
    EXPECT_THAT(run->out, HasSubstr(absl::StrCat("PASS ", check, "\n")))
        << run->out;
  }
  EXPECT_THAT(run->out, ::testing::Not(HasSubstr("FAIL"))) << run->out;
}

}  // namespace
}  // namespace tests

// netrpc-call, the real binary, against a real Go 1.19 net/rpc server
// (go/callserver) over gob on TCP and HTTP and over jsonrpc, and against an
// in-process gRPC Arith (bridge/testing/arith.h): stdout, stderr and exit
// codes of each mode (inferred types, --descriptor_set with --config or
// --unwrap, --go_package through netrpc2proto, --list, --grpc) and of the
// failures (server errors exit 1, everything else 2).

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "bridge/testing/arith.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "netrpc/testing/readiness.h"
#include "netrpc/testing/runfiles.h"
#include "netrpc/testing/status_matchers.h"
#include "netrpc/testing/subprocess.h"

namespace {

using ::netrpc::testing::HostPort;
using ::netrpc::testing::IsOk;
using ::netrpc::testing::RunCommand;
using ::netrpc::testing::RunResult;
using ::netrpc::testing::Runfile;
using ::netrpc::testing::Subprocess;
using ::netrpc::testing::SubprocessOptions;
using ::netrpc::testing::WaitForListenAddress;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

std::string MustRunfile(const std::string& path) {
  absl::StatusOr<std::string> p = Runfile(path);
  EXPECT_THAT(p, IsOk());
  return p.ok() ? *p : "";
}

// The canonical Item of Store.Echo, and what Go answers.
constexpr char kItem[] =
    R"({"Name":"pen","Data":"aGk=","Tags":["a"],)"
    R"("When":"2024-01-02T03:04:05.123456789Z","Price":1.5,)"
    R"("Counts":{"x":1},"UserID":42})";
constexpr char kEchoed[] =
    R"({"Name":"pen","Data":"aGk=","Tags":["a","seen"],)"
    R"("When":"2024-01-02T04:04:05.123456789Z","Price":1.5,)"
    R"("Counts":{"x":1},"UserID":42})"
    "\n";

class NetrpcCallTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    SubprocessOptions options;
    options.argv = {MustRunfile("tests/netrpc-call/callserver")};
    absl::StatusOr<std::unique_ptr<Subprocess>> p = Subprocess::Start(options);
    ASSERT_THAT(p, IsOk());
    server_ = p->release();
    for (auto [prefix, out] :
         {std::pair{"listening tcp ", &tcp_}, std::pair{"listening http ", &http_},
          std::pair{"listening jsonrpc ", &jsonrpc_}}) {
      absl::StatusOr<HostPort> a =
          WaitForListenAddress(*server_, prefix, absl::Seconds(30));
      ASSERT_THAT(a, IsOk());
      *out = new std::string(a->ToString());
    }
  }
  static void TearDownTestSuite() {
    delete server_;
    delete tcp_;
    delete http_;
    delete jsonrpc_;
  }

  // Call runs netrpc-call with args and returns what it did.
  RunResult Call(std::vector<std::string> args,
                 std::vector<std::pair<std::string, std::string>> env = {}) {
    SubprocessOptions options;
    options.argv = {MustRunfile("tools/netrpc-call/netrpc-call")};
    options.argv.insert(options.argv.end(), args.begin(), args.end());
    options.env = std::move(env);
    absl::StatusOr<RunResult> r = RunCommand(options, absl::Seconds(120));
    EXPECT_THAT(r, IsOk());
    return r.ok() ? *r : RunResult{};
  }

  static Subprocess* server_;
  static std::string* tcp_;
  static std::string* http_;
  static std::string* jsonrpc_;
};

Subprocess* NetrpcCallTest::server_ = nullptr;
std::string* NetrpcCallTest::tcp_ = nullptr;
std::string* NetrpcCallTest::http_ = nullptr;
std::string* NetrpcCallTest::jsonrpc_ = nullptr;

void ExpectOk(const RunResult& r, const std::string& out) {
  EXPECT_EQ(r.exit.code, 0) << r.command_line << "\n" << r.err;
  EXPECT_EQ(r.out, out) << r.command_line << "\n" << r.err;
}

void ExpectServerError(const RunResult& r, const std::string& text) {
  EXPECT_EQ(r.exit.code, 1) << r.command_line << "\n" << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, absl::StrCat("error: ", text, "\n")) << r.command_line;
}

void ExpectFailure(const RunResult& r, const std::string& text) {
  EXPECT_EQ(r.exit.code, 2) << r.command_line << "\n" << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("netrpc-call: ")) << r.command_line;
  EXPECT_THAT(r.err, HasSubstr(text)) << r.command_line;
}

// --- Types inferred from the JSON ---

TEST_F(NetrpcCallTest, InferredStructArgsIntReply) {
  ExpectOk(Call({*tcp_, "Arith.Multiply", R"({"A":7,"B":8})"}), "56\n");
}

TEST_F(NetrpcCallTest, InferredStructReply) {
  ExpectOk(Call({*tcp_, "Arith.Divide", R"({"A":17,"B":5})"}),
           "{\"Quo\":3,\"Rem\":2}\n");
  // A zero field is not sent by Go's gob; it is still printed, as Go's json.
  ExpectOk(Call({*tcp_, "Arith.Divide", R"({"A":15,"B":5})"}),
           "{\"Quo\":3,\"Rem\":0}\n");
}

TEST_F(NetrpcCallTest, InferredStringArgument) {
  ExpectOk(Call({*tcp_, "Types.Upper", R"("hi")"}), "\"HI\"\n");
}

TEST_F(NetrpcCallTest, ServerErrorsExit1) {
  ExpectServerError(Call({*tcp_, "Arith.Divide", R"({"A":1,"B":0})"}),
                    "divide by zero");
  ExpectServerError(Call({*tcp_, "Arith.Nope", "{}"}),
                    "rpc: can't find method Arith.Nope");
  ExpectServerError(Call({*tcp_, "Nope.Add", "{}"}),
                    "rpc: can't find service Nope.Add");
}

TEST_F(NetrpcCallTest, InferredFloatNeedsAPoint) {
  // 7 is an int on the wire; Go's float64 field refuses it.
  RunResult r = Call({*tcp_, "Arith.Scale", R"({"X":7,"N":2})"});
  EXPECT_EQ(r.exit.code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("gob:"));
  EXPECT_THAT(r.err, HasSubstr("float64"));
  ExpectOk(Call({*tcp_, "Arith.Scale", R"({"X":7.0,"N":2})"}), "14\n");
}

TEST_F(NetrpcCallTest, ArgumentFromStdin) {
  SubprocessOptions options;
  options.argv = {MustRunfile("tools/netrpc-call/netrpc-call"), *tcp_,
                  "Arith.Multiply", "-"};
  options.stdin_data = R"({"A":6,"B":7})";
  absl::StatusOr<RunResult> r = RunCommand(options, absl::Seconds(60));
  ASSERT_THAT(r, IsOk());
  ExpectOk(*r, "42\n");
}

// --- Transports ---

TEST_F(NetrpcCallTest, Http) {
  ExpectOk(Call({"--http", *http_, "Arith.Multiply", R"({"A":7,"B":8})"}),
           "56\n");
  ExpectOk(Call({"--http=/_goRPC_", *http_, "Arith.Divide", R"({"A":17,"B":5})"}),
           "{\"Quo\":3,\"Rem\":2}\n");
  ExpectFailure(Call({"--http=/nope", *http_, "Arith.Multiply", "{}"}),
                "unexpected HTTP response: 404 Not Found");
}

TEST_F(NetrpcCallTest, Jsonrpc) {
  ExpectOk(Call({"--jsonrpc", *jsonrpc_, "Arith.Multiply",
                 "{\n  \"A\": 7,\n  \"B\": 8\n}\n"}),
           "56\n");
  ExpectOk(Call({"--jsonrpc", *jsonrpc_, "Arith.Divide", R"({"A":17,"B":5})"}),
           "{\"Quo\":3,\"Rem\":2}\n");
  // JSON carries no int/float distinction: 7 is fine for a float64 here.
  ExpectOk(Call({"--jsonrpc", *jsonrpc_, "Arith.Scale", R"({"X":7,"N":2})"}),
           "14\n");
  ExpectServerError(
      Call({"--jsonrpc", *jsonrpc_, "Arith.Divide", R"({"A":1,"B":0})"}),
      "divide by zero");
}

// --- Types from a descriptor set ---

TEST_F(NetrpcCallTest, DescriptorSetWithUnwrap) {
  const std::string pb = MustRunfile("proto/demo/v1/arith_proto.pb");
  ExpectOk(Call({"--descriptor_set=" + pb, "--unwrap=demo.v1.Product", *tcp_,
                 "Arith.Multiply", R"({"A":7,"B":8})"}),
           "56\n");
  // Protobuf JSON names are accepted too.
  ExpectOk(Call({"--descriptor_set=" + pb, *tcp_, "Arith.Divide",
                 R"({"a":17,"b":5})"}),
           "{\"Quo\":3,\"Rem\":2}\n");
  ExpectServerError(Call({"--descriptor_set=" + pb, *tcp_, "Arith.Divide",
                          R"({"A":1,"B":0})"}),
                    "divide by zero");
  // A key the message lacks is refused before anything is sent.
  ExpectFailure(Call({"--descriptor_set=" + pb, *tcp_, "Arith.Divide",
                      R"({"A":1,"C":0})"}),
                "\"C\"");
  ExpectFailure(Call({"--descriptor_set=" + pb, *tcp_, "Arith.Nope", "{}"}),
                "Nope");
}

TEST_F(NetrpcCallTest, DescriptorSetWithConfig) {
  const std::vector<std::string> flags = {
      "--descriptor_set=" + MustRunfile("tests/netrpc-call/store.pb"),
      "--config=" + MustRunfile("tests/netrpc-call/store.yaml")};
  std::vector<std::string> args = flags;
  args.insert(args.end(), {*tcp_, "Store.Echo", kItem});
  ExpectOk(Call(args), kEchoed);
  args = flags;
  args.insert(args.end(), {"--http", *http_, "Store.Echo", kItem});
  ExpectOk(Call(args), kEchoed);
  args = flags;
  args.insert(args.end(), {"--jsonrpc", *jsonrpc_, "Store.Echo", kItem});
  ExpectOk(Call(args), kEchoed);
}

TEST_F(NetrpcCallTest, GoPackage) {
  const std::string main_go = MustRunfile("tests/netrpc-call/go/callserver/main.go");
  const std::string dir = main_go.substr(0, main_go.rfind('/'));
  const char* tmp = getenv("TEST_TMPDIR");
  std::vector<std::pair<std::string, std::string>> env = {
      {"GO111MODULE", "off"}, {"GOPATH", "/nonexistent"}, {"HOME", tmp},
      {"GOCACHE", absl::StrCat(tmp, "/gocache")}, {"GOFLAGS", "-buildvcs=false"},
      {"GOPROXY", "off"}, {"TMPDIR", tmp}};
  const std::string n2p =
      "--netrpc2proto=" + MustRunfile("tools/netrpc2proto/netrpc2proto");
  ExpectOk(Call({"--go_package=" + dir, n2p, *tcp_, "Store.Echo", kItem}, env),
           kEchoed);
  // The schema knows X is a float64: 7 is sent as 7.0.
  ExpectOk(Call({"--go_package=" + dir, n2p, *tcp_, "Arith.Scale",
                 R"({"X":7,"N":2})"},
                env),
           "14\n");
  ExpectOk(Call({"--go_package=" + dir, n2p, *tcp_, "Arith.Multiply",
                 R"({"A":7,"B":8})"},
                env),
           "56\n");
  ExpectOk(Call({"--go_package=" + dir, n2p, "--jsonrpc", *jsonrpc_,
                 "Types.Upper", R"("hi")"},
                env),
           "\"HI\"\n");
  ExpectFailure(Call({"--go_package=" + dir + "/nope", n2p, *tcp_,
                      "Arith.Multiply", "{}"},
                     env),
                "is not a directory");
}

// --- --list ---

TEST_F(NetrpcCallTest, List) {
  ExpectOk(Call({"--http", *http_, "Arith.Multiply", R"({"A":1,"B":1})"}), "1\n");
  RunResult r = Call({"--list", *http_});
  EXPECT_EQ(r.exit.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Arith.Divide(*main.Args) *main.Quotient calls="));
  EXPECT_THAT(r.out, MatchesRegex("(.|\n)*Arith.Multiply\\(\\*main.Args\\) \\*int "
                                  "calls=[1-9][0-9]*\n(.|\n)*"));
  EXPECT_THAT(r.out, HasSubstr("Store.Echo(*main.Item) *main.Item calls="));
  EXPECT_THAT(r.out, HasSubstr("Types.Upper(*string) *string calls="));
  ExpectFailure(Call({"--list", "--debug_path=/nope", *http_}), "404");
  ExpectFailure(Call({"--list", *tcp_}), "");
}

// --- Failures that are not the server's ---

int ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    close(fd);
    return 0;
  }
  close(fd);
  return ntohs(a.sin_port);
}

TEST_F(NetrpcCallTest, TransportAndUsageErrorsExit2) {
  const std::string closed = absl::StrCat("127.0.0.1:", ClosedPort());
  ExpectFailure(Call({closed, "Arith.Multiply", "{}"}), "cannot connect to");
  ExpectFailure(Call({"--timeout=300ms", *tcp_, "Arith.Sleep",
                      R"({"A":5000})"}),
                "no reply within 300ms");
  ExpectFailure(Call({*tcp_, "Arith.Multiply", "{"}), "not JSON");
  ExpectFailure(Call({*tcp_, "Arith.Multiply", R"({"A":[1,"x"]})"}),
                "$.A: the array's elements mix");
  ExpectFailure(Call({*tcp_}), "usage:");
  ExpectFailure(Call({"--jsonrpc", "--http", *tcp_, "Arith.Multiply", "{}"}),
                "do not go together");
  ExpectFailure(Call({"--grpc", *tcp_, "Arith.Multiply", "{}"}),
                "--grpc needs the message types");
  // gob to a jsonrpc server: the connection breaks.
  ExpectFailure(Call({*jsonrpc_, "Arith.Multiply", "{}"}), "call Arith.Multiply");
}

// --- --grpc: the same command line against the gRPC replacement ---

TEST_F(NetrpcCallTest, GrpcSameAsNetRpc) {
  bridge_testing::ArithBackend backend;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  builder.RegisterService(&backend);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  ASSERT_GT(port, 0);
  const std::string grpc_addr = absl::StrCat("127.0.0.1:", port);
  const std::vector<std::string> schema = {
      "--descriptor_set=" + MustRunfile("proto/demo/v1/arith_proto.pb"),
      "--unwrap=demo.v1.Product"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = schema;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  for (const auto& [method, json, out] : std::vector<std::tuple<
           std::string, std::string, std::string>>{
           {"Arith.Multiply", R"({"A":7,"B":8})", "56\n"},
           {"Arith.Divide", R"({"A":17,"B":5})", "{\"Quo\":3,\"Rem\":2}\n"}}) {
    RunResult legacy = Call(with({*tcp_, method, json}));
    RunResult modern = Call(with({"--grpc", grpc_addr, method, json}));
    ExpectOk(legacy, out);
    ExpectOk(modern, out);
  }
  ExpectServerError(Call(with({"--grpc", grpc_addr, "Arith.Divide",
                               R"({"A":1,"B":0})"})),
                    "divide by zero");
  ExpectServerError(Call(with({"--grpc", grpc_addr, "Arith.Divide",
                               R"({"A":1,"B":-1})"})),
                    "rpc error: code = NotFound desc = no negative divisors");
  ExpectFailure(Call(with({"--grpc", "--timeout=2s",
                           absl::StrCat("127.0.0.1:", ClosedPort()),
                           "Arith.Multiply", "{}"})),
                "code = Unavailable");
  server->Shutdown();
}

}  // namespace

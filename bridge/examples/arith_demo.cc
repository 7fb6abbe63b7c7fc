// arith_demo shows the bridge end to end in one process: a gRPC Arith
// backend (the "new" service), bridged onto a net/rpc port that unchanged Go
// net/rpc clients call, and a gRPC port that bridges back to net/rpc.
//
//   bazel run //bridge/examples:arith_demo
//
// then, from another shell, a Go client (or our C++ one):
//
//   bazel run //netrpc/examples:arith_client -- --addr=127.0.0.1:1234
//
// Flags: --tcp (net/rpc gob, default 127.0.0.1:1234), --http (net/rpc over
// HTTP CONNECT and /debug/rpc, default 127.0.0.1:8080), --grpc (gRPC with
// reflection, bridged to the net/rpc port, default 127.0.0.1:50051). Port 0
// picks a free port. Runs until SIGINT or SIGTERM.

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "bridge/grpc/generic_client.h"
#include "bridge/grpc/generic_server.h"
#include "bridge/grpc_to_netrpc.h"
#include "bridge/mapping.h"
#include "bridge/netrpc_pool.h"
#include "bridge/netrpc_to_grpc.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/text_format.h"
#include "grpcpp/grpcpp.h"
#include "netrpc/http.h"
#include "netrpc/listener.h"
#include "netrpc/server.h"
#include "proto/demo/v1/arith.grpc.pb.h"

ABSL_FLAG(std::string, tcp, "127.0.0.1:1234", "net/rpc (gob over TCP) address");
ABSL_FLAG(std::string, http, "127.0.0.1:8080",
          "net/rpc over HTTP CONNECT (/_goRPC_) and /debug/rpc address");
ABSL_FLAG(std::string, grpc, "127.0.0.1:50051",
          "gRPC address (with server reflection), bridged to --tcp");

namespace {

// The bridge config the demo runs with: every method of demo.v1.Arith is
// offered as net/rpc service "Arith".
constexpr char kConfig[] = R"pb(
  package: "demo.v1"
  services { name: "Arith" }
  unwrap_messages: "demo.v1.Product"  # Go: Multiply(args *Args, reply *int)
  default_timeout { seconds: 5 }
)pb";

// Arith is the gRPC backend: Go's documentation example, as a new service.
class Arith final : public demo::v1::Arith::Service {
  grpc::Status Multiply(grpc::ServerContext*, const demo::v1::Args* a,
                        demo::v1::Product* p) override {
    p->set_value(a->a() * a->b());
    return grpc::Status::OK;
  }
  grpc::Status Divide(grpc::ServerContext*, const demo::v1::Args* a,
                      demo::v1::Quotient* q) override {
    if (a->b() == 0) {
      // UNKNOWN with the text: what a Go client of the old server expects.
      return grpc::Status(grpc::StatusCode::UNKNOWN, "divide by zero");
    }
    q->set_quo(a->a() / a->b());
    q->set_rem(a->a() % a->b());
    return grpc::Status::OK;
  }
};

absl::StatusOr<std::shared_ptr<const bridge::Schema>> DemoSchema() {
  std::vector<google::protobuf::FileDescriptorProto> files(1);
  demo::v1::Args::descriptor()->file()->CopyTo(&files[0]);
  return bridge::Schema::FromFiles(std::move(files), "embedded demo");
}

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "arith_demo: %s\n", std::string(s.message()).c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);

  // Block the stop signals in every thread; main waits for them below.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  // The gRPC backend, on a port of its own.
  Arith arith;
  int backend_port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &backend_port);
  builder.RegisterService(&arith);
  std::unique_ptr<grpc::Server> backend = builder.BuildAndStart();
  if (backend == nullptr) return Fail(absl::UnavailableError("no backend"));

  absl::StatusOr<std::shared_ptr<const bridge::Schema>> schema = DemoSchema();
  if (!schema.ok()) return Fail(schema.status());
  netrpc::config::v1::Bridge config;
  google::protobuf::TextFormat::ParseFromString(kConfig, &config);
  absl::StatusOr<std::shared_ptr<const bridge::Mapping>> mapping =
      bridge::Mapping::Build(config, *schema);
  if (!mapping.ok()) return Fail(mapping.status());

  // Direction 1: net/rpc callers -> the gRPC backend.
  bridge::GenericClient upstream(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", backend_port),
                          grpc::InsecureChannelCredentials()));
  netrpc::Server server;
  for (const netrpc::ServiceDesc& s :
       bridge::NetRpcServices(*mapping, &upstream)) {
    absl::Status st = server.RegisterName(s.type_name(), s);
    if (!st.ok()) return Fail(st);
  }
  auto tcp = netrpc::Listen("tcp", absl::GetFlag(FLAGS_tcp));
  if (!tcp.ok()) return Fail(tcp.status());
  auto http = netrpc::Listen("tcp", absl::GetFlag(FLAGS_http));
  if (!http.ok()) return Fail(http.status());
  netrpc::ServeMux mux;
  absl::Status st = mux.HandleRPC(netrpc::kDefaultRPCPath,
                                  netrpc::kDefaultDebugPath, server);
  if (!st.ok()) return Fail(st);
  std::thread serve_tcp([&] { server.Accept(**tcp); });
  std::thread serve_http([&] { netrpc::ServeHTTP(**http, &mux); });

  // Direction 2: gRPC callers -> net/rpc (the port above, so a gRPC call
  // crosses the bridge twice and reaches the backend).
  bridge::NetRpcPoolOptions pool_options;
  pool_options.address = (*tcp)->Addr();
  bridge::NetRpcPool pool(pool_options);
  bridge::GrpcToNetRpc handler(*mapping, &pool);
  bridge::GenericServerOptions grpc_options;
  grpc_options.address = absl::GetFlag(FLAGS_grpc);
  auto grpc_server =
      bridge::GenericServer::Start(grpc_options, *schema, &handler);
  if (!grpc_server.ok()) return Fail(grpc_server.status());

  std::string grpc_addr = absl::StrCat(
      grpc_options.address.substr(0, grpc_options.address.rfind(':')), ":",
      (*grpc_server)->port());
  std::printf(
      "listening tcp %s\nlistening http %s\nlistening grpc %s\n\n"
      "The gRPC service demo.v1.Arith is bridged to net/rpc service Arith.\n"
      "Call it as a Go net/rpc client would:\n"
      "  bazel run //netrpc/examples:arith_client -- --addr=%s\n"
      "  Go: client, _ := rpc.Dial(\"tcp\", \"%s\")\n"
      "      client.Call(\"Arith.Multiply\", &Args{7, 8}, &reply)\n"
      "Debug page: http://%s/debug/rpc\n"
      "gRPC (reflection on): grpcurl -plaintext -d '{\"a\":7,\"b\":8}' %s "
      "demo.v1.Arith/Multiply\n",
      (*tcp)->Addr().c_str(), (*http)->Addr().c_str(), grpc_addr.c_str(),
      (*tcp)->Addr().c_str(), (*tcp)->Addr().c_str(), (*http)->Addr().c_str(),
      grpc_addr.c_str());
  std::fflush(stdout);

  int sig = 0;
  sigwait(&stop, &sig);
  (*grpc_server)->Shutdown(absl::Now() + absl::Seconds(5));
  (void)(*tcp)->Close();
  (void)(*http)->Close();
  serve_tcp.join();
  serve_http.join();
  backend->Shutdown();
  return 0;
}

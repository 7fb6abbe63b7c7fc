// bridge_main is the bridge of the benchmark, direction 1 only: it serves Go
// net/rpc (gob over TCP) on --tcp and forwards every Arith.Mul call to the
// gRPC method /bench.v1.Arith/Mul of --backend, with the schema read from a
// descriptor set file, as the gateway does. It prints "listening tcp ADDR"
// when ready and serves until SIGINT or SIGTERM.
//
//   bridge_main --descriptor_set=bench_proto.pb
//               --backend=127.0.0.1:50051 --tcp=127.0.0.1:0

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/grpcpp.h"

#include "bridge/grpc/generic_client.h"
#include "bridge/grpc/h2_client.h"
#include "bridge/mapping.h"
#include "bridge/netrpc_to_grpc.h"
#include "bridge/schema/descriptor_set_source.h"
#include "bridge/schema/schema.h"
#include "netrpc/listener.h"
#include "netrpc/server.h"
#include "proto/config/v1/bridge.pb.h"

ABSL_FLAG(std::string, descriptor_set, "",
          "FileDescriptorSet with bench.v1 (bench_proto.pb)");
ABSL_FLAG(std::string, backend, "", "gRPC backend address (host:port)");
ABSL_FLAG(std::string, tcp, "127.0.0.1:0",
          "net/rpc listen address (port 0: any)");
ABSL_FLAG(std::string, upstream_client, "h2",
          "the gRPC client to the backend: h2 (the lean HTTP/2 client, as "
          "the gateway uses for a plaintext host:port) or grpc (gRPC C++'s "
          "channel)");
ABSL_FLAG(bool, mutex_deadlock_checks, false,
          "leave absl::Mutex deadlock detection as the library ships it (on "
          "in Debian's libabsl, which is built without NDEBUG); the default, "
          "false, turns it off as //gateway does");

namespace {

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "bridge_main: %s\n", s.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  if (absl::GetFlag(FLAGS_descriptor_set).empty() ||
      absl::GetFlag(FLAGS_backend).empty()) {
    std::fprintf(stderr,
                 "usage: bridge_main --descriptor_set=FILE --backend=ADDR "
                 "[--tcp=ADDR]\n");
    return 2;
  }

  if (!absl::GetFlag(FLAGS_mutex_deadlock_checks)) {
    absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  }

  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  bridge::DescriptorSetSource source(absl::GetFlag(FLAGS_descriptor_set));
  bridge::SchemaSource* sources[] = {&source};
  absl::StatusOr<std::shared_ptr<const bridge::Schema>> schema =
      bridge::Schema::Build(sources);
  if (!schema.ok()) return Fail(schema.status());

  // Every method of bench.v1.Arith as net/rpc service "Arith".
  netrpc::config::v1::Bridge config;
  config.set_package("bench.v1");
  config.add_services()->set_name("Arith");
  absl::StatusOr<std::shared_ptr<const bridge::Mapping>> mapping =
      bridge::Mapping::Build(config, *schema);
  if (!mapping.ok()) return Fail(mapping.status());

  // Static: the services point at it and connections may outlive main's
  // scope at exit, so it is never destroyed.
  static bridge::UnaryClient* upstream = nullptr;
  if (absl::GetFlag(FLAGS_upstream_client) == "grpc") {
    upstream = new bridge::GenericClient(grpc::CreateChannel(
        absl::GetFlag(FLAGS_backend), grpc::InsecureChannelCredentials()));
  } else if (absl::GetFlag(FLAGS_upstream_client) == "h2") {
    bridge::H2ClientOptions options;
    options.target = absl::GetFlag(FLAGS_backend);
    absl::StatusOr<std::unique_ptr<bridge::H2Client>> h2 =
        bridge::H2Client::Create(std::move(options));
    if (!h2.ok()) return Fail(h2.status());
    upstream = h2->release();
  } else {
    return Fail(absl::InvalidArgumentError(
        "--upstream_client is h2 or grpc"));
  }
  static netrpc::Server* server = new netrpc::Server;
  for (const netrpc::ServiceDesc& s :
       bridge::NetRpcServices(*mapping, upstream)) {
    absl::Status st = server->RegisterName(s.type_name(), s);
    if (!st.ok()) return Fail(st);
  }
  absl::StatusOr<std::unique_ptr<netrpc::Listener>> tcp =
      netrpc::Listen("tcp", absl::GetFlag(FLAGS_tcp));
  if (!tcp.ok()) return Fail(tcp.status());
  std::thread serve([&] { server->Accept(**tcp); });
  std::printf("listening tcp %s\n", (*tcp)->Addr().c_str());
  std::fflush(stdout);

  int sig = 0;
  sigwait(&stop, &sig);
  (*tcp)->Close();
  serve.join();
  // Connections may still be open; leave without tearing down what they use.
  std::fflush(stdout);
  std::_Exit(0);
}
